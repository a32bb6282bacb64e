package dev.eksaccess.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.engine.AccessSnapshot;
import dev.eksaccess.model.ClusterRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact JSON text the functions write for requests and ledger snapshots: other senders, the ledger's readers and
 * the CLI see these bytes, so field order, nulls and escaping are part of the contract.
 */
class WireFormTest {

    private static final ClusterRef CLUSTER = new ClusterRef("aws", "eu-west-1", "111122223333", "payments-prod");
    private static final String ROLE = "arn:aws:iam::111122223333:role/payments-dev";
    private static final Instant REQUESTED = Instant.parse("2026-11-28T09:59:58Z");

    @Test
    void grant_withEveryField_inContractOrder_withEscapedText() {
        AccessRequest grant = new AccessRequest(Action.GRANT, CLUSTER, ROLE, "AmazonEKSEditPolicy",
                AccessScope.namespaces(List.of("payments", "payments-*")), List.of("readers", "on-call"),
                "payments:{{SessionName}}", Instant.parse("2026-12-01T18:00:00Z"), "CHG-1", REQUESTED,
                "alice \"the admin\"", "line 1\nline 2\t\u0001 caf\u00e9 \u2028 \\ /");

        assertThat(grant.toJson()).isEqualTo("{\"action\":\"grant\","
                + "\"clusterArn\":\"arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod\","
                + "\"principalArn\":\"arn:aws:iam::111122223333:role/payments-dev\","
                + "\"accessPolicy\":\"AmazonEKSEditPolicy\","
                + "\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[\"payments\",\"payments-*\"]},"
                + "\"kubernetesGroups\":[\"readers\",\"on-call\"],\"username\":\"payments:{{SessionName}}\","
                + "\"expiresAt\":\"2026-12-01T18:00:00Z\",\"requestId\":\"CHG-1\","
                + "\"requestedAt\":\"2026-11-28T09:59:58Z\",\"requestedBy\":\"alice \\\"the admin\\\"\","
                + "\"reason\":\"line 1\\nline 2\\t\\u0001 caf\u00e9 \u2028 \\\\ /\"}");
    }

    @Test
    void clusterScopedGrant_withEmptyGroups_andRevokeOfEverything_leaveOutWhatTheyDoNotHave() {
        AccessRequest grant = new AccessRequest(Action.GRANT, CLUSTER, ROLE, "AmazonEKSViewPolicy",
                AccessScope.cluster(), List.of(), null, null, "r-1", REQUESTED, null, null);
        AccessRequest revokeAll = new AccessRequest(Action.REVOKE, CLUSTER, ROLE, null, null, null, null, null,
                "r-2", REQUESTED, "expiry-sweep", null);

        assertThat(grant.toJson()).isEqualTo("{\"action\":\"grant\","
                + "\"clusterArn\":\"arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod\","
                + "\"principalArn\":\"arn:aws:iam::111122223333:role/payments-dev\","
                + "\"accessPolicy\":\"AmazonEKSViewPolicy\",\"accessScope\":{\"type\":\"cluster\"},"
                + "\"kubernetesGroups\":[],\"requestId\":\"r-1\",\"requestedAt\":\"2026-11-28T09:59:58Z\"}");
        assertThat(revokeAll.toJson()).isEqualTo("{\"action\":\"revoke\","
                + "\"clusterArn\":\"arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod\","
                + "\"principalArn\":\"arn:aws:iam::111122223333:role/payments-dev\",\"requestId\":\"r-2\","
                + "\"requestedAt\":\"2026-11-28T09:59:58Z\",\"requestedBy\":\"expiry-sweep\"}");
    }

    @Test
    void bootstrapRequest() {
        BootstrapRequest bootstrap = BootstrapRequest.forEvent(CLUSTER.arn(), "evt-\"1\"", REQUESTED);

        assertThat(bootstrap.toJson()).isEqualTo("{\"action\":\"bootstrap\","
                + "\"clusterArn\":\"arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod\","
                + "\"requestId\":\"bootstrap:evt-\\\"1\\\"\",\"requestedAt\":\"2026-11-28T09:59:58Z\","
                + "\"requestedBy\":\"cluster-creation\"}");
    }

    @Test
    void accessSnapshots_ofNoEntry_andOfEntriesWithAndWithoutUsername() {
        AccessEntry managed = new AccessEntry(ROLE, AccessEntry.STANDARD, List.of("readers", "a\"b"), "dev:{{SessionName}}",
                Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE));
        AccessEntry foreign = new AccessEntry(ROLE, "EC2_LINUX", List.of(), null, Map.of());
        List<AssociatedPolicy> policies = List.of(
                new AssociatedPolicy("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", AccessScope.cluster()),
                new AssociatedPolicy("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
                        AccessScope.namespaces(List.of("a", "b-*"))));

        assertThat(AccessSnapshot.NONE.toJson()).isEqualTo("{\"entry\":null,\"policies\":[]}");
        assertThat(new AccessSnapshot(managed, policies).toJson()).isEqualTo("{\"entry\":{\"type\":\"STANDARD\","
                + "\"kubernetesGroups\":[\"readers\",\"a\\\"b\"],\"username\":\"dev:{{SessionName}}\","
                + "\"createdByThisSystem\":true},\"policies\":["
                + "{\"policyArn\":\"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy\",\"scope\":\"cluster\"},"
                + "{\"policyArn\":\"arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy\","
                + "\"scope\":\"namespace[a, b-*]\"}]}");
        assertThat(new AccessSnapshot(foreign, List.of()).toJson()).isEqualTo("{\"entry\":{\"type\":\"EC2_LINUX\","
                + "\"kubernetesGroups\":[],\"createdByThisSystem\":false},\"policies\":[]}");
    }
}
