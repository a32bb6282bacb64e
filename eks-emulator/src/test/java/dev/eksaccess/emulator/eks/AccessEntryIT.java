package dev.eksaccess.emulator.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessEntry;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.CreateAccessEntryRequest;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.InvalidRequestException;
import software.amazon.awssdk.services.eks.model.ResourceInUseException;
import software.amazon.awssdk.services.eks.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/** Access entries through the real SDK client: bootstrap, validation, state rules, idempotency, quota. */
class AccessEntryIT {

    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final String ACCOUNT = "123456789012";
    private static final String CREATOR = "arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/eu-west-1/"
            + "AWSReservedSSO_Admin_0123456789abcdef";
    private static final String DEV_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/teams/DevOps";
    private static final String CLUSTER = "orders";

    private final ManualClock clock = new ManualClock(START);
    private EksEmulator emulator;
    private EksClient eks;

    @BeforeEach
    void start() {
        emulator = EksEmulator.start(EksEmulator.Options.defaults().withClock(clock).withAccessEntryQuota(3000));
        eks = SdkClients.eks(emulator);
        emulator.createCluster(apiCluster(CLUSTER).build());
    }

    @AfterEach
    void stop() {
        eks.close();
        emulator.close();
    }

    private static ClusterSpec.Builder apiCluster(String name) {
        return ClusterSpec.builder(name).accountId(ACCOUNT).region("eu-west-1")
                .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP).creatorPrincipalArn(CREATOR);
    }

    private AccessEntry create(String principalArn) {
        return eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(principalArn)).accessEntry();
    }

    @Test
    void bootstrapFlag_givesTheCreatorAStandardClusterAdminEntry() {
        // WHEN
        AccessEntry entry = eks.describeAccessEntry(r -> r.clusterName(CLUSTER).principalArn(CREATOR)).accessEntry();
        List<AssociatedAccessPolicy> policies = eks.listAssociatedAccessPolicies(
                r -> r.clusterName(CLUSTER).principalArn(CREATOR)).associatedAccessPolicies();

        // THEN the role keeps its path in the principal, and the default username drops it, as EKS does
        assertThat(entry.type()).isEqualTo("STANDARD");
        assertThat(entry.username()).isEqualTo("arn:aws:sts::" + ACCOUNT
                + ":assumed-role/AWSReservedSSO_Admin_0123456789abcdef/{{SessionName}}");
        assertThat(entry.kubernetesGroups()).isEmpty();
        assertThat(policies).singleElement().satisfies(p -> {
            assertThat(p.policyArn()).isEqualTo("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
            assertThat(p.accessScope().typeAsString()).isEqualTo("cluster");
        });
    }

    @Test
    void bootstrapFlag_forAnIamUserUsesTheUserArnAsUsername() {
        String user = "arn:aws:iam::" + ACCOUNT + ":user/alice";
        emulator.createCluster(apiCluster("by-user").creatorPrincipalArn(user).build());

        AccessEntry entry = eks.describeAccessEntry(r -> r.clusterName("by-user").principalArn(user)).accessEntry();

        assertThat(entry.username()).isEqualTo(user);
    }

    @Test
    void withoutBootstrapFlag_theCreatorHasNoEntry() {
        emulator.createCluster(apiCluster("bare").bootstrapClusterCreatorAdminPermissions(false).build());

        assertThat(eks.listAccessEntries(r -> r.clusterName("bare")).accessEntries()).isEmpty();
    }

    @Test
    void createAccessEntry_forTheBootstrappedCreatorIsResourceInUse409() {
        assertThatThrownBy(() -> create(CREATOR))
                .isInstanceOf(ResourceInUseException.class)
                .satisfies(e -> assertThat(((ResourceInUseException) e).statusCode()).isEqualTo(409));
    }

    @Test
    void createAccessEntry_twiceForOnePrincipalIsResourceInUse() {
        create(DEV_ROLE);

        assertThatThrownBy(() -> create(DEV_ROLE)).isInstanceOf(ResourceInUseException.class);
        assertThat(emulator.accessEntries(CLUSTER)).hasSize(2);
    }

    @Test
    void createAccessEntry_refusesAnStsSessionArn() {
        assertThatThrownBy(() -> create("arn:aws:sts::" + ACCOUNT + ":assumed-role/DevOps/alice"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("principalArn parameter format is not valid");
        assertThat(emulator.accessEntries(CLUSTER)).extracting(AccessEntrySnapshot::principalArn)
                .containsExactly(CREATOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-arn", "arn:aws:iam::12345:role/Short", "arn:aws:iam::" + ACCOUNT + ":root",
            "arn:aws:s3:::bucket", "arn:aws:iam::" + ACCOUNT + ":group/admins", "arn:aws:iam::" + ACCOUNT + ":role/"})
    void createAccessEntry_refusesAnythingButAnIamUserOrRoleArn(String principalArn) {
        assertThatThrownBy(() -> create(principalArn))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("principalArn parameter format is not valid");
    }

    @Test
    void createAccessEntry_refusesAServiceLinkedRole() {
        assertThatThrownBy(() -> create("arn:aws:iam::" + ACCOUNT
                + ":role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS"))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void createAccessEntry_refusesAKnownRoleWhosePathWasStripped() {
        assertThatThrownBy(() -> create("arn:aws:iam::" + ACCOUNT + ":role/AWSReservedSSO_Admin_0123456789abcdef"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("invalid principal");
    }

    @Test
    void createAccessEntry_acceptsACrossAccountPrincipal() {
        AccessEntry entry = create("arn:aws:iam::999988887777:role/Auditor");

        assertThat(entry.accessEntryArn()).startsWith("arn:aws:eks:eu-west-1:" + ACCOUNT
                + ":access-entry/orders/role/999988887777/Auditor/");
    }

    @Test
    void createAccessEntry_returnsTheEntryInTheSdkShape() {
        // WHEN
        AccessEntry entry = eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)
                .kubernetesGroups("devops", "viewers").username("devops:{{SessionName}}")
                .tags(Map.of("owner", "platform"))).accessEntry();

        // THEN
        assertThat(entry.clusterName()).isEqualTo(CLUSTER);
        assertThat(entry.principalArn()).isEqualTo(DEV_ROLE);
        assertThat(entry.kubernetesGroups()).containsExactly("devops", "viewers");
        assertThat(entry.username()).isEqualTo("devops:{{SessionName}}");
        assertThat(entry.tags()).containsExactly(Map.entry("owner", "platform"));
        assertThat(entry.type()).isEqualTo("STANDARD");
        assertThat(entry.createdAt()).isEqualTo(START).isEqualTo(entry.modifiedAt());
        assertThat(entry.accessEntryArn()).matches("arn:aws:eks:eu-west-1:" + ACCOUNT
                + ":access-entry/orders/role/" + ACCOUNT + "/DevOps/[0-9a-f-]{36}");
        assertThat(emulator.accessEntry(CLUSTER, DEV_ROLE)).hasValueSatisfying(
                e -> assertThat(e.kubernetesGroups()).containsExactly("devops", "viewers"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"system:masters", "system:authenticated"})
    void createAccessEntry_refusesSystemGroups(String group) {
        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)
                .kubernetesGroups("devops", group)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("system:");
        assertThat(emulator.accessEntry(CLUSTER, DEV_ROLE)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"system:admin", "eks:me", "aws:me", "amazon:me", "iam:me", "AWS:me"})
    void createAccessEntry_refusesReservedUsernamePrefixes(String username) {
        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)
                .username(username)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void createAccessEntry_refusesSessionNameWithoutAColonBeforeIt() {
        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)
                .username("{{SessionName}}")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void createAccessEntry_refusesGroupsOnANodeEntry_andGivesNodeEntriesTheirDefaults() {
        String nodeRole = "arn:aws:iam::" + ACCOUNT + ":role/NodeInstanceRole";
        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(nodeRole)
                .type("EC2_LINUX").kubernetesGroups("devops")))
                .isInstanceOf(InvalidParameterException.class);

        AccessEntry node = eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(nodeRole).type("EC2_LINUX"))
                .accessEntry();

        assertThat(node.type()).isEqualTo("EC2_LINUX");
        assertThat(node.username()).isEqualTo("system:node:{{EC2PrivateDNSName}}");
    }

    @Test
    void createAccessEntry_refusesAnUnknownType() {
        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)
                .type("SUPERUSER")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void accessEntryCalls_onAConfigMapClusterAreInvalidRequest() {
        emulator.createCluster(ClusterSpec.builder("legacy").authenticationMode(AuthenticationMode.CONFIG_MAP).build());

        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName("legacy").principalArn(DEV_ROLE)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("authentication mode must be set to one of [API, API_AND_CONFIG_MAP]");
        assertThatThrownBy(() -> eks.listAccessEntries(r -> r.clusterName("legacy")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void accessEntryCalls_onACreatingClusterAreInvalidRequest() {
        emulator.createCluster(apiCluster("young").activationDelay(Duration.ofMinutes(10)).build());

        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName("young").principalArn(DEV_ROLE)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("CREATING");

        clock.advance(Duration.ofMinutes(10));
        assertThat(eks.createAccessEntry(r -> r.clusterName("young").principalArn(DEV_ROLE)).accessEntry())
                .isNotNull();
    }

    @Test
    void accessEntryCalls_onAnUnknownClusterOrEntryAreResourceNotFound() {
        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName("ghost").principalArn(DEV_ROLE)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> eks.describeAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> eks.updateAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)
                .kubernetesGroups("x")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> eks.deleteAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void updateAccessEntry_replacesGroupsAndUsername_andMovesModifiedAt() {
        // GIVEN
        create(DEV_ROLE);
        clock.advance(Duration.ofMinutes(3));

        // WHEN
        AccessEntry updated = eks.updateAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)
                .kubernetesGroups("editors").username("devops:{{SessionName}}")).accessEntry();

        // THEN
        assertThat(updated.kubernetesGroups()).containsExactly("editors");
        assertThat(updated.username()).isEqualTo("devops:{{SessionName}}");
        assertThat(updated.createdAt()).isEqualTo(START);
        assertThat(updated.modifiedAt()).isEqualTo(START.plus(Duration.ofMinutes(3)));
    }

    @Test
    void updateAccessEntry_refusesSystemGroups() {
        create(DEV_ROLE);

        assertThatThrownBy(() -> eks.updateAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)
                .kubernetesGroups("system:masters")))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(emulator.accessEntry(CLUSTER, DEV_ROLE).orElseThrow().kubernetesGroups()).isEmpty();
    }

    @Test
    void deleteAccessEntry_dropsItsPolicyAssociations() {
        // GIVEN
        create(DEV_ROLE);
        eks.associateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE)
                .policyArn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy")
                .accessScope(s -> s.type("cluster")));

        // WHEN
        eks.deleteAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE));
        create(DEV_ROLE);

        // THEN
        assertThat(eks.listAssociatedAccessPolicies(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE))
                .associatedAccessPolicies()).isEmpty();
        assertThat(eks.listAccessEntries(r -> r.clusterName(CLUSTER)
                .associatedPolicyArn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"))
                .accessEntries()).isEmpty();
    }

    @Test
    void clientRequestToken_replaysTheSameCreateInsteadOfAnswering409() {
        // GIVEN
        CreateAccessEntryRequest request = CreateAccessEntryRequest.builder().clusterName(CLUSTER)
                .principalArn(DEV_ROLE).kubernetesGroups("devops").clientRequestToken("token-1").build();
        AccessEntry first = eks.createAccessEntry(request).accessEntry();

        // WHEN
        AccessEntry replay = eks.createAccessEntry(request).accessEntry();

        // THEN
        assertThat(replay).isEqualTo(first);
        assertThat(emulator.accessEntries(CLUSTER)).hasSize(2);
        assertThatThrownBy(() -> eks.createAccessEntry(request.toBuilder().clientRequestToken("token-2").build()))
                .isInstanceOf(ResourceInUseException.class);
    }

    @Test
    void clientRequestToken_reusedForAnotherRequestIsRefused() {
        eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE).clientRequestToken("token-1"));

        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName(CLUSTER)
                .principalArn("arn:aws:iam::" + ACCOUNT + ":role/Other").clientRequestToken("token-1")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void quota_aLoweredQuotaRefusesTheEntryBeyondIt() {
        try (EksEmulator small = EksEmulator.start(EksEmulator.Options.defaults().withAccessEntryQuota(3));
             EksClient client = SdkClients.eks(small)) {
            small.createCluster(apiCluster("tiny").build());
            client.createAccessEntry(r -> r.clusterName("tiny").principalArn(DEV_ROLE));
            client.createAccessEntry(r -> r.clusterName("tiny").principalArn("arn:aws:iam::" + ACCOUNT + ":user/bob"));

            assertThatThrownBy(() -> client.createAccessEntry(r -> r.clusterName("tiny")
                    .principalArn("arn:aws:iam::" + ACCOUNT + ":user/carol")))
                    .isInstanceOf(ResourceLimitExceededException.class);
            assertThat(small.accessEntries("tiny")).hasSize(3);
        }
    }

    @Test
    void quota_theRealQuotaIs3000EntriesPerCluster() {
        // GIVEN the creator's entry plus 2,998 more
        for (int i = 0; i < 2998; i++) {
            emulator.seedAccessEntry(CLUSTER, "arn:aws:iam::" + ACCOUNT + ":role/r" + i);
        }

        // WHEN / THEN the 3,000th is accepted, the 3,001st is not
        create(DEV_ROLE);
        assertThatThrownBy(() -> create("arn:aws:iam::" + ACCOUNT + ":role/OneTooMany"))
                .isInstanceOf(ResourceLimitExceededException.class);
        assertThat(emulator.accessEntries(CLUSTER)).hasSize(3000);
    }

    @Test
    void concurrentCreates_ofOneEntrySucceedExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(() -> {
                    try {
                        create(DEV_ROLE);
                        return true;
                    } catch (ResourceInUseException e) {
                        return false;
                    }
                });
            }
            List<Boolean> outcomes = new ArrayList<>();
            for (Future<Boolean> f : pool.invokeAll(attempts)) {
                outcomes.add(f.get());
            }

            assertThat(outcomes).containsOnlyOnce(true);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void calls_recordEveryGroupSent_soTestsCanProveNoSystemGroupWasSent() {
        eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV_ROLE).kubernetesGroups("devops"));

        assertThat(emulator.calls("CreateAccessEntry")).singleElement().satisfies(call -> {
            assertThat(call.bodyJson()).containsEntry("kubernetesGroups", List.of("devops"))
                    .containsEntry("principalArn", DEV_ROLE);
            assertThat(call.body()).doesNotContain("system:");
            assertThat(call.method()).isEqualTo("POST");
        });
    }
}
