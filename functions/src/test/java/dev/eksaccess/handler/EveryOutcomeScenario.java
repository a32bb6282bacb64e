package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.DeploymentFiles;
import dev.eksaccess.config.Environment;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksAccessDeniedException;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeClusterLookup;
import dev.eksaccess.testing.FakeEks;
import dev.eksaccess.testing.FakeGrantStates;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testing.FakeLedger;
import dev.eksaccess.testing.FakePendingApprovals;
import dev.eksaccess.testing.FakeRegistry;
import dev.eksaccess.testing.InMemoryCreationRegistry;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.RecordingBootstrapQueue;
import dev.eksaccess.testing.RepoFiles;
import dev.eksaccess.testing.TestSenders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The three handlers, on the test fakes, taken through every outcome each can log: the lines they write, to test
 * the log envelope and the Logs Insights queries of docs/deploy.md against.
 */
final class EveryOutcomeScenario {

    static final Instant START = GrantRequestHandlerTest.NOW;

    private final MutableClock clock = new MutableClock(START);
    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** Runs the scenario; returns every line written, in order (a batch's concurrent lines in the order written). */
    static List<String> lines() {
        EveryOutcomeScenario scenario = new EveryOutcomeScenario();
        scenario.clusterCreation();
        FakeGrantStates states = scenario.grantProcessor();
        scenario.expirySweep(states);
        return List.copyOf(scenario.lines);
    }

    /**
     * recorded (one of them BLOCKED), duplicate, replaced, stale, ignored, rejected (malformed, and not verified with
     * EKS), error.
     */
    private void clusterCreation() {
        RecordingBootstrapQueue queue = new RecordingBootstrapQueue();
        FakeClusterLookup eks = FakeClusterLookup.holdingEverySample();
        ClusterCreatedHandler handler = new ClusterCreatedHandler(ClusterCreationConfig.from(new Environment(Map.of(
                "REGISTRY_TABLE", "eks-access-registry",
                "GRANT_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/111122223333/eks-access-grants",
                "DEPLOYMENT_FILE", DeploymentFiles.withAdmins("arn:aws:iam::111122223333:role/platform/EksAdmin")))),
                new InMemoryCreationRegistry(clock), queue, eks, clock, lines::add);
        byte[] ssoRole = EventFiles.bytes("cloudtrail/create-cluster/sso-role.json");
        ObjectNode newer = EventFiles.json("cloudtrail/create-cluster/sso-role.json");
        ((ObjectNode) newer.get("detail")).put("eventID", "evt-newer").put("eventTime", "2026-11-28T09:00:00Z");
        deliver(handler, ssoRole);
        deliver(handler, ssoRole);
        eks.holding(newer);
        deliver(handler, EventFiles.bytes(newer));
        // EKS confirms the older event too (a record from before events were verified), so the registry calls it stale.
        eks.holding(EventFiles.json("cloudtrail/create-cluster/sso-role.json"));
        deliver(handler, ssoRole);
        eks.delete("arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev");
        deliver(handler, EventFiles.bytes("cloudtrail/create-cluster/iam-user.json"));
        eks.holding(EventFiles.json("cloudtrail/create-cluster/iam-user.json"));
        deliver(handler, EventFiles.bytes("cloudtrail/create-cluster/config-map-mode.json"));
        deliver(handler, EventFiles.bytes("cloudtrail/create-cluster/failed-call-error-code.json"));
        deliver(handler, EventFiles.bytes("cloudtrail/other/delete-cluster.json"));
        queue.failNext(1);
        deliver(handler, EventFiles.bytes("cloudtrail/create-cluster/iam-user.json"));
    }

    private static void deliver(ClusterCreatedHandler handler, byte[] event) {
        try {
            handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(),
                    new FakeLambdaContext("111122223333"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException expected) {
            // The queue outage: logged as an error and rethrown for EventBridge to retry.
        }
    }

    /**
     * failed-transient, held back, retry-delay-failed, applied, rejected, ignored (a duplicate), failed-transient on an
     * unexpected exception, rejected as a configuration error (AccessDenied), error. Failures are injected only into batches of one principal, so that which message
     * meets them does not depend on the batch's threads.
     */
    private FakeGrantStates grantProcessor() {
        FakeEks eks = new FakeEks("111122223333");
        eks.cluster(GrantRequestHandlerTest.CLUSTER, ClusterState.ACTIVE, ClusterState.API);
        FakeGrantStates states = new FakeGrantStates();
        GrantRequestHandler handler = GrantRequestHandler.builder(GrantRequestHandlerTest.CONFIG, "eu-west-1")
                .withEks(eks).withPrincipalIds(TestSenders.ids()).withPendingApprovals(new FakePendingApprovals()).withRegistry(new FakeRegistry()).withLedger(new FakeLedger()).withStates(states)
                .withRetries((receiptHandle, delay) -> {
                    if (receiptHandle.equals("receipt-m-revoke")) {
                        throw new IllegalStateException("SQS is unavailable (simulated)");
                    }
                })
                .withClock(clock).withLogSink(lines::add).build();
        String view = RepoFiles.request("grant-cluster-view.json");
        String revoke = RepoFiles.request("revoke-policy.json");

        eks.failNext(new EksTransientException("Rate exceeded"));
        invoke(handler, message("m-view", view, 1), message("m-revoke", revoke, 1));
        String ticket = RepoFiles.request("grant-with-groups-username.json");
        invoke(handler, message("m-view", view, 2), message("m-revoke", revoke, 2), message("m-chg", ticket, 1),
                message("m-audit", RepoFiles.request("grant-expires-at.json"), 1),
                message("m-bad", RepoFiles.request("invalid-malformed-json.json"), 1));
        invoke(handler, message("m-chg-again", ticket, 1));
        eks.failNext(new IllegalStateException("simulated bug"));
        invoke(handler, message("m-bug", RepoFiles.request("grant-namespace-wildcard.json"), 1));
        eks.failNext(new EksAccessDeniedException("User: arn:aws:sts::111122223333:assumed-role/grant-processor/x is "
                + "not authorized to perform: eks:DescribeCluster"));
        invoke(handler, message("m-denied", RepoFiles.request("grant-by-cluster-arn.json"), 1));
        SQSEvent.SQSMessage withoutId = message("m-none", view, 1);
        withoutId.setMessageId(null);
        try {
            invoke(handler, withoutId);
        } catch (NullPointerException expected) {
            // Logged as an error and rethrown: the whole batch comes back.
        }
        return states;
    }

    private static void invoke(GrantRequestHandler handler, SQSEvent.SQSMessage... messages) {
        handler.handleRequest(GrantRequestHandlerTest.event(messages), new FakeLambdaContext("111122223333"));
    }

    private static SQSEvent.SQSMessage message(String id, String body, int receiveCount) {
        return GrantRequestHandlerTest.message(id, body, receiveCount);
    }

    /** swept with nothing due, swept with the time-bound grant due, error. */
    private void expirySweep(FakeGrantStates states) {
        List<String> queued = new ArrayList<>();
        ExpirySweepHandler sweep = new ExpirySweepHandler(states, new FakePendingApprovals(), queued::add, clock, lines::add);
        sweep.handleRequest(null, new FakeLambdaContext("111122223333"));
        clock.set(Instant.parse("2026-12-01T18:00:30Z"));
        sweep.handleRequest(null, new FakeLambdaContext("111122223333"));
        FakeGrantStates due = new FakeGrantStates();
        due.save(new GrantState(GrantRequestHandlerTest.CLUSTER.arn(), "arn:aws:iam::111122223333:role/auditors",
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", true, START, "g-1", START));
        ExpirySweepHandler broken = new ExpirySweepHandler(due, new FakePendingApprovals(), body -> {
            throw new IllegalStateException("SQS is unavailable (simulated)");
        }, clock, lines::add);
        try {
            broken.handleRequest(null, new FakeLambdaContext("111122223333"));
        } catch (IllegalStateException expected) {
            // Logged as an error and rethrown.
        }
    }
}
