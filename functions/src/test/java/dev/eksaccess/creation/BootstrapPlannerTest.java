package dev.eksaccess.creation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.testing.EventFiles;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BootstrapPlannerTest {

    private static final String OWN_ACCOUNT = "111122223333";
    private static final String ADMIN = "arn:aws:iam::111122223333:role/platform/EksAdmin";
    private static final String BREAK_GLASS = "arn:aws:iam::111122223333:role/BreakGlass";

    private static ClusterCreated cluster(String sample) {
        return (ClusterCreated) new CloudTrailEventParser().parse(EventFiles.bytes("cloudtrail/create-cluster/" + sample));
    }

    private static BootstrapPlanner planner(List<String> admins, boolean creatorAdmin, boolean allowSwitch, String roleName) {
        return new BootstrapPlanner(admins, creatorAdmin, allowSwitch, Optional.ofNullable(roleName));
    }

    @Test
    void configuredAdminsOnAnAccessEntryCluster_arePending_andCounted() {
        BootstrapDecision decision = planner(List.of(ADMIN, BREAK_GLASS), false, false, null)
                .plan(cluster("iam-user.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.PENDING);
        assertThat(decision.sendsBootstrapRequest()).isTrue();
        assertThat(decision.reason()).isEqualTo("waiting for the cluster to become ACTIVE; will bootstrap 2 admin principal(s)");
        assertThat(decision.principals()).containsExactly(ADMIN, BREAK_GLASS);
        assertThat(decision.creatorNote()).isNull();
    }

    @Test
    void configMapCluster_withoutOptIn_isBlocked_namingTheModeAndTheSetting() {
        BootstrapDecision decision = planner(List.of(ADMIN), false, false, null)
                .plan(cluster("config-map-mode.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.BLOCKED);
        assertThat(decision.sendsBootstrapRequest()).isFalse();
        assertThat(decision.reason()).startsWith("1 admin principal(s) not bootstrapped: ")
                .contains("authentication mode is CONFIG_MAP")
                .contains("ALLOW_AUTH_MODE_SWITCH=true")
                .contains("API_AND_CONFIG_MAP");
    }

    @Test
    void configMapCluster_withOptIn_isPending_andWillSwitchToApiAndConfigMapNeverApi() {
        BootstrapDecision decision = planner(List.of(ADMIN), false, true, null)
                .plan(cluster("config-map-mode.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.PENDING);
        assertThat(decision.reason()).isEqualTo("waiting for the cluster to become ACTIVE; will switch its authentication "
                + "mode from CONFIG_MAP to API_AND_CONFIG_MAP (never API), wait for ACTIVE again, then bootstrap "
                + "1 admin principal(s)");
    }

    @Test
    void otherAccount_withoutRoleName_isBlocked_namingTheSetting() {
        BootstrapDecision decision = planner(List.of(ADMIN), false, false, null)
                .plan(cluster("other-account-and-region.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.BLOCKED);
        assertThat(decision.reason()).contains("account 444455556666, not this function's account 111122223333")
                .contains("CROSS_ACCOUNT_ROLE_NAME is not set");
    }

    @Test
    void otherAccount_withRoleName_isPending() {
        BootstrapDecision decision = planner(List.of(ADMIN), false, false, "platform/eks-access")
                .plan(cluster("other-account-and-region.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.PENDING);
    }

    @Test
    void everyBlockerIsNamed_whenSeveralApply() {
        ClusterCreated configMapElsewhere = cluster("config-map-mode.json");

        BootstrapDecision decision = planner(List.of(ADMIN), false, false, null).plan(configMapElsewhere, "999988887777");

        assertThat(decision.status()).isEqualTo(BootstrapStatus.BLOCKED);
        assertThat(decision.reason()).contains("CROSS_ACCOUNT_ROLE_NAME").contains("ALLOW_AUTH_MODE_SWITCH");
    }

    @Test
    void bootstrapFlagFalse_withCreatorAdmin_addsTheCreator() {
        BootstrapDecision decision = planner(List.of(ADMIN), true, false, null)
                .plan(cluster("bootstrap-flag-false.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.PENDING);
        assertThat(decision.principals()).containsExactly(ADMIN, "arn:aws:iam::111122223333:role/ci/github-actions-deployer");
        assertThat(decision.reason()).endsWith("will bootstrap 2 admin principal(s) (including the creator)");
        assertThat(decision.creatorNote()).isNull();
    }

    @Test
    void bootstrapFlagFalse_withCreatorAdminAndNoConfiguredAdmins_stillBootstrapsTheCreator() {
        BootstrapDecision decision = planner(List.of(), true, false, null)
                .plan(cluster("bootstrap-flag-false.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.PENDING);
        assertThat(decision.principals()).containsExactly("arn:aws:iam::111122223333:role/ci/github-actions-deployer");
    }

    @Test
    void bootstrapFlagFalse_withoutCreatorAdmin_leavesTheCreatorOut_andSaysSo() {
        BootstrapDecision decision = planner(List.of(ADMIN), false, false, null)
                .plan(cluster("bootstrap-flag-false.json"), OWN_ACCOUNT);

        assertThat(decision.principals()).containsExactly(ADMIN);
        assertThat(decision.creatorNote()).contains("bootstrapClusterCreatorAdminPermissions=false")
                .contains("CREATOR_ADMIN is false");
    }

    @Test
    void creatorThatIsAlsoAConfiguredAdmin_isCountedOnce() {
        String creator = "arn:aws:iam::111122223333:role/ci/github-actions-deployer";

        BootstrapDecision decision = planner(List.of(creator), true, false, null)
                .plan(cluster("bootstrap-flag-false.json"), OWN_ACCOUNT);

        assertThat(decision.principals()).containsExactly(creator);
        assertThat(decision.reason()).endsWith("will bootstrap 1 admin principal(s) (including the creator)");
    }

    @Test
    void bootstrapFlagTrue_neverAddsTheCreator_evenWithCreatorAdmin() {
        BootstrapDecision decision = planner(List.of(ADMIN), true, false, null)
                .plan(cluster("assumed-role-with-path.json"), OWN_ACCOUNT);

        assertThat(decision.principals()).containsExactly(ADMIN);
    }

    @Test
    void nothingToDo_isNotNeeded_andSaysWhy() {
        BootstrapDecision decision = planner(List.of(), false, false, null)
                .plan(cluster("iam-user.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.NOT_NEEDED);
        assertThat(decision.sendsBootstrapRequest()).isFalse();
        assertThat(decision.reason()).isEqualTo("nothing to bootstrap: no admin principals are configured (adminPrincipals) and the creator got "
                + "cluster admin from EKS (bootstrapClusterCreatorAdminPermissions=true)");
    }

    @Test
    void nothingToDo_winsOverBlockers_becauseThereIsNothingToUnblock() {
        BootstrapDecision decision = planner(List.of(), false, false, null)
                .plan(cluster("config-map-mode.json"), "999988887777");

        assertThat(decision.status()).isEqualTo(BootstrapStatus.NOT_NEEDED);
    }

    @Test
    void creatorThatCannotBeAPrincipal_isNotAdded_andTheNoteSaysWhy() {
        BootstrapDecision decision = planner(List.of(), true, false, null)
                .plan(cluster("aws-service.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.NOT_NEEDED);
        assertThat(decision.reason()).endsWith("the creator (AWSService) cannot be given an access entry");
        assertThat(decision.creatorNote()).startsWith("creator admin not granted: ").contains("sagemaker.amazonaws.com");
    }

    @Test
    void rootCreator_keepsItsNote_whileConfiguredAdminsAreBootstrapped() {
        BootstrapDecision decision = planner(List.of(ADMIN), true, false, null)
                .plan(cluster("root.json"), OWN_ACCOUNT);

        assertThat(decision.status()).isEqualTo(BootstrapStatus.PENDING);
        assertThat(decision.principals()).containsExactly(ADMIN);
        assertThat(decision.creatorNote()).contains("root user");
    }
}
