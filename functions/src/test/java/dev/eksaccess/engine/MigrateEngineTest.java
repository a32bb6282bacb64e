package dev.eksaccess.engine;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksInvalidParameterException;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.testing.AccessFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's migrate: the grant's path for STANDARD entries, EC2_LINUX entries for node roles, the mode switch. */
class MigrateEngineTest {

    private static final ActingFor FOR_MIGRATOR =
            ActingFor.sender("arn:aws:iam::111122223333:role/platform/aws-auth-migrator", "m-1");
    private static final String NODE = "arn:aws:iam::111122223333:role/nodes/linux-nodes";

    private final AccessFixture f = new AccessFixture();
    private final AccessEngine engine = f.engine();

    static String migrate(String principal, String entryType, String extra) {
        return "{\"action\":\"migrate\",\"clusterArn\":\"" + CLUSTER.arn() + "\",\"principalArn\":\"" + principal
                + "\",\"entryType\":\"" + entryType + "\",\"awsAuthMapping\":\"mapRoles[0] (line 1)\"" + extra + "}";
    }

    static String mastersMigrate(String principal) {
        return migrate(principal, "STANDARD", ",\"accessPolicy\":\"AmazonEKSClusterAdminPolicy\","
                + "\"accessScope\":{\"type\":\"cluster\"},\"username\":\"admin\"");
    }

    private AccessEngine switching() {
        return f.engine(new BootstrapSettings(List.of(), false, true));
    }

    @Test
    void systemMasters_becomesATaggedStandardEntry_withClusterAdminAtClusterScope() {
        ChangeResult result = engine.migrate(f.request(mastersMigrate(DEV)), FOR_MIGRATOR);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        AccessEntry entry = f.cluster.entry(DEV).orElseThrow();
        assertThat(entry.type()).isEqualTo(AccessEntry.STANDARD);
        assertThat(entry.username()).isEqualTo("admin");
        assertThat(entry.tags()).containsEntry(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE);
        assertThat(f.cluster.policies(DEV)).containsExactly(Map.entry(CLUSTER_ADMIN_ARN, AccessScope.cluster()));
    }

    @Test
    void aGroupsOnlyMapping_getsItsEntry_withoutPolicy_andAgainChangesNothing() {
        String body = migrate(DEV, "STANDARD", ",\"kubernetesGroups\":[\"payments-deployers\"]");
        engine.migrate(f.request(body), FOR_MIGRATOR);
        f.eks.calls.clear();

        ChangeResult again = engine.migrate(f.request(body), FOR_MIGRATOR);

        assertThat(f.cluster.entry(DEV).orElseThrow().kubernetesGroups()).containsExactly("payments-deployers");
        assertThat(f.cluster.policies(DEV)).isEmpty();
        assertThat(again.summary()).isEqualTo("the STANDARD entry has these groups and username already");
        assertThat(f.eks.calls).noneMatch(call -> call.startsWith("create") || call.startsWith("update")
                || call.startsWith("associate"));
    }

    @Test
    void aNodeRole_becomesAnEc2LinuxEntry_withTheNodesIdentity_andNoPolicy() {
        ChangeResult result = engine.migrate(f.request(migrate(NODE, NewAccessEntry.EC2_LINUX, "")), FOR_MIGRATOR);

        assertThat(result.summary()).isEqualTo("created EC2_LINUX access entry");
        AccessEntry entry = f.cluster.entry(NODE).orElseThrow();
        assertThat(entry.type()).isEqualTo(NewAccessEntry.EC2_LINUX);
        assertThat(entry.kubernetesGroups()).containsExactly("system:nodes");
        assertThat(f.cluster.policies(NODE)).isEmpty();
        assertThat(engine.migrate(f.request(migrate(NODE, NewAccessEntry.EC2_LINUX, "")), FOR_MIGRATOR).summary())
                .isEqualTo("the EC2_LINUX entry exists already");
    }

    @Test
    void anEntryOfAnotherType_isNeverReplaced() {
        engine.grant(f.request(grant(NODE, "AmazonEKSViewPolicy")), FOR_MIGRATOR);

        ChangeResult result = engine.migrate(f.request(migrate(NODE, NewAccessEntry.EC2_LINUX, "")), FOR_MIGRATOR);

        assertThat(result).isInstanceOfSatisfying(ChangeResult.Rejected.class, rejected -> assertThat(rejected.summary())
                .isEqualTo("the access entry of " + NODE + " is of type STANDARD, not EC2_LINUX as the mapping makes "
                        + "it; an entry's type never changes, and it is not replaced"));
        assertThat(f.cluster.entry(NODE).orElseThrow().type()).isEqualTo(AccessEntry.STANDARD);
    }

    @Test
    void theSafetyRules_ofAGrant_holdForAMigrate() {
        ChangeResult creator = engine.migrate(f.request(mastersMigrate(CREATOR)), FOR_MIGRATOR);
        assertThat(creator.summary()).contains("created the cluster; its access entry is never changed");

        engine.migrate(f.request(mastersMigrate(DEV)), FOR_MIGRATOR);
        String other = "arn:aws:iam::111122223333:role/other-admin";
        ChangeResult impersonating = engine.migrate(f.request(mastersMigrate(other)), FOR_MIGRATOR);
        assertThat(impersonating.summary()).contains("username admin is the Kubernetes username of " + DEV);
        assertThat(f.cluster.entry(other)).isEmpty();
    }

