package dev.eksaccess.access;

import dev.eksaccess.access.testing.FakeEks;
import dev.eksaccess.access.testing.FakeGrantStates;
import dev.eksaccess.access.testing.FakeLedger;
import dev.eksaccess.access.testing.FakeRegistry;
import dev.eksaccess.access.testing.MutableClock;
import dev.eksaccess.config.AdminGrant;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.model.ClusterRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A cluster with a creator (holding cluster admin via EKS) and a configured admin, plus the fakes around it. */
final class AccessFixture {

    static final String ACCOUNT = "111122223333";
    static final ClusterRef CLUSTER = new ClusterRef("aws", "eu-west-1", ACCOUNT, "payments-prod");
    static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    static final String ADMIN = "arn:aws:iam::111122223333:role/break-glass";
    static final String DEV = "arn:aws:iam::111122223333:role/payments-dev";
    static final String CLUSTER_ADMIN_ARN = AccessPolicies.arnOf(AccessPolicies.CLUSTER_ADMIN);
    static final String VIEW_ARN = AccessPolicies.arnOf(AccessPolicies.VIEW);
    static final String EDIT_ARN = AccessPolicies.arnOf(AccessPolicies.EDIT);
    static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final FakeEks eks = new FakeEks(ACCOUNT);
    final FakeRegistry registry = new FakeRegistry();
    final FakeLedger ledger = new FakeLedger();
    final FakeGrantStates states = new FakeGrantStates();
    final InProcessLeases leases = new InProcessLeases();
    final FakeEks.Cluster cluster;
    final RequestParser parser = new RequestParser(RequestRules.defaults("eu-west-1", ACCOUNT), clock);
    private int messages;

    AccessFixture() {
        cluster = eks.cluster(CLUSTER, ClusterState.ACTIVE, ClusterState.API_AND_CONFIG_MAP)
                .withEntry(CREATOR, "STANDARD", Map.of(), CLUSTER_ADMIN_ARN);
        registry.putIfAbsent(FakeRegistry.record(CLUSTER.arn(), CREATOR, ClusterState.API_AND_CONFIG_MAP, true));
    }

    AccessEngine engine(BootstrapSettings settings) {
        return new AccessEngine(eks, registry, settings);
    }

    AccessEngine engine() {
        return engine(new BootstrapSettings(List.of(new AdminGrant(ADMIN, AccessPolicies.CLUSTER_ADMIN)), false, false));
    }

    RequestProcessor processor() {
        return new RequestProcessor(engine(), ledger, states, leases, clock);
    }

    /** The next queue message, sent now. */
    MessageMeta meta() {
        messages++;
        return new MessageMeta("msg-" + messages, clock.instant(), "AIDASENDER", 1);
    }

    AccessRequest request(String body) {
        return ((ParsedMessage.Access) parse(body)).request();
    }

    ParsedMessage parse(String body) {
        ParsedMessage parsed = parser.parse(body, meta());
        if (parsed instanceof ParsedMessage.Invalid invalid) {
            throw new AssertionError(invalid.rejectionReason());
        }
        return parsed;
    }

    static String grant(String principal, String policy, String scopeJson, String extra) {
        return "{\"action\":\"grant\",\"clusterName\":\"payments-prod\",\"principalArn\":\"" + principal
                + "\",\"accessPolicy\":\"" + policy + "\",\"accessScope\":" + scopeJson + extra + "}";
    }

    static String grant(String principal, String policy) {
        return grant(principal, policy, "{\"type\":\"cluster\"}", "");
    }

    static String revoke(String principal, String policy, String extra) {
        return "{\"action\":\"revoke\",\"clusterName\":\"payments-prod\",\"principalArn\":\"" + principal + "\""
                + (policy == null ? "" : ",\"accessPolicy\":\"" + policy + "\"") + extra + "}";
    }
}
