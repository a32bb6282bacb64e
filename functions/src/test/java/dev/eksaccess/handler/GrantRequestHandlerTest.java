package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.eksaccess.config.Environment;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.json.Json;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.testing.FakePendingApprovals;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testing.FakeEks;
import dev.eksaccess.testing.FakeGrantStates;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testing.FakeLedger;
import dev.eksaccess.testing.FakeRegistry;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.RepoFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GrantRequestHandlerTest {

    static final ClusterRef CLUSTER = new ClusterRef("aws", "eu-west-1", "111122223333", "payments-prod");
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final GrantProcessorConfig CONFIG = TestSenders.authorized(GrantProcessorConfig.from(new Environment(
            Map.of("LEDGER_TABLE", "ledger", "REGISTRY_TABLE", "registry", "GRANT_QUEUE_URL",
                    "https://sqs.eu-west-1.amazonaws.com/111122223333/grant-queue"))));

    private final FakeEks eks = new FakeEks("111122223333");
    private final FakeLedger ledger = new FakeLedger();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final GrantRequestHandler handler;

    GrantRequestHandlerTest() {
        eks.cluster(CLUSTER, ClusterState.ACTIVE, ClusterState.API);
        handler = GrantRequestHandler.builder(CONFIG, "eu-west-1").withEks(eks).withPrincipalIds(TestSenders.ids()).withPendingApprovals(new FakePendingApprovals()).withRegistry(new FakeRegistry())
                .withLedger(ledger).withStates(new FakeGrantStates()).withRetries(delays::put)
                .withClock(new MutableClock(NOW)).withLogSink(logs::add).build();
    }

    @Test
    void batch_reportsOnlyTheTransientFailure_andMapsSqsAttributesIntoTheLedger() {
        eks.failNext(new EksTransientException("Rate exceeded"));
        SQSEvent first = event(message("m-malformed", RepoFiles.request("invalid-malformed-json.json"), 1),
                message("m-throttled", RepoFiles.request("grant-expires-at.json"), 4));
        SQSEvent next = event(message("m-view", RepoFiles.request("grant-cluster-view.json"), 1));

        SQSBatchResponse response = handler.handleRequest(first, new FakeLambdaContext("111122223333"));
        SQSBatchResponse second = handler.handleRequest(next, new FakeLambdaContext("111122223333"));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-throttled");
        assertThat(delays).containsExactly(Map.entry("receipt-m-throttled", Duration.ofMinutes(4)));
        assertThat(second.getBatchItemFailures()).isEmpty();
        AuditRecord applied = ledger.only("m-view");
        assertThat(applied.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(applied.senderId()).isEqualTo(TestSenders.TEAM_SENDER);
        assertThat(applied.requestedAt()).isEqualTo(NOW.minusSeconds(5));
        assertThat(ledger.only("m-malformed").outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(logs).anySatisfy(line -> assertThat(line).contains("\"requestId\":\"m-view\"", "\"outcome\":\"applied\""));
    }

    /**
     * EKS is reached for the sender its SQS sender id resolved to, never the message's own {@code requestedBy}; the
     * system's own requests for the function that sent them. (Each call's session in a member account says so.)
     */
    @Test
    void eksIsReachedForTheResolvedSender_orTheSystemsFunction_withTheRequestsId() {
        SQSEvent.SQSMessage expiry = message("m-expiry", "{\"action\":\"revoke\",\"clusterName\":\"payments-prod\","
                + "\"principalArn\":\"arn:aws:iam::111122223333:role/payments-dev\",\"accessPolicy\":"
                + "\"AmazonEKSViewPolicy\",\"requestId\":\"expiry:0123abcd\",\"requestedBy\":\"someone\"}", 1);
        expiry.setAttributes(Map.of("SentTimestamp", String.valueOf(NOW.toEpochMilli()),
                "SenderId", TestSenders.EXPIRY_SWEEP_SENDER, "ApproximateReceiveCount", "1"));

        handler.handleRequest(event(message("m-view", RepoFiles.request("grant-cluster-view.json"), 1)),
                new FakeLambdaContext("111122223333"));
        handler.handleRequest(event(expiry), new FakeLambdaContext("111122223333"));

        assertThat(ledger.only("m-view").outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(ledger.only("expiry:0123abcd").outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(eks.actedFor()).containsOnly(ActingFor.sender(TestSenders.TEAM, "m-view"),
                ActingFor.function(SessionIdentity.EXPIRY_SWEEP, "expiry:0123abcd"))
                .contains(ActingFor.sender(TestSenders.TEAM, "m-view"),
                        ActingFor.function(SessionIdentity.EXPIRY_SWEEP, "expiry:0123abcd"));
    }

    @Test
    void lines_carryTheInvocationsRequestId_andColdStartOnTheFirstInvocationOnly() {
        FakeLambdaContext first = new FakeLambdaContext("111122223333");
        FakeLambdaContext second = new FakeLambdaContext("111122223333");

        handler.handleRequest(event(message("m-1", RepoFiles.request("grant-cluster-view.json"), 1)), first);
        handler.handleRequest(event(message("m-2", RepoFiles.request("invalid-malformed-json.json"), 1)), second);

        assertThat(logs).containsExactly(
                "{\"timestamp\":\"2026-11-28T10:00:00.000Z\",\"level\":\"INFO\",\"function\":\"grant-processor\","
                        + "\"awsRequestId\":\"" + first.getAwsRequestId() + "\",\"coldStart\":true,"
                        + "\"messageId\":\"m-1\",\"requestId\":\"m-1\",\"outcome\":\"applied\","
                        + "\"reason\":" + Json.quote(ledger.only("m-1").outcomeReason()) + ","
                        + "\"clusterArn\":\"" + CLUSTER.arn() + "\",\"principalArn\":\""
                        + ledger.only("m-1").principalArn() + "\",\"receiveCount\":1}",
                "{\"timestamp\":\"2026-11-28T10:00:00.000Z\",\"level\":\"WARN\",\"function\":\"grant-processor\","
                        + "\"awsRequestId\":\"" + second.getAwsRequestId() + "\",\"coldStart\":false,"
                        + "\"messageId\":\"m-2\",\"requestId\":\"m-2\",\"outcome\":\"rejected\","
                        + "\"reason\":" + Json.quote(ledger.only("m-2").outcomeReason()) + ",\"receiveCount\":1}");
    }

    @Test
    void anExceptionOutsideTheMessages_isLoggedAsAnError_andRethrown_soThatTheWholeBatchComesBack() {
        SQSEvent.SQSMessage withoutId = message("m-1", "{}", 1);
        withoutId.setMessageId(null);

        assertThatThrownBy(() -> handler.handleRequest(event(withoutId), new FakeLambdaContext("111122223333")))
                .isInstanceOf(NullPointerException.class);

        assertThat(logs).singleElement().asString().contains("\"level\":\"ERROR\"", "\"outcome\":\"error\"",
                "\"reason\":\"messageId\",\"errorType\":\"NullPointerException\",\"retried\":true}");
    }

    static SQSEvent event(SQSEvent.SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        return event;
    }

    static SQSEvent.SQSMessage message(String id, String body, int receiveCount) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setReceiptHandle("receipt-" + id);
        message.setBody(body);
        message.setAttributes(Map.of("SentTimestamp", String.valueOf(NOW.minusSeconds(5).toEpochMilli()),
                "SenderId", TestSenders.TEAM_SENDER, "ApproximateReceiveCount", String.valueOf(receiveCount)));
        return message;
    }

    @Test
    void priming_parsesARepresentativeMessage_withTheFunctionsOwnRules_withoutTouchingAnyPort() {
        handler.priming().beforeCheckpoint(null);
        String primed = handler.priming().prime();

        assertThat(eks.calls).isEmpty();
        assertThat(ledger.all()).isEmpty();
        assertThat(delays).isEmpty();
        assertThat(logs).isEmpty();
        assertThat(primed).as("the priming message exercises the whole validation, so it must be valid")
                .contains("\"action\":\"grant\"", "\"principalArn\":\"arn:aws:iam::000000000000:role/priming\"",
                        "\"accessPolicy\":\"AmazonEKSViewPolicy\"", "\"namespaces\":[\"priming-*\"]");
    }

    @Test
    void builder_namesTheFirstMissingPort() {
        assertThatThrownBy(() -> GrantRequestHandler.builder(CONFIG, "eu-west-1").withEks(eks).build())
                .isInstanceOf(NullPointerException.class).hasMessage("registry: withRegistry(...) is required");
    }

    @Test
    void sqsAttributes_becomeTheMessageMeta_withSafeDefaults() {
        var inbound = GrantRequestHandler.inbound(message("m1", "{}", 3));
        SQSEvent.SQSMessage bare = new SQSEvent.SQSMessage();
        bare.setMessageId("m2");

        assertThat(inbound.meta().sentAt()).isEqualTo(NOW.minusSeconds(5));
        assertThat(inbound.meta().senderId()).isEqualTo(TestSenders.TEAM_SENDER);
        assertThat(inbound.meta().receiveCount()).isEqualTo(3);
        assertThat(inbound.receiptHandle()).isEqualTo("receipt-m1");
        assertThat(GrantRequestHandler.inbound(bare).meta().receiveCount()).isEqualTo(1);
    }
}
