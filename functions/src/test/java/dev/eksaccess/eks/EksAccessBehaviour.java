package dev.eksaccess.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.model.ClusterRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The EKS behaviour the access engine relies on, through the {@link EksAccess} port, as
 * {@code eks-access-reference.md} describes it. Concrete tests supply a backend, so both EKS
 * models answer alike: {@code FakeEksBehaviourTest} (the in-memory {@code FakeEks} of the unit tests) and
 * {@code EmulatedEksBehaviourIT} ({@code SdkEksAccess} with the real SDK client over HTTP against the EKS emulator,
 * which the emulator's own ITs hold to AWS).
 *
 * <p>State is set up through the port wherever it can be, and through {@link Control} for what the port cannot do.
 * A new behaviour is a test here; when a backend disagrees, the reference decides which one is wrong.
 */
abstract class EksAccessBehaviour {

    /** What the port cannot do: state that EKS itself, or another tool, would have made. */
    protected interface Control {

        /** A cluster in {@code status} and {@code authenticationMode}, with no access entries. */
        void addCluster(ClusterRef cluster, String status, String authenticationMode);

        /** Forces the status EKS reports; it stays until an update or another call moves it. */
        void forceStatus(ClusterRef cluster, String status);

        /** Ends the running update now, as EKS does after a while. */
        void completeUpdate(ClusterRef cluster);

        /** An entry of a type other than STANDARD (EC2_LINUX, FARGATE_LINUX, ...), as made for node roles. */
        void addNonStandardEntry(ClusterRef cluster, String principalArn, String type);

        /** STANDARD entries without policies, made quickly (for quotas and pages). */
        void addEntries(ClusterRef cluster, List<String> principalArns);

        /** Declares that an IAM principal exists, so that EKS refuses its ARN with the path stripped. */
        void registerIamPrincipal(String arn);
    }

    protected static final String ACCOUNT = "111122223333";
    private static final String REGION = "eu-west-1";
    private static final String DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";
    private static final String OPS = "arn:aws:iam::111122223333:role/ops";
    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    private static final String NODE_ROLE = "arn:aws:iam::111122223333:role/NodeInstanceRole";
    private static final String CLUSTER_ADMIN = AccessPolicies.arnOf(AccessPolicies.CLUSTER_ADMIN);
    private static final String VIEW = AccessPolicies.arnOf(AccessPolicies.VIEW);
    private static final String EDIT = AccessPolicies.arnOf(AccessPolicies.EDIT);
    private static final String FORMAT_NOT_VALID = "principalArn parameter format is not valid";
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    protected abstract EksAccess eks();

    /** What every model of EKS reports alike: status and mode (the fake has no ARN or creation time). */
    private static ClusterState statusAndMode(ClusterState state) {
        return new ClusterState(state.status(), state.authenticationMode());
    }

    protected abstract Control control();

    // ---------------------------------------------------------------- clusters

    @Test
    void describeCluster_ofAMissingCluster_isNotFound() {
        // GIVEN a cluster name EKS does not know
        ClusterRef ghost = new ClusterRef("aws", REGION, ACCOUNT, "ghost-" + CLUSTERS.incrementAndGet());

        // WHEN it is described THEN EKS answers 404
        assertThatThrownBy(() -> eks().describeCluster(ghost)).isInstanceOf(EksNotFoundException.class)
                .hasMessageContaining("No cluster found for name: " + ghost.name());
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"CREATING, API", "UPDATING, API_AND_CONFIG_MAP", "ACTIVE, CONFIG_MAP", "ACTIVE, API_AND_CONFIG_MAP",
            "ACTIVE, API", "PENDING, API", "DELETING, API", "FAILED, API_AND_CONFIG_MAP"})
    void describeCluster_reportsTheStatusAndTheAuthenticationMode(String status, String mode) {
        // GIVEN a cluster in that status and mode
        ClusterRef cluster = cluster(status, mode);

        // WHEN it is described
        ClusterState state = eks().describeCluster(cluster);

        // THEN both come back as EKS reports them
        assertThat(statusAndMode(state)).isEqualTo(new ClusterState(status, mode));
    }

    // ---------------------------------------------------------------- what the cluster's state and mode allow

    @Test
    void accessEntryCalls_onAConfigMapCluster_areInvalidRequest() {
        // GIVEN an ACTIVE cluster that authenticates with aws-auth only
        ClusterRef cluster = cluster(ClusterState.ACTIVE, ClusterState.CONFIG_MAP);

        // WHEN any access-entry call is made THEN EKS refuses it for the mode (400 InvalidRequestException)
        everyAccessEntryCall(cluster, DEV).forEach((name, call) -> assertThatThrownBy(call).as(name)
                .isInstanceOf(EksInvalidRequestException.class)
                .hasMessageContaining("authentication mode must be set to one of [API, API_AND_CONFIG_MAP]"));
    }

    @Test
    void accessEntryCalls_onAMissingCluster_areNotFound_butDescribeAccessEntryIsEmpty() {
        // GIVEN a cluster name EKS does not know
        ClusterRef ghost = new ClusterRef("aws", REGION, ACCOUNT, "ghost-" + CLUSTERS.incrementAndGet());
        Map<String, ThrowingCallable> calls = everyAccessEntryCall(ghost, DEV);
        calls.remove("describeAccessEntry");

        // WHEN access-entry calls are made THEN each is 404
        calls.forEach((name, call) -> assertThatThrownBy(call).as(name).isInstanceOf(EksNotFoundException.class));
        // AND DescribeAccessEntry's 404 cannot be told from "no entry" (the engine describes the cluster first)
        assertThat(eks().describeAccessEntry(ghost, DEV)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ClusterState.CREATING, ClusterState.UPDATING})
    void accessEntryChanges_onAClusterThatIsNotActive_areInvalidRequest(String status) {
        // GIVEN a cluster in API mode that is not ACTIVE
        ClusterRef cluster = cluster(status, ClusterState.API);

        // WHEN any access-entry change is made THEN EKS refuses it for the status
        Map<String, ThrowingCallable> changes = everyAccessEntryCall(cluster, DEV);
        List.of("describeAccessEntry", "listAccessEntries", "listAssociatedAccessPolicies").forEach(changes::remove);
        changes.forEach((name, call) -> assertThatThrownBy(call).as(name)
                .isInstanceOf(EksInvalidRequestException.class).hasMessageContaining(status));
    }

    @Test
    void accessEntryReads_whileTheClusterIsUpdating_answer() {
        // GIVEN an entry with a policy on a cluster that is then UPDATING
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);
        eks().associateAccessPolicy(cluster, DEV, VIEW, AccessScope.cluster());
        control().forceStatus(cluster, ClusterState.UPDATING);

        // WHEN the entry is read THEN EKS answers as usual
        assertThat(eks().describeAccessEntry(cluster, DEV)).isPresent();
        assertThat(eks().listAccessEntries(cluster, null)).containsExactly(DEV);
        assertThat(eks().listAssociatedAccessPolicies(cluster, DEV))
                .containsExactly(new AssociatedPolicy(VIEW, AccessScope.cluster()));
    }

    @Test
    void accessEntryReads_whileTheClusterIsCreating_areInvalidRequest() {
        // GIVEN a cluster in API mode that is still CREATING
        ClusterRef cluster = cluster(ClusterState.CREATING, ClusterState.API);

        // WHEN its entries are read THEN EKS refuses for the status
        assertThatThrownBy(() -> eks().describeAccessEntry(cluster, DEV)).isInstanceOf(EksInvalidRequestException.class);
        assertThatThrownBy(() -> eks().listAccessEntries(cluster, null)).isInstanceOf(EksInvalidRequestException.class);
        assertThatThrownBy(() -> eks().listAssociatedAccessPolicies(cluster, DEV))
                .isInstanceOf(EksInvalidRequestException.class);
    }

    // ---------------------------------------------------------------- creating entries

    @Test
    void createAccessEntry_makesAStandardEntryWithItsGroupsUsernameAndTags() {
        // GIVEN an ACTIVE cluster with access entries
        ClusterRef cluster = activeCluster();
        Map<String, String> tags = Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE,
                AccessEntry.REQUEST_ID_TAG, "req-1");

        // WHEN an entry is created with groups, a username and tags
        AccessEntry created = eks().createAccessEntry(cluster,
                new NewAccessEntry(DEV, List.of("readers", "payments"), "payments-dev", tags, "token-1"));

        // THEN it is a STANDARD entry with them, described and listed alike
        AccessEntry expected = new AccessEntry(DEV, AccessEntry.STANDARD, List.of("readers", "payments"),
                "payments-dev", tags);
        assertThat(created).isEqualTo(expected);
        assertThat(eks().describeAccessEntry(cluster, DEV)).contains(expected);
        assertThat(created.createdByThisSystem()).isTrue();
        assertThat(eks().listAccessEntries(cluster, null)).containsExactly(DEV);
        assertThat(eks().listAssociatedAccessPolicies(cluster, DEV)).isEmpty();
    }

    @Test
    void createAccessEntry_withoutAUsername_getsTheOneEksChooses() {
        // GIVEN an ACTIVE cluster
        ClusterRef cluster = activeCluster();

        // WHEN a role with a path and a user get entries without a username
        AccessEntry role = create(cluster, DEV);
        AccessEntry user = create(cluster, ALICE);

        // THEN the role's is its session template without the path, the user's is its ARN
        assertThat(role.username()).isEqualTo("arn:aws:sts::111122223333:assumed-role/payments-dev/{{SessionName}}");
        assertThat(user.username()).isEqualTo(ALICE);
        assertThat(eks().describeAccessEntry(cluster, DEV).orElseThrow().username()).isEqualTo(role.username());
    }

    @Test
    void createAccessEntry_forAPrincipalThatHasOne_isResourceInUse() {
        // GIVEN a principal with an entry
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);

        // WHEN another entry is created for it THEN EKS answers 409
        assertThatThrownBy(() -> create(cluster, DEV)).isInstanceOf(EksResourceInUseException.class)
                .hasMessageContaining("already in use");
    }

    @Test
    void createAccessEntry_retriedWithItsClientRequestToken_answersTheFirstCreate() {
        // GIVEN an entry created with a client request token
        ClusterRef cluster = activeCluster();
        NewAccessEntry request = new NewAccessEntry(DEV, List.of("readers"), null, Map.of("team", "payments"), "t-1");
        AccessEntry first = eks().createAccessEntry(cluster, request);

        // WHEN the same create is sent again (an SDK retry of a call whose answer was lost)
        AccessEntry again = eks().createAccessEntry(cluster, request);

        // THEN EKS answers the first result and makes nothing new; another token gets the 409
        assertThat(again).isEqualTo(first);
        assertThat(eks().listAccessEntries(cluster, null)).containsExactly(DEV);
        assertThatThrownBy(() -> eks().createAccessEntry(cluster, new NewAccessEntry(DEV, List.of("readers"), null,
                Map.of("team", "payments"), "t-2"))).isInstanceOf(EksResourceInUseException.class);
    }

    @Test
    void createAccessEntry_reusingATokenForOtherParameters_isInvalidParameter() {
        // GIVEN an entry created with a client request token
        ClusterRef cluster = activeCluster();
        eks().createAccessEntry(cluster, new NewAccessEntry(DEV, List.of(), null, Map.of(), "t-1"));

        // WHEN the token comes with another principal THEN EKS refuses it
        assertThatThrownBy(() -> eks().createAccessEntry(cluster, new NewAccessEntry(OPS, List.of(), null, Map.of(),
                "t-1"))).isInstanceOf(EksInvalidParameterException.class);
        assertThat(eks().describeAccessEntry(cluster, OPS)).isEmpty();
    }

    @Test
    void createAccessEntry_forAnStsSessionArn_isInvalidParameter() {
        // GIVEN the session ARN CloudTrail shows for an assumed role
        ClusterRef cluster = activeCluster();

        // WHEN it is given as the principal THEN EKS refuses its format
        assertThatThrownBy(() -> create(cluster, "arn:aws:sts::111122223333:assumed-role/payments-dev/alice"))
                .isInstanceOf(EksInvalidParameterException.class).hasMessageContaining(FORMAT_NOT_VALID);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:group/devs",
            "arn:aws:iam::1111:role/short-account", "arn:aws:iam::111122223333:role/*", "payments-dev",
            "arn:aws:s3:::bucket"})
    void createAccessEntry_forWhatIsNotAnIamUserOrRoleArn_isInvalidParameter(String principal) {
        // GIVEN an ACTIVE cluster
        ClusterRef cluster = activeCluster();

        // WHEN an entry is created for something else than an IAM user or role THEN EKS refuses its format
        assertThatThrownBy(() -> create(cluster, principal)).isInstanceOf(EksInvalidParameterException.class)
                .hasMessageContaining(FORMAT_NOT_VALID);
    }

    @Test
    void createAccessEntry_forAServiceLinkedRole_isInvalidParameter() {
        // GIVEN an ACTIVE cluster
        ClusterRef cluster = activeCluster();

        // WHEN an entry is created for a service-linked role THEN EKS refuses it
        assertThatThrownBy(() -> create(cluster,
                "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS"))
                .isInstanceOf(EksInvalidParameterException.class);
    }

    @Test
    void createAccessEntry_forAKnownRoleWhosePathWasStripped_isInvalidParameter() {
        // GIVEN a role that exists with a path
        ClusterRef cluster = activeCluster();
        control().registerIamPrincipal(DEV);

        // WHEN its ARN without the path is given THEN EKS refuses it as an invalid principal
        assertThatThrownBy(() -> create(cluster, "arn:aws:iam::111122223333:role/payments-dev"))
                .isInstanceOf(EksInvalidParameterException.class).hasMessageContaining("invalid principal");
        // AND the ARN with its path is accepted
        assertThat(create(cluster, DEV).principalArn()).isEqualTo(DEV);
    }

    @Test
    void createAccessEntry_forAPrincipalOfAnotherAccount_isAccepted() {
        // GIVEN an ACTIVE cluster in account 111122223333
        ClusterRef cluster = activeCluster();

        // WHEN a role of another account gets a STANDARD entry
        String remote = "arn:aws:iam::444455556666:role/auditors/reader";
        create(cluster, remote);

        // THEN it exists
        assertThat(eks().describeAccessEntry(cluster, remote)).isPresent();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"system:masters", "system:nodes", "system:authenticated", " "})
    void createAccessEntry_withASystemOrBlankGroup_isInvalidParameter(String group) {
        // GIVEN an ACTIVE cluster
        ClusterRef cluster = activeCluster();

        // WHEN an entry asks for the group THEN EKS refuses it and makes no entry
        assertThatThrownBy(() -> eks().createAccessEntry(cluster,
                new NewAccessEntry(DEV, List.of("readers", group), null, Map.of(), null)))
                .isInstanceOf(EksInvalidParameterException.class);
        assertThat(eks().describeAccessEntry(cluster, DEV)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"system:admin", "eks:dev", "aws:dev", "amazon:dev", "iam:dev", "System:admin", "{{SessionName}}",
            "dev-{{SessionName}}"})
    void createAccessEntry_withAReservedUsernameOrASessionNameWithoutAColonBeforeIt_isInvalidParameter(String username) {
        // GIVEN an ACTIVE cluster
        ClusterRef cluster = activeCluster();

        // WHEN an entry asks for the username THEN EKS refuses it
        assertThatThrownBy(() -> eks().createAccessEntry(cluster,
                new NewAccessEntry(DEV, List.of(), username, Map.of(), null)))
                .isInstanceOf(EksInvalidParameterException.class);
    }

    @Test
    void createAccessEntry_withASessionNameAfterAColon_keepsTheTemplate() {
        // GIVEN an ACTIVE cluster
        ClusterRef cluster = activeCluster();

        // WHEN the username has a colon before {{SessionName}}
        AccessEntry entry = eks().createAccessEntry(cluster,
                new NewAccessEntry(DEV, List.of(), "payments:{{SessionName}}", Map.of(), null));

        // THEN EKS keeps it as given
        assertThat(entry.username()).isEqualTo("payments:{{SessionName}}");
    }

    @Test
    void createAccessEntry_withTagsEksRefuses_isInvalidParameter_butA256CharacterValueIsAccepted() {
        // GIVEN an ACTIVE cluster
        ClusterRef cluster = activeCluster();

        // WHEN tags have an aws: key or a value over 256 characters THEN EKS refuses them
        assertThatThrownBy(() -> eks().createAccessEntry(cluster,
                new NewAccessEntry(DEV, List.of(), null, Map.of("aws:team", "payments"), null)))
                .isInstanceOf(EksInvalidParameterException.class);
        assertThatThrownBy(() -> eks().createAccessEntry(cluster,
                new NewAccessEntry(DEV, List.of(), null, Map.of(AccessEntry.REQUEST_ID_TAG, "r".repeat(257)), null)))
                .isInstanceOf(EksInvalidParameterException.class);
        // AND a value of exactly 256 characters (the engine cuts request ids to that) is kept
        AccessEntry entry = eks().createAccessEntry(cluster,
                new NewAccessEntry(DEV, List.of(), null, Map.of(AccessEntry.REQUEST_ID_TAG, "r".repeat(256)), null));
        assertThat(entry.tags()).containsEntry(AccessEntry.REQUEST_ID_TAG, "r".repeat(256));
    }

    @Test
    void createAccessEntry_beyondTheQuotaOf3000PerCluster_isLimitExceeded() {
        // GIVEN a cluster with 3,000 entries
        ClusterRef cluster = activeCluster();
        control().addEntries(cluster, principals(3000));

        // WHEN one more is created THEN EKS refuses it for the quota
        assertThatThrownBy(() -> create(cluster, DEV)).isInstanceOf(EksLimitExceededException.class);
        assertThat(eks().describeAccessEntry(cluster, DEV)).isEmpty();
    }

    // ---------------------------------------------------------------- updating entries

    @Test
    void updateAccessEntry_replacesTheGroups_andTheUsernameOnlyWhenOneIsGiven() {
        // GIVEN an entry with groups and a username
        ClusterRef cluster = activeCluster();
        eks().createAccessEntry(cluster, new NewAccessEntry(DEV, List.of("a", "b"), "dev", Map.of("k", "v"), null));

        // WHEN its groups are replaced without a username, then with one
        AccessEntry groupsOnly = eks().updateAccessEntry(cluster, DEV, List.of("c"), null);
        AccessEntry both = eks().updateAccessEntry(cluster, DEV, List.of(), "dev-2");

        // THEN the groups are replaced (an empty list clears them), the username only when given, the tags kept
        assertThat(groupsOnly.kubernetesGroups()).containsExactly("c");
        assertThat(groupsOnly.username()).isEqualTo("dev");
        assertThat(both.kubernetesGroups()).isEmpty();
        assertThat(both.username()).isEqualTo("dev-2");
        assertThat(eks().describeAccessEntry(cluster, DEV)).contains(
                new AccessEntry(DEV, AccessEntry.STANDARD, List.of(), "dev-2", Map.of("k", "v")));
    }

    @Test
    void updateAccessEntry_withASystemGroupOrAReservedUsername_isInvalidParameter() {
        // GIVEN an entry
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);

        // WHEN an update asks for system:masters or an eks: username THEN EKS refuses it and keeps the entry
        assertThatThrownBy(() -> eks().updateAccessEntry(cluster, DEV, List.of("system:masters"), null))
                .isInstanceOf(EksInvalidParameterException.class);
        assertThatThrownBy(() -> eks().updateAccessEntry(cluster, DEV, List.of(), "eks:admin"))
                .isInstanceOf(EksInvalidParameterException.class);
        assertThat(eks().describeAccessEntry(cluster, DEV).orElseThrow().kubernetesGroups()).isEmpty();
    }

    // ---------------------------------------------------------------- entries of other types

    @Test
    void nonStandardEntry_isDescribedWithItsType_andRefusesPoliciesAndGroups() {
        // GIVEN a node role's EC2_LINUX entry
        ClusterRef cluster = activeCluster();
        control().addNonStandardEntry(cluster, NODE_ROLE, "EC2_LINUX");

        // WHEN it is described THEN it is not STANDARD, and carries what EKS gives node entries
        AccessEntry node = eks().describeAccessEntry(cluster, NODE_ROLE).orElseThrow();
        assertThat(node.type()).isEqualTo("EC2_LINUX");
        assertThat(node.isStandard()).isFalse();
        assertThat(node.username()).isEqualTo("system:node:{{EC2PrivateDNSName}}");
        // AND policies and group changes are refused
        assertThatThrownBy(() -> eks().associateAccessPolicy(cluster, NODE_ROLE, VIEW, AccessScope.cluster()))
                .isInstanceOf(EksInvalidParameterException.class);
        assertThatThrownBy(() -> eks().updateAccessEntry(cluster, NODE_ROLE, List.of("readers"), null))
                .isInstanceOf(EksInvalidParameterException.class);
        assertThat(eks().listAssociatedAccessPolicies(cluster, NODE_ROLE)).isEmpty();
    }

    // ---------------------------------------------------------------- access policies

    @Test
    void associateAccessPolicy_atClusterOrNamespaceScope_isListedWithThatScope() {
        // GIVEN an entry
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);

        // WHEN one policy is associated at cluster scope and another in namespaces, one with a wildcard
        eks().associateAccessPolicy(cluster, DEV, VIEW, AccessScope.cluster());
        eks().associateAccessPolicy(cluster, DEV, EDIT, AccessScope.namespaces(List.of("payments", "dev-*")));

        // THEN both are listed with their scopes
        assertThat(eks().listAssociatedAccessPolicies(cluster, DEV)).containsExactlyInAnyOrder(
                new AssociatedPolicy(VIEW, AccessScope.cluster()),
                new AssociatedPolicy(EDIT, AccessScope.namespaces(List.of("payments", "dev-*"))));
    }

    @Test
    void associateAccessPolicy_atClusterScope_keepsNoNamespaces() {
        // GIVEN an entry
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);

        // WHEN a cluster scope is given with namespaces
        eks().associateAccessPolicy(cluster, DEV, VIEW, new AccessScope(AccessScope.Type.CLUSTER, List.of("payments")));

        // THEN the association is cluster-wide, without namespaces
        assertThat(eks().listAssociatedAccessPolicies(cluster, DEV))
                .containsExactly(new AssociatedPolicy(VIEW, AccessScope.cluster()));
    }

    @Test
    void associateAccessPolicy_again_replacesItsScope() {
        // GIVEN cluster admin associated at cluster scope
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);
        eks().associateAccessPolicy(cluster, DEV, CLUSTER_ADMIN, AccessScope.cluster());

        // WHEN it is associated again with namespaces
        eks().associateAccessPolicy(cluster, DEV, CLUSTER_ADMIN, AccessScope.namespaces(List.of("payments")));

        // THEN one association remains, with the new scope only
        assertThat(eks().listAssociatedAccessPolicies(cluster, DEV))
                .containsExactly(new AssociatedPolicy(CLUSTER_ADMIN, AccessScope.namespaces(List.of("payments"))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"arn:aws:eks::aws:cluster-access-policy/AmazonEKSSuperUserPolicy",
            "arn:aws:iam::aws:policy/AdministratorAccess", "AmazonEKSViewPolicy"})
    void associateAccessPolicy_thatEksDoesNotOffer_isInvalidParameter(String policyArn) {
        // GIVEN an entry
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);

        // WHEN a policy that is not an EKS access policy ARN is associated THEN EKS refuses it (no custom policies)
        assertThatThrownBy(() -> eks().associateAccessPolicy(cluster, DEV, policyArn, AccessScope.cluster()))
                .isInstanceOf(EksInvalidParameterException.class);
        assertThat(eks().listAssociatedAccessPolicies(cluster, DEV)).isEmpty();
    }

    @ParameterizedTest(name = "namespaces [{0}]")
    @CsvSource(value = {"''", "Payments", "a_b", "-dev", "*"}, quoteCharacter = '\'')
    void associateAccessPolicy_withANamespaceScopeWithoutValidNamespaces_isInvalidParameter(String namespace) {
        // GIVEN an entry
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);
        List<String> namespaces = namespace.isEmpty() ? List.of() : List.of(namespace);

        // WHEN a namespace scope names no namespace or an invalid one THEN EKS refuses it
        assertThatThrownBy(() -> eks().associateAccessPolicy(cluster, DEV, VIEW, AccessScope.namespaces(namespaces)))
                .isInstanceOf(EksInvalidParameterException.class);
    }

    @Test
    void policyCalls_forAPrincipalWithoutEntry_areNotFound() {
        // GIVEN an ACTIVE cluster where DEV has no entry
        ClusterRef cluster = activeCluster();

        // WHEN its policies are associated, disassociated or listed THEN each is 404
        assertThatThrownBy(() -> eks().associateAccessPolicy(cluster, DEV, VIEW, AccessScope.cluster()))
                .isInstanceOf(EksNotFoundException.class);
        assertThatThrownBy(() -> eks().disassociateAccessPolicy(cluster, DEV, VIEW))
                .isInstanceOf(EksNotFoundException.class);
        assertThatThrownBy(() -> eks().listAssociatedAccessPolicies(cluster, DEV))
                .isInstanceOf(EksNotFoundException.class);
    }

    @Test
    void disassociateAccessPolicy_removesOnlyThatPolicy_andOneNotAssociatedIsNotFound() {
        // GIVEN an entry with two policies
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);
        eks().associateAccessPolicy(cluster, DEV, VIEW, AccessScope.cluster());
        eks().associateAccessPolicy(cluster, DEV, EDIT, AccessScope.namespaces(List.of("payments")));

        // WHEN one is disassociated
        eks().disassociateAccessPolicy(cluster, DEV, VIEW);

        // THEN the other stays, and disassociating the first again is 404
        assertThat(eks().listAssociatedAccessPolicies(cluster, DEV))
                .containsExactly(new AssociatedPolicy(EDIT, AccessScope.namespaces(List.of("payments"))));
        assertThatThrownBy(() -> eks().disassociateAccessPolicy(cluster, DEV, VIEW))
                .isInstanceOf(EksNotFoundException.class);
    }

    // ---------------------------------------------------------------- deleting and listing entries

    @Test
    void deleteAccessEntry_dropsItsPolicyAssociations() {
        // GIVEN an entry holding cluster admin
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);
        eks().associateAccessPolicy(cluster, DEV, CLUSTER_ADMIN, AccessScope.cluster());

        // WHEN it is deleted
        eks().deleteAccessEntry(cluster, DEV);

        // THEN it is gone, no longer holds the policy, and an entry made again starts without policies
        assertThat(eks().describeAccessEntry(cluster, DEV)).isEmpty();
        assertThat(eks().listAccessEntries(cluster, CLUSTER_ADMIN)).isEmpty();
        create(cluster, DEV);
        assertThat(eks().listAssociatedAccessPolicies(cluster, DEV)).isEmpty();
    }

    @Test
    void deleteOrUpdateAccessEntry_ofAPrincipalWithoutEntry_isNotFound_andDescribeIsEmpty() {
        // GIVEN an ACTIVE cluster where DEV has no entry
        ClusterRef cluster = activeCluster();

        // WHEN its entry is deleted, updated or described THEN the changes are 404 and the read is empty
        assertThatThrownBy(() -> eks().deleteAccessEntry(cluster, DEV)).isInstanceOf(EksNotFoundException.class);
        assertThatThrownBy(() -> eks().updateAccessEntry(cluster, DEV, List.of("readers"), null))
                .isInstanceOf(EksNotFoundException.class);
        assertThat(eks().describeAccessEntry(cluster, DEV)).isEmpty();
    }

    @Test
    void listAccessEntries_filteredByAPolicy_givesOnlyItsHolders() {
        // GIVEN three entries, two holding cluster admin (one in a namespace only) and one holding view
        ClusterRef cluster = activeCluster();
        create(cluster, DEV);
        create(cluster, OPS);
        create(cluster, ALICE);
        eks().associateAccessPolicy(cluster, DEV, CLUSTER_ADMIN, AccessScope.cluster());
        eks().associateAccessPolicy(cluster, OPS, CLUSTER_ADMIN, AccessScope.namespaces(List.of("ops")));
        eks().associateAccessPolicy(cluster, ALICE, VIEW, AccessScope.cluster());

        // WHEN entries are listed with and without the filter THEN the filter keeps the policy's holders, any scope
        assertThat(eks().listAccessEntries(cluster, CLUSTER_ADMIN)).containsExactlyInAnyOrder(DEV, OPS);
        assertThat(eks().listAccessEntries(cluster, EDIT)).isEmpty();
        assertThat(eks().listAccessEntries(cluster, null)).containsExactlyInAnyOrder(DEV, OPS, ALICE);
    }

    @Test
    void listAccessEntries_givesEveryEntry_beyondOnePage() {
        // GIVEN more entries than one page holds (100)
        ClusterRef cluster = activeCluster();
        List<String> principals = principals(150);
        control().addEntries(cluster, principals);

        // WHEN they are listed THEN every one comes back once
        assertThat(eks().listAccessEntries(cluster, null)).containsExactlyInAnyOrderElementsOf(principals);
    }

    @Test
    void listAccessEntries_filteredByAPolicyEksDoesNotOffer_isInvalidParameter() {
        // GIVEN an ACTIVE cluster
        ClusterRef cluster = activeCluster();

        // WHEN entries are filtered by an unknown policy THEN EKS refuses the filter
        assertThatThrownBy(() -> eks().listAccessEntries(cluster,
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSSuperUserPolicy"))
                .isInstanceOf(EksInvalidParameterException.class);
    }

    // ---------------------------------------------------------------- switching the authentication mode

    @Test
    void updateAuthenticationMode_keepsTheModeWhileUpdating_thenTheClusterIsActiveInTheNewMode() {
        // GIVEN an ACTIVE CONFIG_MAP cluster
        ClusterRef cluster = cluster(ClusterState.ACTIVE, ClusterState.CONFIG_MAP);

        // WHEN it is switched to API_AND_CONFIG_MAP
        eks().updateAuthenticationMode(cluster, ClusterState.API_AND_CONFIG_MAP);

        // THEN it is UPDATING in its old mode, then ACTIVE in the new one when the update ends, and entries work
        assertThat(statusAndMode(eks().describeCluster(cluster)))
                .isEqualTo(new ClusterState(ClusterState.UPDATING, ClusterState.CONFIG_MAP));
        control().completeUpdate(cluster);
        assertThat(statusAndMode(eks().describeCluster(cluster)))
                .isEqualTo(new ClusterState(ClusterState.ACTIVE, ClusterState.API_AND_CONFIG_MAP));
        assertThat(create(cluster, DEV).principalArn()).isEqualTo(DEV);
    }

    @Test
    void updateAuthenticationMode_whileAnUpdateRuns_isResourceInUse_andEntryChangesAreInvalidRequest() {
        // GIVEN a switch from API_AND_CONFIG_MAP to API that is running
        ClusterRef cluster = activeCluster();
        eks().updateAuthenticationMode(cluster, ClusterState.API);

        // WHEN another switch or an entry change is asked THEN EKS answers 409 and 400 for the state
        assertThatThrownBy(() -> eks().updateAuthenticationMode(cluster, ClusterState.API))
                .isInstanceOf(EksResourceInUseException.class);
        assertThatThrownBy(() -> create(cluster, DEV)).isInstanceOf(EksInvalidRequestException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"CONFIG_MAP, API", "API_AND_CONFIG_MAP, CONFIG_MAP", "API, API_AND_CONFIG_MAP", "API, CONFIG_MAP",
            "CONFIG_MAP, CONFIG_MAP", "API_AND_CONFIG_MAP, API_AND_CONFIG_MAP", "API, API"})
    void updateAuthenticationMode_otherThanOneStepForwards_isInvalidParameter(String from, String to) {
        // GIVEN an ACTIVE cluster in one mode
        ClusterRef cluster = cluster(ClusterState.ACTIVE, from);

        // WHEN it is switched to the same mode, backwards, or CONFIG_MAP straight to API THEN EKS refuses
        assertThatThrownBy(() -> eks().updateAuthenticationMode(cluster, to))
                .isInstanceOf(EksInvalidParameterException.class);
        assertThat(statusAndMode(eks().describeCluster(cluster))).isEqualTo(new ClusterState(ClusterState.ACTIVE, from));
    }

    @Test
    void updateAuthenticationMode_ofAClusterStillCreating_isResourceInUse() {
        // GIVEN a CONFIG_MAP cluster still CREATING
        ClusterRef cluster = cluster(ClusterState.CREATING, ClusterState.CONFIG_MAP);

        // WHEN it is switched THEN EKS answers 409
        assertThatThrownBy(() -> eks().updateAuthenticationMode(cluster, ClusterState.API_AND_CONFIG_MAP))
                .isInstanceOf(EksResourceInUseException.class);
    }

    @Test
    void updateAuthenticationMode_ofAMissingCluster_isNotFound() {
        // GIVEN a cluster name EKS does not know
        ClusterRef ghost = new ClusterRef("aws", REGION, ACCOUNT, "ghost-" + CLUSTERS.incrementAndGet());

        // WHEN it is switched THEN EKS answers 404
        assertThatThrownBy(() -> eks().updateAuthenticationMode(ghost, ClusterState.API_AND_CONFIG_MAP))
                .isInstanceOf(EksNotFoundException.class);
    }

    // ---------------------------------------------------------------- helpers

    /** A new cluster, with a name no other test uses. */
    private ClusterRef cluster(String status, String authenticationMode) {
        ClusterRef cluster = new ClusterRef("aws", REGION, ACCOUNT, "cluster-" + CLUSTERS.incrementAndGet());
        control().addCluster(cluster, status, authenticationMode);
        return cluster;
    }

    /** A new ACTIVE cluster in API_AND_CONFIG_MAP mode, the engine's usual case. */
    private ClusterRef activeCluster() {
        return cluster(ClusterState.ACTIVE, ClusterState.API_AND_CONFIG_MAP);
    }

    private AccessEntry create(ClusterRef cluster, String principalArn) {
        return eks().createAccessEntry(cluster, new NewAccessEntry(principalArn, List.of(), null, Map.of(), null));
    }

    private static List<String> principals(int count) {
        return IntStream.range(0, count).mapToObj(i -> "arn:aws:iam::111122223333:role/seeded/role-" + i).toList();
    }

    /** Every access-entry call of the port, by name, each on {@code principal}'s entry in {@code cluster}. */
    private Map<String, ThrowingCallable> everyAccessEntryCall(ClusterRef cluster, String principal) {
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("createAccessEntry", () -> create(cluster, principal));
        calls.put("describeAccessEntry", () -> eks().describeAccessEntry(cluster, principal));
        calls.put("updateAccessEntry", () -> eks().updateAccessEntry(cluster, principal, List.of("readers"), null));
        calls.put("deleteAccessEntry", () -> eks().deleteAccessEntry(cluster, principal));
        calls.put("associateAccessPolicy",
                () -> eks().associateAccessPolicy(cluster, principal, VIEW, AccessScope.cluster()));
        calls.put("disassociateAccessPolicy", () -> eks().disassociateAccessPolicy(cluster, principal, VIEW));
        calls.put("listAssociatedAccessPolicies", () -> eks().listAssociatedAccessPolicies(cluster, principal));
        calls.put("listAccessEntries", () -> eks().listAccessEntries(cluster, null));
        return calls;
    }
}
