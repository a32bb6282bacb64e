package dev.eksaccess.testing;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.delivery.InProcessLeases;
import dev.eksaccess.delivery.RequestProcessor;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.engine.AccessEngine;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.engine.BootstrapSettings;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A cluster with a creator (holding cluster admin via EKS) and a configured admin, plus the fakes around it. */
public final class AccessFixture {

    public static final String ACCOUNT = "111122223333";
    public static final ClusterRef CLUSTER = new ClusterRef("aws", "eu-west-1", ACCOUNT, "payments-prod");
    public static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    public static final String ADMIN = "arn:aws:iam::111122223333:role/break-glass";
    public static final String DEV = "arn:aws:iam::111122223333:role/payments-dev";
    public static final String CLUSTER_ADMIN_ARN = AccessPolicies.arnOf(AccessPolicies.CLUSTER_ADMIN);
    public static final String VIEW_ARN = AccessPolicies.arnOf(AccessPolicies.VIEW);
    public static final String EDIT_ARN = AccessPolicies.arnOf(AccessPolicies.EDIT);
    public static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    public final MutableClock clock = new MutableClock(START);
    public final FakeEks eks = new FakeEks(ACCOUNT);
    public final FakeRegistry registry = new FakeRegistry();
    public final FakeLedger ledger = new FakeLedger();
    public final FakeGrantStates states = new FakeGrantStates();
    public final InProcessLeases leases = new InProcessLeases();
    public final FakePendingApprovals pending = new FakePendingApprovals();
    public final RecordingOutcomes outcomes = new RecordingOutcomes();
    public final FakeEks.Cluster cluster;
    public final RequestParser parser = new RequestParser(RequestRules.defaults("eu-west-1", ACCOUNT), clock);
    private int messages;

    public AccessFixture() {
        cluster = eks.cluster(CLUSTER, ClusterState.ACTIVE, ClusterState.API_AND_CONFIG_MAP)
                .withEntry(CREATOR, "STANDARD", Map.of(), CLUSTER_ADMIN_ARN);
        registry.putIfAbsent(FakeRegistry.record(CLUSTER.arn(), CREATOR, ClusterState.API_AND_CONFIG_MAP, true));
    }

    public AccessEngine engine(BootstrapSettings settings) {
        return new AccessEngine(eks, registry, settings);
    }

    public AccessEngine engine() {
        return engine(new BootstrapSettings(List.of(new AdminGrant(ADMIN, AccessPolicies.CLUSTER_ADMIN)), false, false));
    }

    public RequestProcessor processor() {
        AccessEngine engine = engine();
        return new RequestProcessor(engine, ledger, states, leases, clock,
                TestSenders.control(engine, pending, outcomes, clock));
    }

    /** The next queue message, sent now by the team sender ({@link TestSenders#TEAM}). */
    public MessageMeta meta() {
        return meta(TestSenders.TEAM_SENDER);
    }

    /** The next queue message, sent now by {@code senderId}. */
    public MessageMeta meta(String senderId) {
        messages++;
        return new MessageMeta("msg-" + messages, clock.instant(), senderId, 1);
    }

    public AccessRequest request(String body) {
        return ((ParsedMessage.Access) parse(body)).request();
    }

    public ParsedMessage parse(String body) {
        ParsedMessage parsed = parser.parse(body, meta());
        if (parsed instanceof ParsedMessage.Invalid invalid) {
            throw new AssertionError(invalid.rejectionReason());
        }
        return parsed;
    }

    public static String grant(String principal, String policy, String scopeJson, String extra) {
        return "{\"action\":\"grant\",\"clusterName\":\"payments-prod\",\"principalArn\":\"" + principal
                + "\",\"accessPolicy\":\"" + policy + "\",\"accessScope\":" + scopeJson + extra + "}";
    }

    public static String grant(String principal, String policy) {
        return grant(principal, policy, "{\"type\":\"cluster\"}", "");
    }

    public static String revoke(String principal, String policy, String extra) {
        return "{\"action\":\"revoke\",\"clusterName\":\"payments-prod\",\"principalArn\":\"" + principal + "\""
                + (policy == null ? "" : ",\"accessPolicy\":\"" + policy + "\"") + extra + "}";
    }
}
