package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.EksException;

/** The lockout invariants catch each kind of violation, sent over HTTP with the SDK as the functions send it. */
class LockoutInvariantsIT {

    private static final String CREATOR = "arn:aws:iam::111122223333:role/platform/creator";
    private static final String DEV = "arn:aws:iam::111122223333:role/dev";

    private EksEmulator emulator;
    private EksClient eks;

    @BeforeEach
    void start() {
        emulator = EksEmulator.start();
        eks = TestEksClients.eks(emulator.endpoint(), Region.EU_WEST_1);
    }

    @AfterEach
    void stop() {
        eks.close();
        emulator.close();
    }

    private void cluster(String name, AuthenticationMode mode, boolean creatorAdmin) {
        emulator.createCluster(ClusterSpec.builder(name).authenticationMode(mode)
                .bootstrapClusterCreatorAdminPermissions(creatorAdmin).creatorPrincipalArn(CREATOR).build());
    }

    @Test
    void clustersWithAnAdmin_andOnlyAllowedCalls_holdTheInvariants() {
        cluster("with-admin", AuthenticationMode.API_AND_CONFIG_MAP, true);
        cluster("legacy", AuthenticationMode.CONFIG_MAP, true);
        eks.createAccessEntry(r -> r.clusterName("with-admin").principalArn(DEV).kubernetesGroups("payments-readers"));
        eks.updateClusterConfig(r -> r.name("legacy").accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP")));

        assertThat(LockoutInvariants.violations(emulator)).isEmpty();
    }

    @Test
    void aSystemGroupSent_isAViolation_evenThoughEksRefusedIt() {
        cluster("payments", AuthenticationMode.API, true);

        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName("payments").principalArn(DEV)
                .kubernetesGroups("system:masters"))).isInstanceOf(EksException.class);

        assertThat(LockoutInvariants.violations(emulator)).singleElement().asString()
                .contains("CreateAccessEntry", "payments", "system:masters");
    }

    @Test
    void aModeSwitchToApi_isAViolation() {
        cluster("payments", AuthenticationMode.API_AND_CONFIG_MAP, true);

        eks.updateClusterConfig(r -> r.name("payments").accessConfig(a -> a.authenticationMode("API")));

        assertThat(LockoutInvariants.violations(emulator)).singleElement().asString()
                .contains("UpdateClusterConfig", "payments", "mode API ");
    }

    @Test
    void anActiveAccessEntryClusterWithoutAClusterAdmin_isAViolation_aNamespaceScopedOneDoesNotCount() {
        cluster("payments", AuthenticationMode.API, false);
        emulator.seedAccessEntry("payments", DEV);
        emulator.seedPolicyAssociation("payments", DEV, AccessPolicies.arnOf(AccessPolicies.CLUSTER_ADMIN),
                AccessScope.namespaces("payments"));

        assertThatThrownBy(() -> LockoutInvariants.assertHold(emulator)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("ACTIVE cluster payments (API) has no principal with AmazonEKSClusterAdminPolicy")
                .hasMessageContaining(DEV + " [AmazonEKSClusterAdminPolicy@namespace]");
    }

    @Test
    void aClusterStartedWithoutAdmin_isExcused_untilACallGaveItOne_thenLosingItIsAViolation() {
        String admin = AccessPolicies.arnOf(AccessPolicies.CLUSTER_ADMIN);
        cluster("payments", AuthenticationMode.API, false);
        eks.createAccessEntry(r -> r.clusterName("payments").principalArn(DEV));
        eks.associateAccessPolicy(r -> r.clusterName("payments").principalArn(DEV).policyArn(admin)
                .accessScope(s -> s.type("namespace").namespaces("payments")));
        LockoutInvariants.assertHold(emulator, Set.of("payments"));

        eks.associateAccessPolicy(r -> r.clusterName("payments").principalArn(DEV).policyArn(admin)
                .accessScope(s -> s.type("cluster")));
        eks.disassociateAccessPolicy(r -> r.clusterName("payments").principalArn(DEV).policyArn(admin));

        assertThatThrownBy(() -> LockoutInvariants.assertHold(emulator, Set.of("payments")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ACTIVE cluster payments (API) has no principal with AmazonEKSClusterAdminPolicy");
    }
}
