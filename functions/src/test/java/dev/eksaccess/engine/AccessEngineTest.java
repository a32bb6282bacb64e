package dev.eksaccess.engine;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.eks.EksAccessDeniedException;
import dev.eksaccess.eks.EksAccessException;
import dev.eksaccess.eks.EksInvalidParameterException;
import dev.eksaccess.eks.EksInvalidRequestException;
import dev.eksaccess.eks.EksLimitExceededException;
import dev.eksaccess.eks.EksNotFoundException;
import dev.eksaccess.eks.EksResourceInUseException;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.testing.AccessFixture;
import dev.eksaccess.testing.FakeRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessEngineTest {

    /** The sender and request every change here is made for; the fake EKS reaches one account only. */
    private static final ActingFor FOR_TEAM = ActingFor.sender("arn:aws:iam::111122223333:role/team", "r-1");
    private static final ActingFor FOR_BOOTSTRAP = ActingFor.function(SessionIdentity.CLUSTER_CREATION, "bootstrap:e-1");

    private final AccessFixture f = new AccessFixture();
    private final AccessEngine engine = f.engine();

    // ---- grant ----

    @Test
    void grant_createsATaggedStandardEntry_andAssociatesThePolicyWithTheScope() {
        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy",
                "{\"type\":\"namespace\",\"namespaces\":[\"payments\",\"payments-*\"]}",
                ",\"kubernetesGroups\":[\"readers\"],\"username\":\"dev\"")), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        AccessEntry entry = f.cluster.entry(DEV).orElseThrow();
        assertThat(entry.type()).isEqualTo("STANDARD");
        assertThat(entry.kubernetesGroups()).containsExactly("readers");
        assertThat(entry.username()).isEqualTo("dev");
        assertThat(entry.tags()).containsEntry("managed-by", "eks-access").containsEntry("eks-access/request-id", "msg-1");
        assertThat(f.cluster.policies(DEV))
                .containsExactly(Map.entry(VIEW_ARN, AccessScope.namespaces(List.of("payments", "payments-*"))));
        assertThat(((ChangeResult.Applied) result).after().policies()).hasSize(1);
    }

    @Test
    void grant_updatesGroupsAndUsernameOfAnExistingEntry_whenTheyDiffer() {
        engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"kubernetesGroups\":[\"a\"]")), FOR_TEAM);

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"kubernetesGroups\":[\"b\"],\"username\":\"dev-user\"")), FOR_TEAM);

        assertThat(f.cluster.entry(DEV).orElseThrow().kubernetesGroups()).containsExactly("b");
        assertThat(f.cluster.entry(DEV).orElseThrow().username()).isEqualTo("dev-user");
        assertThat(result.summary()).contains("updated entry groups [a] -> [b]");
    }

    @Test
    void grant_leavesAnExistingEntryAlone_whenGroupsAndUsernameAreNotGiven() {
        engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"kubernetesGroups\":[\"a\"]")), FOR_TEAM);
        f.eks.calls.clear();

        engine.grant(f.request(grant(DEV, "AmazonEKSEditPolicy")), FOR_TEAM);

        assertThat(f.eks.calls).noneMatch(c -> c.startsWith("updateAccessEntry"));
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(VIEW_ARN, EDIT_ARN);
    }

    @Test
    void regrant_replacesTheScopeOfThePolicy() {
        engine.grant(f.request(grant(DEV, "AmazonEKSEditPolicy", "{\"type\":\"namespace\",\"namespaces\":[\"a\"]}", "")), FOR_TEAM);

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSEditPolicy",
                "{\"type\":\"namespace\",\"namespaces\":[\"b\"]}", "")), FOR_TEAM);

        assertThat(f.cluster.policies(DEV)).containsExactly(Map.entry(EDIT_ARN, AccessScope.namespaces(List.of("b"))));
        assertThat(result.summary()).contains("changed scope of " + EDIT_ARN + " from namespace[a] to namespace[b]");
    }

    @Test
    void grant_associatesWithAnEntryCreatedConcurrently_whenCreateSays409() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of());
        f.eks.hideOnce(DEV);

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(VIEW_ARN);
        assertThat(f.cluster.entry(DEV).orElseThrow().tags()).isEmpty();
        assertThat(f.eks.calls).contains("createAccessEntry " + DEV);
    }

    // ---- refusals ----

    @Test
    void grantOrRevoke_refusesToTouchTheCreatorsEntry() {
        ChangeResult grant = engine.grant(f.request(grant(CREATOR, "AmazonEKSViewPolicy")), FOR_TEAM);
        ChangeResult revoke = engine.revoke(f.request(revoke(CREATOR, "AmazonEKSClusterAdminPolicy", "")), List.of(), FOR_TEAM);

        assertThat(grant).isInstanceOf(ChangeResult.Rejected.class);
        assertThat(revoke.summary()).contains("created the cluster", "never changed by requests");
        assertThat(f.cluster.policies(CREATOR)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
        assertThat(f.eks.calls).noneMatch(c -> c.startsWith("associate") || c.startsWith("disassociate"));
    }

    // ---- Kubernetes identity ----

    private static final String OPS = "arn:aws:iam::111122223333:role/ops";

    @Test
    void grant_refusesToRewriteTheGroupsOfAnEntryEksAccessDidNotCreate_andChangesNothing() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of());
        AccessEntry before = f.cluster.entry(DEV).orElseThrow();

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"kubernetesGroups\":[\"payments-readers\"]")), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
        assertThat(((ChangeResult.Rejected) result).bySafetyRule()).isTrue();
        assertThat(result.summary()).contains("was not created by eks-access", "kubernetesGroups are never rewritten");
        assertThat(f.cluster.entry(DEV)).contains(before);
        assertThat(f.cluster.policies(DEV)).isEmpty();
    }

    @Test
    void grant_refusesToRewriteTheUsernameOfAnEntryEksAccessDidNotCreate() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of());
        AccessEntry before = f.cluster.entry(DEV).orElseThrow();

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"username\":\"payments-dev\"")), FOR_TEAM);

        assertThat(result.summary()).contains("was not created by eks-access", "username is never rewritten");
        assertThat(f.cluster.entry(DEV)).contains(before);
        assertThat(f.cluster.policies(DEV)).isEmpty();
    }

    @Test
    void grant_toAnEntryEksAccessDidNotCreate_withoutGroupsOrUsername_associatesThePolicyOnly() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of());
        AccessEntry before = f.cluster.entry(DEV).orElseThrow();

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.cluster.entry(DEV)).contains(before);
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(VIEW_ARN);
    }

    @Test
    void grant_refusesToRewriteGroups_ofAnEntrySomeoneElseCreatedBetweenTheReadAndTheCreate() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of());
        f.eks.hideOnce(DEV);

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"kubernetesGroups\":[\"payments-readers\"]")), FOR_TEAM);

        assertThat(result.summary()).contains("was not created by eks-access");
        assertThat(f.cluster.entry(DEV).orElseThrow().kubernetesGroups()).isEmpty();
        assertThat(f.eks.calls).noneMatch(c -> c.startsWith("updateAccessEntry") || c.startsWith("associate"));
    }

    @Test
    void grant_refusesAnArnShapedUsername_whichWouldPassForAnIamIdentity() {
        for (String username : List.of("arn:aws:iam::111122223333:role/break-glass",
                "ARN:aws:sts::111122223333:assumed-role/break-glass/{{SessionName}}")) {
            ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                    ",\"username\":\"" + username + "\"")), FOR_TEAM);

            assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
            assertThat(result.summary()).contains("looks like an ARN", "impersonate");
        }
        assertThat(f.cluster.entry(DEV)).isEmpty();
    }

    @Test
    void grant_refusesTheUsernameOfAnotherPrincipalsEntry_onTheSameCluster() {
        engine.grant(f.request(grant(OPS, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"username\":\"ops-oncall\"")), FOR_TEAM);

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"username\":\"ops-oncall\"")), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
        assertThat(result.summary()).isEqualTo("username ops-oncall is the Kubernetes username of " + OPS
                + "'s access entry on this cluster: it would impersonate that principal");
        assertThat(f.cluster.entry(DEV)).isEmpty();
        // the principal that has it may be granted again with it
        assertThat(engine.grant(f.request(grant(OPS, "AmazonEKSEditPolicy", "{\"type\":\"cluster\"}",
                ",\"username\":\"ops-oncall\"")), FOR_TEAM)).isInstanceOf(ChangeResult.Applied.class);
    }

    @Test
    void grant_refusesANewUsername_onAClusterWithTooManyEntriesToCheck() {
        for (int i = 0; i < AccessEngine.USERNAME_CHECK_LIMIT; i++) {
            f.cluster.withEntry("arn:aws:iam::111122223333:role/r" + i, "STANDARD", Map.of());
        }

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"username\":\"payments-dev\"")), FOR_TEAM);

        assertThat(result.summary()).contains("more than the " + AccessEngine.USERNAME_CHECK_LIMIT);
        assertThat(f.cluster.entry(DEV)).isEmpty();
        assertThat(engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM)).isInstanceOf(ChangeResult.Applied.class);
    }

    @Test
    void revoke_ofTheLastPolicy_removesTheGroupsAndUsernameEksAccessSet_withTheEntry() {
        engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"kubernetesGroups\":[\"payments-readers\"],\"username\":\"payments-dev\"")), FOR_TEAM);

        ChangeResult result = engine.revoke(f.request(revoke(DEV, "AmazonEKSViewPolicy", "")), List.of(), FOR_TEAM);

        assertThat(result.summary()).contains("deleted the access entry");
        assertThat(f.cluster.entry(DEV)).isEmpty();
    }

    @Test
    void looksLikeArn_isAnyCaseArnPrefix() {
        assertThat(SafetyRules.looksLikeArn("arn:aws:iam::1:user/x")).isTrue();
        assertThat(SafetyRules.looksLikeArn("Arn:x")).isTrue();
        assertThat(SafetyRules.looksLikeArn("payments-arn:x")).isFalse();
        assertThat(SafetyRules.looksLikeArn("ar")).isFalse();
    }

    @Test
    void revoke_refusesToRemoveTheAccessOfAConfiguredAdmin() {
        f.cluster.withEntry(ADMIN, "STANDARD", Map.of("managed-by", "eks-access"), CLUSTER_ADMIN_ARN);

        ChangeResult result = engine.revoke(f.request(revoke(ADMIN, null, "")), List.of(CLUSTER_ADMIN_ARN), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
        assertThat(result.summary()).contains("configured admin (adminPrincipals)");
        assertThat(f.cluster.policies(ADMIN)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
    }

    @Test
    void revoke_refusesToRemoveTheLastClusterAdmin() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of("managed-by", "eks-access"), CLUSTER_ADMIN_ARN);
        f.cluster.withEntry(CREATOR, "STANDARD", Map.of());

        ChangeResult result = engine.revoke(f.request(revoke(DEV, "AmazonEKSClusterAdminPolicy", "")), List.of(), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
        assertThat(result.summary()).contains("last one holding AmazonEKSClusterAdminPolicy");
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
    }

    @Test
    void revoke_refusesToRemoveTheLastClusterScopeAdmin_whenOthersHoldClusterAdminOnlyInANamespace() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of("managed-by", "eks-access"), CLUSTER_ADMIN_ARN);
        f.cluster.withEntry(CREATOR, "STANDARD", Map.of());
        String namespaceAdmin = "arn:aws:iam::111122223333:role/namespace-admin";
        ChangeResult granted = engine.grant(f.request(grant(namespaceAdmin, "AmazonEKSClusterAdminPolicy",
                "{\"type\":\"namespace\",\"namespaces\":[\"team-a\"]}", ",\"duration\":\"PT1H\"")), FOR_TEAM);
        assertThat(granted).as(granted.summary()).isInstanceOf(ChangeResult.Applied.class);

        ChangeResult result = engine.revoke(f.request(revoke(DEV, "AmazonEKSClusterAdminPolicy", "")), List.of(), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
        assertThat(result.summary()).contains("last one holding AmazonEKSClusterAdminPolicy at cluster scope");
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
    }

    @Test
    void revoke_removesClusterAdmin_whenAnotherPrincipalHoldsItAtClusterScope() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of("managed-by", "eks-access"), CLUSTER_ADMIN_ARN);
        f.cluster.withEntry(CREATOR, "STANDARD", Map.of());
        f.cluster.withEntry(ADMIN, "STANDARD", Map.of(), CLUSTER_ADMIN_ARN);

        ChangeResult result = engine.revoke(f.request(revoke(DEV, "AmazonEKSClusterAdminPolicy", "")), List.of(), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.cluster.entry(DEV)).isEmpty();
    }

    @Test
    void grant_refusesToNarrowTheLastClusterAdminToNamespaces() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of("managed-by", "eks-access"), CLUSTER_ADMIN_ARN);
        f.cluster.withEntry(CREATOR, "STANDARD", Map.of());

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSClusterAdminPolicy",
                "{\"type\":\"namespace\",\"namespaces\":[\"a\"]}", ",\"duration\":\"PT1H\"")), FOR_TEAM);

        assertThat(result.summary()).contains("last one holding AmazonEKSClusterAdminPolicy");
        assertThat(f.cluster.policies(DEV)).containsExactly(Map.entry(CLUSTER_ADMIN_ARN, AccessScope.cluster()));
    }

    @Test
    void revoke_removesClusterAdmin_whenAnotherPrincipalStillHoldsIt() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of("managed-by", "eks-access"), CLUSTER_ADMIN_ARN);

        ChangeResult result = engine.revoke(f.request(revoke(DEV, "AmazonEKSClusterAdminPolicy", "")), List.of(), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.cluster.entry(DEV)).isEmpty();
    }

    @Test
    void grantOrRevoke_refusesToModifyNonStandardEntries() {
        String node = "arn:aws:iam::111122223333:role/node-role";
        f.cluster.withEntry(node, "EC2_LINUX", Map.of());

        ChangeResult grant = engine.grant(f.request(grant(node, "AmazonEKSViewPolicy")), FOR_TEAM);
        ChangeResult revoke = engine.revoke(f.request(revoke(node, null, "")), List.of(VIEW_ARN), FOR_TEAM);

        assertThat(grant.summary()).contains("of type EC2_LINUX; only STANDARD entries are managed");
        assertThat(revoke).isInstanceOf(ChangeResult.Rejected.class);
        assertThat(f.cluster.entry(node)).isPresent();
    }

    @Test
    void revoke_neverDeletesAnEntryThisSystemDidNotCreate() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of("team", "payments"), VIEW_ARN);

        ChangeResult result = engine.revoke(f.request(revoke(DEV, "AmazonEKSViewPolicy", "")), List.of(), FOR_TEAM);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.cluster.policies(DEV)).isEmpty();
        assertThat(f.cluster.entry(DEV)).isPresent();
        assertThat(result.summary()).contains("entry kept: it was not created by eks-access");
    }

    // ---- revoke ----

    @Test
    void revoke_deletesTheEntryItCreated_whenNoPolicyIsLeft() {
        engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM);

        ChangeResult result = engine.revoke(f.request(revoke(DEV, "AmazonEKSViewPolicy", "")), List.of(), FOR_TEAM);

        assertThat(f.cluster.entry(DEV)).isEmpty();
        assertThat(result.summary()).contains("disassociated " + VIEW_ARN, "deleted the access entry");
        assertThat(((ChangeResult.Applied) result).after().entry()).isNull();
    }

    @Test
    void revoke_keepsTheEntry_whileOtherPoliciesRemain() {
        engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM);
        engine.grant(f.request(grant(DEV, "AmazonEKSEditPolicy")), FOR_TEAM);

        engine.revoke(f.request(revoke(DEV, "AmazonEKSViewPolicy", "")), List.of(), FOR_TEAM);

        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(EDIT_ARN);
    }

    @Test
    void revokeAll_removesOnlyThePoliciesThisSystemGranted() {
        f.cluster.withEntry(DEV, "STANDARD", Map.of(), VIEW_ARN, EDIT_ARN);

        ChangeResult result = engine.revoke(f.request(revoke(DEV, null, "")), List.of(EDIT_ARN), FOR_TEAM);

        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(VIEW_ARN);
        assertThat(((ChangeResult.Applied) result).revokedPolicyArns()).containsExactly(EDIT_ARN);
    }

    @Test
    void revoke_withoutAnEntry_changesNothing() {
        ChangeResult result = engine.revoke(f.request(revoke(DEV, "AmazonEKSViewPolicy", "")), List.of(), FOR_TEAM);

        assertThat(result.summary()).isEqualTo("no access entry; nothing to revoke");
        assertThat(f.eks.calls).noneMatch(c -> c.startsWith("disassociate") || c.startsWith("delete"));
    }

    // ---- cluster state ----

    @Test
    void clusterThatIsCreatingOrUpdating_isRetriedLater() {
        f.cluster.status = ClusterState.CREATING;

        assertThatThrownBy(() -> engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM))
                .isInstanceOf(RetryLaterException.class).hasMessageContaining("CREATING");
        f.cluster.status = ClusterState.UPDATING;
        assertThatThrownBy(() -> engine.revoke(f.request(revoke(DEV, null, "")), List.of(), FOR_TEAM))
                .isInstanceOf(RetryLaterException.class);
    }

    @Test
    void configMapCluster_isRejectedWithAClearReason() {
        f.cluster.authenticationMode = ClusterState.CONFIG_MAP;

        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM);

        assertThat(result.summary()).contains("authentication mode CONFIG_MAP", "switch it to API_AND_CONFIG_MAP");
    }

    @Test
    void unknownCluster_isRejected() {
        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy").replace("payments-prod", "nope")), FOR_TEAM);

        assertThat(result.summary()).contains("cluster/nope does not exist");
    }

    @Test
    void throttling_isRetriedLater() {
        f.eks.failNext(new EksTransientException("Rate exceeded"));

        assertThatThrownBy(() -> engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM))
                .isInstanceOf(RetryLaterException.class).hasMessageContaining("Rate exceeded");
    }

    /**
     * Every EKS failure mode, at the first call (describing the cluster) and at the change itself (associating the
     * policy): the retryable ones leave the request for a later attempt, the others reject it with EKS's words.
     */
    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("everyEksFailure")
    void everyEksFailureMode_isRetriedOrRejected_asItsTypeSays(String type, String operation,
                                                                 EksAccessException failure, boolean retried) {
        f.eks.failNextCallOf(operation, failure);
        // A cluster that is not found is the one failure the engine words itself.
        String reason = operation.equals("describeCluster") && type.equals("not-found")
                ? "cluster " + CLUSTER.arn() + " does not exist" : "boom " + type;

        if (retried) {
            assertThatThrownBy(() -> engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM))
                    .isInstanceOf(RetryLaterException.class).hasMessageContaining(reason);
        } else {
            ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy")), FOR_TEAM);
            assertThat(result).isInstanceOfSatisfying(ChangeResult.Rejected.class, rejected -> assertThat(
                    rejected.configurationError()).isEqualTo(type.equals("denied") ? "AccessDenied" : null));
            assertThat(result.summary()).contains(reason);
        }
    }

    static List<Arguments> everyEksFailure() {
        List<EksAccessException> failures = List.of(new EksTransientException("boom transient"),
                new EksResourceInUseException("boom in-use"), new EksAccessDeniedException("boom denied"),
                new EksNotFoundException("boom not-found"), new EksInvalidParameterException("boom parameter"),
                new EksInvalidRequestException("boom request"), new EksLimitExceededException("boom limit"),
                new CrossAccountNotConfiguredException("boom cross-account"));
        Map<String, Boolean> retried = Map.of("transient", true, "in-use", true, "denied", false, "not-found", false,
                "parameter", false, "request", false, "limit", false, "cross-account", false);
        List<Arguments> cases = new ArrayList<>();
        for (String operation : List.of("describeCluster", "associateAccessPolicy")) {
            for (EksAccessException failure : failures) {
                String type = failure.getMessage().substring("boom ".length());
                cases.add(Arguments.of(type, operation, failure, retried.get(type)));
            }
        }
        assertThat(cases).hasSize(2 * EksAccessException.class.getPermittedSubclasses().length);
        return cases;
    }

    @Test
    void clusterInAnotherAccountWithoutARole_isRejected() {
        ChangeResult result = engine.grant(f.request(grant(DEV, "AmazonEKSViewPolicy").replace(
                "\"clusterName\":\"payments-prod\"", "\"clusterArn\":\"arn:aws:eks:eu-west-1:999999999999:cluster/x\"")), FOR_TEAM);

        assertThat(result.summary()).contains("CROSS_ACCOUNT_ROLE_NAME");
    }

    // ---- bootstrap ----

    private BootstrapRequest bootstrapOf(ClusterRef cluster) {
        return BootstrapRequest.forEvent(cluster.arn(), FakeRegistry.EVENT_ID, START);
    }

    @Test
    void bootstrap_grantsEveryConfiguredAdminAtClusterScope_andMarksTheRegistryDone() {
        String viewer = "arn:aws:iam::111122223333:role/auditor";
        AccessEngine engine = f.engine(new BootstrapSettings(List.of(new AdminGrant(ADMIN, AccessPolicies.CLUSTER_ADMIN),
                new AdminGrant(viewer, AccessPolicies.ADMIN_VIEW)), false, false));

        ChangeResult result = engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, START);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.cluster.policies(ADMIN)).containsExactly(Map.entry(CLUSTER_ADMIN_ARN, AccessScope.cluster()));
        assertThat(f.cluster.policies(viewer)).containsOnlyKeys(AccessPolicies.arnOf(AccessPolicies.ADMIN_VIEW));
        assertThat(f.cluster.entry(ADMIN).orElseThrow().createdByThisSystem()).isTrue();
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.DONE);
    }

    @Test
    void bootstrap_associatesWithExistingEntries_theCreatorsIncluded_withoutRecreatingOrUpdatingThem() {
        f.cluster.withEntry(ADMIN, "STANDARD", Map.of());
        AccessEngine engine = f.engine(new BootstrapSettings(List.of(new AdminGrant(ADMIN, AccessPolicies.CLUSTER_ADMIN),
                new AdminGrant(CREATOR, AccessPolicies.VIEW)), true, false));

        ChangeResult result = engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, START);

        assertThat(f.cluster.policies(ADMIN)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
        assertThat(f.cluster.policies(CREATOR)).containsOnlyKeys(CLUSTER_ADMIN_ARN, AccessPolicies.arnOf(AccessPolicies.VIEW));
        assertThat(result.summary()).contains("kept the creator's existing entry, associated AmazonEKSViewPolicy");
        assertThat(f.eks.calls).noneMatch(c -> c.startsWith("createAccessEntry ") || c.startsWith("updateAccessEntry "));
    }

    @Test
    void bootstrap_retriedAfterItCreatedTheCreatorsEntry_stillGivesTheCreatorClusterAdmin() {
        f.registry.putIfAbsent(FakeRegistry.record(other().arn(), CREATOR, ClusterState.API, false));
        f.eks.cluster(other(), ClusterState.ACTIVE, ClusterState.API).withEntry(CREATOR, "STANDARD", Map.of());
        AccessEngine engine = f.engine(new BootstrapSettings(List.of(), true, false));

        engine.bootstrap(bootstrapOf(other()), FOR_BOOTSTRAP, START);

        assertThat(f.eks.cluster(other()).policies(CREATOR)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
        assertThat(f.registry.find(other().arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.DONE);
    }

    @Test
    void bootstrap_requestOfAnEarlierClusterWithTheSameArn_isIgnored() {
        ChangeResult result = engine.bootstrap(BootstrapRequest.forEvent(CLUSTER.arn(), "event-of-a-deleted-cluster", START), FOR_BOOTSTRAP, START);

        assertThat(result).isInstanceOf(ChangeResult.Ignored.class);
        assertThat(result.summary()).contains("earlier cluster", FakeRegistry.EVENT_ID);
        assertThat(f.eks.calls).isEmpty();
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.PENDING);
    }

    @Test
    void bootstrap_givesTheCreatorClusterAdmin_whenEksDidNotAndCreatorAdminIsOn() {
        f.registry.putIfAbsent(FakeRegistry.record(other().arn(), CREATOR, ClusterState.API, false));
        f.eks.cluster(other(), ClusterState.ACTIVE, ClusterState.API);
        AccessEngine engine = f.engine(new BootstrapSettings(List.of(), true, false));

        engine.bootstrap(bootstrapOf(other()), FOR_BOOTSTRAP, START);

        assertThat(f.eks.cluster(other()).policies(CREATOR)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
    }

    @Test
    void bootstrap_withNothingToGrant_isNotNeeded() {
        ChangeResult result = f.engine(new BootstrapSettings(List.of(), true, false)).bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP,
                START);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.NOT_NEEDED);
    }

    @Test
    void bootstrap_ofAClusterNotInTheRegistry_isRejected_andOfADoneOneIgnored() {
        assertThat(engine.bootstrap(bootstrapOf(other()), FOR_BOOTSTRAP, START)).isInstanceOf(ChangeResult.Rejected.class);
        f.registry.updateBootstrap(CLUSTER.arn(), BootstrapStatus.DONE, "done before");
        assertThat(engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, START)).isInstanceOf(ChangeResult.Ignored.class);
    }

    @Test
    void bootstrap_waitsWhileTheClusterIsCreating() {
        f.cluster.status = ClusterState.CREATING;

        assertThatThrownBy(() -> engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, START)).isInstanceOf(RetryLaterException.class);
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.PENDING);
    }

    /** The registry's record: CreateCluster at 09:00 ({@link FakeRegistry#record}). */
    private static final Instant CREATED = Instant.parse("2026-11-28T09:00:00Z");

    @Test
    void bootstrap_whileTheClusterIsCreating_waitsForIt_untilJustBeforeTheDeadline() {
        f.cluster.status = ClusterState.CREATING;
        Instant lastMoment = CREATED.plus(AccessEngine.BOOTSTRAP_DEADLINE).minusSeconds(1);

        assertThatThrownBy(() -> engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, lastMoment))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> assertThat(e.waitingForCluster()).isTrue())
                .hasMessageContaining("CREATING");
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.PENDING);
    }

    @Test
    void bootstrap_ofAClusterStillCreatingAtTheDeadline_isBlocked_withTheReasonAndAnErrorType() {
        f.cluster.status = ClusterState.CREATING;

        ChangeResult result = engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, CREATED.plus(AccessEngine.BOOTSTRAP_DEADLINE));

        assertThat(result).isInstanceOfSatisfying(ChangeResult.Rejected.class, rejected -> assertThat(
                rejected.configurationError()).isEqualTo(AccessEngine.BOOTSTRAP_DEADLINE_EXCEEDED));
        var record = f.registry.find(CLUSTER.arn()).orElseThrow();
        assertThat(record.bootstrapStatus()).isEqualTo(BootstrapStatus.BLOCKED);
        assertThat(record.bootstrapReason()).contains("cluster is CREATING", "since CreateCluster at " + CREATED,
                "deadline of 120 minutes", "send the bootstrap again");
        assertThat(f.eks.calls).containsExactly("describeCluster");
    }

    @Test
    void bootstrap_ofAnAdoptedCluster_countsItsDeadlineFromTheRequest_notFromACreateClusterLongPast() {
        // An adopted cluster (docs/adopt.md) switching from CONFIG_MAP: its bootstrap is made days after CreateCluster.
        f.cluster.status = ClusterState.UPDATING;
        Instant adoptedAt = CREATED.plus(Duration.ofDays(30));
        BootstrapRequest adoption = new BootstrapRequest(CLUSTER.arn(), bootstrapOf(CLUSTER).requestId(), adoptedAt,
                "adoption");
        Instant lastMoment = adoptedAt.plus(AccessEngine.BOOTSTRAP_DEADLINE).minusSeconds(1);

        assertThatThrownBy(() -> engine.bootstrap(adoption, FOR_BOOTSTRAP, lastMoment))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> assertThat(e.waitingForCluster()).isTrue());
        ChangeResult late = engine.bootstrap(adoption, FOR_BOOTSTRAP, lastMoment.plusSeconds(1));
        assertThat(late).isInstanceOfSatisfying(ChangeResult.Rejected.class, rejected -> assertThat(rejected.summary())
                .contains("since the request at " + adoptedAt, "deadline of 120 minutes"));
    }

    @Test
    void bootstrap_ofAFailedOrDeletingCluster_isBlockedAtOnce_withTheStatus() {
        for (String status : List.of("FAILED", "DELETING")) {
            f.registry.updateBootstrap(CLUSTER.arn(), BootstrapStatus.PENDING, "queued");
            f.cluster.status = status;

            ChangeResult result = engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, CREATED.plusSeconds(60));

            assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
            var record = f.registry.find(CLUSTER.arn()).orElseThrow();
            assertThat(record.bootstrapStatus()).as(status).isEqualTo(BootstrapStatus.BLOCKED);
            assertThat(record.bootstrapReason()).contains("cluster is " + status);
        }
    }

    @Test
    void bootstrap_throttledPastTheDeadline_isRetried_notBlocked() {
        f.eks.failNextCallOf("describeCluster", new EksTransientException("throttled"));

        assertThatThrownBy(() -> engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, CREATED.plus(Duration.ofDays(3))))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> assertThat(e.waitingForCluster()).isFalse());
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.PENDING);
    }

    @Test
    void bootstrap_ofAConfigMapCluster_withoutOptIn_isBlocked() {
        f.cluster.authenticationMode = ClusterState.CONFIG_MAP;

        ChangeResult result = engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, START);

        assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
        var record = f.registry.find(CLUSTER.arn()).orElseThrow();
        assertThat(record.bootstrapStatus()).isEqualTo(BootstrapStatus.BLOCKED);
        assertThat(record.bootstrapReason()).contains("ALLOW_AUTH_MODE_SWITCH=true");
        assertThat(f.cluster.authenticationMode).isEqualTo(ClusterState.CONFIG_MAP);
    }

    @Test
    void bootstrap_ofAConfigMapCluster_withOptIn_switchesToApiAndConfigMap_thenBootstrapsWhenActive() {
        f.cluster.authenticationMode = ClusterState.CONFIG_MAP;
        AccessEngine engine = f.engine(new BootstrapSettings(
                List.of(new AdminGrant(ADMIN, AccessPolicies.CLUSTER_ADMIN)), false, true));

        assertThatThrownBy(() -> engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, START)).isInstanceOf(RetryLaterException.class);
        // As at EKS, the cluster keeps its mode while the switch runs and takes the new one when ACTIVE again.
        assertThat(f.cluster.status).isEqualTo(ClusterState.UPDATING);
        assertThat(f.cluster.pendingAuthenticationMode).isEqualTo(ClusterState.API_AND_CONFIG_MAP);
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.PENDING);

        assertThatThrownBy(() -> engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, START))
                .isInstanceOf(RetryLaterException.class).hasMessageContaining("UPDATING");
        ChangeResult result = engine.bootstrap(bootstrapOf(CLUSTER), FOR_BOOTSTRAP, START);

        assertThat(result).isInstanceOf(ChangeResult.Applied.class);
        assertThat(f.cluster.authenticationMode).isEqualTo(ClusterState.API_AND_CONFIG_MAP);
        assertThat(f.cluster.policies(ADMIN)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
        assertThat(f.eks.calls).filteredOn(c -> c.startsWith("updateAuthenticationMode"))
                .containsExactly("updateAuthenticationMode API_AND_CONFIG_MAP");
    }

    @Test
    void bootstrap_ofAClusterInAnotherAccountWithoutARole_isBlocked() {
        ClusterRef remote = new ClusterRef("aws", "eu-west-1", "999999999999", "remote");
        f.registry.putIfAbsent(FakeRegistry.record(remote.arn(), CREATOR, ClusterState.API, true));

        ChangeResult result = engine.bootstrap(bootstrapOf(remote), FOR_BOOTSTRAP, START);

        assertThat(result).isInstanceOf(ChangeResult.Rejected.class);
        assertThat(f.registry.find(remote.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.BLOCKED);
    }

    private static ClusterRef other() {
        return new ClusterRef("aws", "eu-west-1", ACCOUNT, "other");
    }
}