    @Test
    void onAConfigMapCluster_withoutTheSetting_aMigrateIsRefused_namingIt_andTheModeStays() {
        f.cluster.authenticationMode = ClusterState.CONFIG_MAP;

        ChangeResult result = engine.migrate(f.request(mastersMigrate(DEV)), FOR_MIGRATOR);

        assertThat(result).isInstanceOfSatisfying(ChangeResult.Rejected.class, rejected -> assertThat(
                rejected.summary()).isEqualTo("cluster uses authentication mode CONFIG_MAP, in which access entries do "
                + "not work; set ALLOW_AUTH_MODE_SWITCH=true to let eks-access switch it to API_AND_CONFIG_MAP, or "
                + "switch it yourself and send the migrate request again"));
        assertThat(f.cluster.authenticationMode).isEqualTo(ClusterState.CONFIG_MAP);
        assertThat(f.eks.calls).noneMatch(call -> call.startsWith("updateAuthenticationMode"));
    }

    @Test
    void onAConfigMapCluster_withTheSetting_aMigrateSwitchesToApiAndConfigMap_waits_thenApplies() {
        f.cluster.authenticationMode = ClusterState.CONFIG_MAP;
        AccessEngine engine = switching();

        assertThatThrownBy(() -> engine.migrate(f.request(mastersMigrate(DEV)), FOR_MIGRATOR))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> assertThat(e.nothingChanged()).isTrue())
                .hasMessage("switching authentication mode from CONFIG_MAP to API_AND_CONFIG_MAP; waiting for the "
                        + "cluster to be ACTIVE");
        assertThat(f.cluster.pendingAuthenticationMode).isEqualTo(ClusterState.API_AND_CONFIG_MAP);
        assertThatThrownBy(() -> engine.migrate(f.request(mastersMigrate(DEV)), FOR_MIGRATOR))
                .isInstanceOf(RetryLaterException.class).hasMessageContaining("UPDATING");

        ChangeResult result = engine.migrate(f.request(mastersMigrate(DEV)), FOR_MIGRATOR);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.cluster.authenticationMode).isEqualTo(ClusterState.API_AND_CONFIG_MAP);
        assertThat(f.eks.calls).filteredOn(c -> c.startsWith("updateAuthenticationMode"))
                .containsExactly("updateAuthenticationMode API_AND_CONFIG_MAP");
    }

    @Test
    void aSwitchAnotherRequestMadeMeanwhile_isWaitedFor_notRejected() {
        f.cluster.authenticationMode = ClusterState.CONFIG_MAP;
        // Another invocation (another principal's lease) switched the cluster between this one's read and its call:
        // EKS refuses the same switch again, and the cluster then reads API_AND_CONFIG_MAP.
        f.eks.failNextCallOf("updateAuthenticationMode", new EksInvalidParameterException("Unsupported "
                + "authentication mode update from API_AND_CONFIG_MAP to API_AND_CONFIG_MAP"));
        java.util.concurrent.atomic.AtomicInteger describes = new java.util.concurrent.atomic.AtomicInteger();
        f.eks.onCall(call -> {
            if (call.startsWith("describeCluster") && describes.incrementAndGet() == 2) {
                f.cluster.authenticationMode = ClusterState.API_AND_CONFIG_MAP;
            }
        });
        AccessEngine engine = switching();

        assertThatThrownBy(() -> engine.migrate(f.request(mastersMigrate(DEV)), FOR_MIGRATOR))
                .isInstanceOf(RetryLaterException.class)
                .hasMessage("the authentication mode was switched to API_AND_CONFIG_MAP meanwhile (cluster ACTIVE)");
        f.eks.onCall(call -> { });

        assertThat(engine.migrate(f.request(mastersMigrate(DEV)), FOR_MIGRATOR)).isInstanceOf(ChangeResult.Applied.class);
    }

    @Test
    void aGrant_onAConfigMapCluster_neverSwitchesIt_evenWithTheSetting() {
        f.cluster.authenticationMode = ClusterState.CONFIG_MAP;

        ChangeResult result = switching().grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_MIGRATOR);

        assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
        assertThat(f.cluster.authenticationMode).isEqualTo(ClusterState.CONFIG_MAP);
        assertThat(f.eks.calls).noneMatch(call -> call.startsWith("updateAuthenticationMode"));
    }

    @Test
    void anApiCluster_isNeverSwitched() {
        f.cluster.authenticationMode = ClusterState.API;

        assertThat(switching().migrate(f.request(mastersMigrate(DEV)), FOR_MIGRATOR))
                .isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.cluster.authenticationMode).isEqualTo(ClusterState.API);
        assertThat(f.eks.calls).noneMatch(call -> call.startsWith("updateAuthenticationMode"));
        assertThat(AccessPolicies.ADMIN_CLASS).contains(AccessPolicies.CLUSTER_ADMIN);
    }
}
