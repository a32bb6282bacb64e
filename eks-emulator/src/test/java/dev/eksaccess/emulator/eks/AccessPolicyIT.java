package dev.eksaccess.emulator.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessPolicy;
import software.amazon.awssdk.services.eks.model.AssociateAccessPolicyResponse;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.ListAccessEntriesResponse;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/** Access policies through the real SDK client: associations, scopes, listing, filtering and pagination. */
class AccessPolicyIT {

    private static final Instant START = Instant.parse("2026-05-04T12:00:00Z");
    private static final String ACCOUNT = "210987654321";
    private static final String CLUSTER = "analytics";
    private static final String CREATOR = "arn:aws:iam::" + ACCOUNT + ":user/creator";
    private static final String DEV = "arn:aws:iam::" + ACCOUNT + ":role/Dev";
    private static final String PREFIX = "arn:aws:eks::aws:cluster-access-policy/";
    private static final String VIEW = PREFIX + "AmazonEKSViewPolicy";
    private static final String EDIT = PREFIX + "AmazonEKSEditPolicy";
    private static final String CLUSTER_ADMIN = PREFIX + "AmazonEKSClusterAdminPolicy";

    private final ManualClock clock = new ManualClock(START);
    private EksEmulator emulator;
    private EksClient eks;

    @BeforeEach
    void start() {
        emulator = EksEmulator.start(EksEmulator.Options.defaults().withClock(clock));
        eks = SdkClients.eks(emulator);
        emulator.createCluster(ClusterSpec.builder(CLUSTER).accountId(ACCOUNT)
                .authenticationMode(AuthenticationMode.API).creatorPrincipalArn(CREATOR).build());
        eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV));
    }

    @AfterEach
    void stop() {
        eks.close();
        emulator.close();
    }

    private AssociateAccessPolicyResponse associate(String principal, String policy, String... namespaces) {
        return eks.associateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(principal).policyArn(policy)
                .accessScope(s -> {
                    if (namespaces.length == 0) {
                        s.type("cluster");
                    } else {
                        s.type("namespace").namespaces(namespaces);
                    }
                }));
    }

    @Test
    void associateAccessPolicy_returnsTheAssociationInTheSdkShape() {
        AssociateAccessPolicyResponse response = associate(DEV, VIEW, "dev", "team-*");

        assertThat(response.clusterName()).isEqualTo(CLUSTER);
        assertThat(response.principalArn()).isEqualTo(DEV);
        AssociatedAccessPolicy association = response.associatedAccessPolicy();
        assertThat(association.policyArn()).isEqualTo(VIEW);
        assertThat(association.accessScope().typeAsString()).isEqualTo("namespace");
        assertThat(association.accessScope().namespaces()).containsExactly("dev", "team-*");
        assertThat(association.associatedAt()).isEqualTo(START).isEqualTo(association.modifiedAt());
    }

    @Test
    void associateAccessPolicy_againReplacesTheScope() {
        // GIVEN
        associate(DEV, EDIT, "dev");
        clock.advance(Duration.ofSeconds(30));

        // WHEN
        associate(DEV, EDIT, "staging", "qa");

        // THEN one association, with the new scope only
        List<AssociatedAccessPolicy> policies = eks.listAssociatedAccessPolicies(
                r -> r.clusterName(CLUSTER).principalArn(DEV)).associatedAccessPolicies();
        assertThat(policies).singleElement().satisfies(p -> {
            assertThat(p.accessScope().namespaces()).containsExactly("staging", "qa");
            assertThat(p.associatedAt()).isEqualTo(START);
            assertThat(p.modifiedAt()).isEqualTo(START.plusSeconds(30));
        });
        assertThat(emulator.accessEntry(CLUSTER, DEV).orElseThrow().policy("AmazonEKSEditPolicy"))
                .hasValueSatisfying(p -> assertThat(p.scope()).isEqualTo(AccessScope.namespaces("staging", "qa")));
    }

    @Test
    void associateAccessPolicy_refusesAnUnknownPolicy() {
        assertThatThrownBy(() -> associate(DEV, PREFIX + "MyCustomPolicy"))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> associate(DEV, "arn:aws:iam::aws:policy/AdministratorAccess"))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void associateAccessPolicy_refusesANamespaceScopeWithoutNamespaces() {
        assertThatThrownBy(() -> eks.associateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(DEV)
                .policyArn(VIEW).accessScope(s -> s.type("namespace"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(emulator.accessEntry(CLUSTER, DEV).orElseThrow().policies()).isEmpty();
    }

    @Test
    void associateAccessPolicy_refusesAClusterScopeWithNamespaces() {
        assertThatThrownBy(() -> eks.associateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(DEV)
                .policyArn(VIEW).accessScope(s -> s.type("cluster").namespaces("dev"))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void associateAccessPolicy_refusesANonStandardEntry() {
        String node = "arn:aws:iam::" + ACCOUNT + ":role/Nodes";
        eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(node).type("EC2_LINUX"));

        assertThatThrownBy(() -> associate(node, VIEW)).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void associateAccessPolicy_onAnUnknownEntryIsResourceNotFound() {
        assertThatThrownBy(() -> associate("arn:aws:iam::" + ACCOUNT + ":role/Nobody", VIEW))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void disassociateAccessPolicy_removesOnlyThatPolicy() {
        associate(DEV, VIEW);
        associate(DEV, EDIT, "dev");

        eks.disassociateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(DEV).policyArn(VIEW));

        assertThat(emulator.accessEntry(CLUSTER, DEV).orElseThrow().policies())
                .extracting(PolicyAssociation::policyArn).containsExactly(EDIT);
    }

    @Test
    void disassociateAccessPolicy_notAssociatedIsResourceNotFound() {
        assertThatThrownBy(() -> eks.disassociateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(DEV)
                .policyArn(VIEW)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listAssociatedAccessPolicies_paginates() {
        associate(DEV, VIEW);
        associate(DEV, EDIT, "dev");
        associate(DEV, CLUSTER_ADMIN);

        List<String> arns = new ArrayList<>();
        eks.listAssociatedAccessPoliciesPaginator(r -> r.clusterName(CLUSTER).principalArn(DEV).maxResults(2))
                .forEach(page -> {
                    assertThat(page.associatedAccessPolicies()).hasSizeLessThanOrEqualTo(2);
                    page.associatedAccessPolicies().forEach(p -> arns.add(p.policyArn()));
                });

        assertThat(arns).containsExactlyInAnyOrder(VIEW, EDIT, CLUSTER_ADMIN);
    }

    @Test
    void listAccessEntries_paginatesWithNextToken() {
        // GIVEN the creator, Dev and 5 more
        for (int i = 0; i < 5; i++) {
            emulator.seedAccessEntry(CLUSTER, "arn:aws:iam::" + ACCOUNT + ":role/extra-" + i);
        }

        // WHEN
        List<String> all = new ArrayList<>();
        int pages = 0;
        String token = null;
        do {
            String next = token;
            ListAccessEntriesResponse page = eks.listAccessEntries(r -> r.clusterName(CLUSTER).maxResults(3)
                    .nextToken(next));
            all.addAll(page.accessEntries());
            pages++;
            token = page.nextToken();
        } while (token != null);

        // THEN
        assertThat(pages).isEqualTo(3);
        assertThat(all).hasSize(7).doesNotHaveDuplicates().contains(CREATOR, DEV);
    }

    @Test
    void listAccessEntries_refusesPageSizesOutside1To100() {
        assertThatThrownBy(() -> eks.listAccessEntries(r -> r.clusterName(CLUSTER).maxResults(0)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> eks.listAccessEntries(r -> r.clusterName(CLUSTER).maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void listAccessEntries_filtersByAssociatedPolicy() {
        String other = "arn:aws:iam::" + ACCOUNT + ":role/Other";
        eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(other));
        associate(DEV, VIEW, "dev");
        associate(other, EDIT);

        assertThat(eks.listAccessEntries(r -> r.clusterName(CLUSTER).associatedPolicyArn(VIEW)).accessEntries())
                .containsExactly(DEV);
        assertThat(eks.listAccessEntries(r -> r.clusterName(CLUSTER).associatedPolicyArn(CLUSTER_ADMIN))
                .accessEntries()).containsExactly(CREATOR);
    }

    @Test
    void listAccessPolicies_includesTheGeneralPurposePolicies() {
        List<AccessPolicy> policies = new ArrayList<>();
        eks.listAccessPoliciesPaginator(r -> r.maxResults(4)).forEach(page -> policies.addAll(page.accessPolicies()));

        assertThat(policies).extracting(AccessPolicy::name).contains("AmazonEKSClusterAdminPolicy",
                "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy", "AmazonEKSAdminViewPolicy");
        assertThat(policies).allSatisfy(p -> assertThat(p.arn()).isEqualTo(PREFIX + p.name()));
        assertThat(policies).extracting(AccessPolicy::name).doesNotHaveDuplicates().hasSizeGreaterThan(5);
    }

    @Test
    void seedPolicyAssociation_isVisibleThroughTheSdk() {
        emulator.seedPolicyAssociation(CLUSTER, DEV, VIEW, AccessScope.namespaces("ops"));

        assertThat(eks.listAssociatedAccessPolicies(r -> r.clusterName(CLUSTER).principalArn(DEV))
                .associatedAccessPolicies()).singleElement()
                .satisfies(p -> assertThat(p.accessScope().namespaces()).containsExactly("ops"));
    }
}
