package dev.eksaccess.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoInventory;
import dev.eksaccess.aws.IamPrincipalIds;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.inventory.ClusterInventory;
import dev.eksaccess.inventory.Flag;
import dev.eksaccess.inventory.InventoryEntry;
import dev.eksaccess.inventory.Origin;
import dev.eksaccess.inventory.Snapshot;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.testing.FakeRegistry;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.IamEmulator;
import dev.eksaccess.testsupport.SdkClients;
import dev.eksaccess.testsupport.TestEksClients;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The reconciliation through the production adapters over HTTP: EKS emulators (the hub's account and a member
 * account, each its own emulator, reached with the session the reconciler names), the IAM emulator (per account),
 * and the registry, ledger and inventory tables in DynamoDB (dynalite).
 */
@ExtendWith(EmulatedAws.class)
class ReconciliationIT {

    static final String HUB = "111122223333";
    static final String MEMBER = "444455556666";
    static final ClusterRef PAYMENTS = new ClusterRef("aws", "eu-west-1", HUB, "payments-prod");
    static final ClusterRef LEGACY = new ClusterRef("aws", "eu-west-1", HUB, "legacy");
    static final ClusterRef DELETED = new ClusterRef("aws", "eu-west-1", HUB, "deleted-by-hand");
    static final ClusterRef MEMBER_CLUSTER = new ClusterRef("aws", "eu-west-1", MEMBER, "member-prod");
    static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    static final String MEMBER_CREATOR = "arn:aws:iam::444455556666:role/platform/cluster-creator";
    static final String DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";
    static final String LOST = "arn:aws:iam::111122223333:role/teams/lost-grant";
    static final String WIDENED = "arn:aws:iam::111122223333:role/teams/widened";
    static final String TEMP = "arn:aws:iam::111122223333:role/teams/temporary";
    static final String OVERDUE = "arn:aws:iam::111122223333:role/teams/overdue";
    static final String ORPHAN = "arn:aws:iam::111122223333:role/teams/orphan";
    static final String DEPARTED = "arn:aws:iam::111122223333:role/people/departed";
    static final String MEMBER_DEV = "arn:aws:iam::444455556666:role/teams/member-dev";
    static final String VIEW = AccessPolicies.arnOf(AccessPolicies.VIEW);
    static final String EDIT = AccessPolicies.arnOf(AccessPolicies.EDIT);
    static final String ADMIN = AccessPolicies.arnOf(AccessPolicies.CLUSTER_ADMIN);

    private final AwsBackend aws;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<ActingFor> sessions = new CopyOnWriteArrayList<>();
    private EksEmulator hub;
    private EksEmulator member;
    private IamEmulator iam;
    private SdkEksAccess hubEks;
    private SdkEksAccess memberEks;
    private DynamoClusterRegistry registry;
    private DynamoGrantStates grants;
    private DynamoInventory inventory;
    private Reconciler reconciler;

    ReconciliationIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        hub = EksEmulator.start();
        member = EksEmulator.start();
        iam = IamEmulator.start();
        hub.createCluster(ClusterSpec.builder(PAYMENTS.name()).accountId(HUB).region("eu-west-1")
                .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                .bootstrapClusterCreatorAdminPermissions(true).creatorPrincipalArn(CREATOR).build());
        hub.createCluster(ClusterSpec.builder(LEGACY.name()).accountId(HUB).region("eu-west-1")
                .authenticationMode(AuthenticationMode.CONFIG_MAP).creatorPrincipalArn(CREATOR).build());
        member.createCluster(ClusterSpec.builder(MEMBER_CLUSTER.name()).accountId(MEMBER).region("eu-west-1")
                .authenticationMode(AuthenticationMode.API)
                .bootstrapClusterCreatorAdminPermissions(true).creatorPrincipalArn(MEMBER_CREATOR).build());
        hubEks = new SdkEksAccess(client(hub));
        memberEks = new SdkEksAccess(client(member));
        for (String role : List.of(CREATOR, MEMBER_CREATOR, DEV, LOST, WIDENED, TEMP, OVERDUE, ORPHAN, DEPARTED,
                MEMBER_DEV)) {
            iam.createRole(role);
        }
        registry = new DynamoClusterRegistry(aws.dynamoDb(),
                DynamoDbTables.createUnique(aws.dynamoDb(), "registry", Tables.REGISTRY), clock);
        for (ClusterRef cluster : List.of(PAYMENTS, LEGACY, DELETED)) {
            registry.putIfAbsent(FakeRegistry.record(cluster.arn(), CREATOR, "API_AND_CONFIG_MAP", true));
        }
        registry.putIfAbsent(FakeRegistry.record(MEMBER_CLUSTER.arn(), MEMBER_CREATOR, "API", true));
        grants = new DynamoGrantStates(aws.dynamoDb(),
                DynamoDbTables.createUnique(aws.dynamoDb(), "ledger", Tables.LEDGER));
        inventory = new DynamoInventory(aws.dynamoDb(),
                DynamoDbTables.createUnique(aws.dynamoDb(), "inventory", Tables.INVENTORY));
        Map<String, IamClient> iamClients = new ConcurrentHashMap<>();
        // The member account's EKS is its own emulator: the provider routes by account, as CrossAccountEks does
        // by role session, and records the session each cluster was read with.
        reconciler = new Reconciler(registry, grants, (cluster, actingFor) -> {
            sessions.add(actingFor);
            return cluster.accountId().equals(MEMBER) ? memberEks : hubEks;
        }, new IamPrincipalIds(account -> iamClients.computeIfAbsent(account,
                a -> SdkClients.iamBuilder(iam, a).build())), grants, inventory, clock);
    }

    @AfterEach
    void stop() {
        hub.close();
        member.close();
        iam.close();
    }

    private static EksClient client(EksEmulator emulator) {
        return TestEksClients.eks(emulator.endpoint(), Region.EU_WEST_1);
    }

    /** An entry as the grant processor creates it: tagged, with the policy, and its grant state. */
    private void granted(SdkEksAccess eks, ClusterRef cluster, String principal, String policy, String requestId,
                         Instant expiresAt) {
        eks.createAccessEntry(cluster, new NewAccessEntry(principal, List.of(), null, Map.of(
                AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE, AccessEntry.REQUEST_ID_TAG, requestId),
                null));
        eks.associateAccessPolicy(cluster, principal, policy, dev.eksaccess.eks.AccessScope.cluster());
        assertThat(grants.save(new GrantState(cluster.arn(), principal, policy, true,
                clock.instant().minus(Duration.ofHours(2)), requestId, expiresAt))).isTrue();
    }

    private static InventoryEntry entry(Snapshot snapshot, ClusterRef cluster, String principal) {
        return cluster(snapshot, cluster).entries().stream().filter(e -> e.principalArn().equals(principal))
                .findFirst().orElseThrow();
    }

    private static ClusterInventory cluster(Snapshot snapshot, ClusterRef cluster) {
        return snapshot.clusters().stream().filter(c -> c.clusterArn().equals(cluster.arn())).findFirst()
                .orElseThrow();
    }

    @Test
    void everyComparison_staleprincipals_aMemberCluster_andAFailingCluster_inOneRun() {
        granted(hubEks, PAYMENTS, DEV, VIEW, "req-dev", null);
        granted(hubEks, PAYMENTS, LOST, VIEW, "req-lost", null);
        hubEks.deleteAccessEntry(PAYMENTS, LOST);
        granted(hubEks, PAYMENTS, WIDENED, VIEW, "req-widened", null);
        hubEks.associateAccessPolicy(PAYMENTS, WIDENED, EDIT, dev.eksaccess.eks.AccessScope.cluster());
        granted(hubEks, PAYMENTS, TEMP, VIEW, "req-temp", clock.instant().minus(Duration.ofMinutes(30)));
        GrantState temp = grants.find(PAYMENTS.arn(), TEMP, VIEW).orElseThrow();
        assertThat(grants.markRevocationQueued(temp)).isTrue(); // swept, but the revoke never arrived
        assertThat(grants.findExpired(clock.instant(), 10)).isEmpty();
        granted(hubEks, PAYMENTS, OVERDUE, VIEW, "req-overdue", clock.instant().minus(Duration.ofMinutes(30)));
        assertThat(grants.markOverdue(grants.find(PAYMENTS.arn(), OVERDUE, VIEW).orElseThrow(), "last admin",
                clock.instant())).isTrue();
        hubEks.createAccessEntry(PAYMENTS, new NewAccessEntry(ORPHAN, List.of(), null,
                Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE, AccessEntry.REQUEST_ID_TAG, "req-old"),
                null));
        hub.seedAccessEntry(PAYMENTS.name(), DEPARTED, "auditors");
        iam.deleteRole(DEPARTED);
        granted(memberEks, MEMBER_CLUSTER, MEMBER_DEV, EDIT, "req-member", null);
        hub.clearCalls();
        member.clearCalls();

        Reconciliation run = reconciler.run("reconcile-it-1");

        assertThat(run.findings()).extracting(Finding::kind, Finding::clusterArn, Finding::principalArn,
                Finding::policyArn).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.MISSING_GRANT, PAYMENTS.arn(), LOST, VIEW),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.EXTRA_POLICY, PAYMENTS.arn(), WIDENED, EDIT),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.EXPIRED_REQUEUED, PAYMENTS.arn(), TEMP, VIEW),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.EXPIRED_NOT_REQUEUED, PAYMENTS.arn(), OVERDUE, VIEW),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.UNREFERENCED_ENTRY, PAYMENTS.arn(), ORPHAN, null),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.CLUSTER_FAILED, DELETED.arn(), null, null));
        // The expired grant is back on the sweep's schedule; the overdue one is not.
        assertThat(grants.findExpired(clock.instant(), 10)).extracting(GrantState::principalArn).containsExactly(TEMP);

        Snapshot stored = inventory.current().orElseThrow();
        assertThat(stored.snapshotId()).isEqualTo("reconcile-it-1");
        assertThat(stored.clusters()).containsExactlyInAnyOrderElementsOf(run.snapshot().clusters());
        assertThat(entry(stored, PAYMENTS, DEPARTED).flags()).containsExactlyInAnyOrder(Flag.PRINCIPAL_GONE,
                Flag.NO_POLICY);
        assertThat(entry(stored, PAYMENTS, DEPARTED).kubernetesGroups()).containsExactly("auditors");
        assertThat(entry(stored, PAYMENTS, DEPARTED).origin()).isEqualTo(Origin.EXTERNAL);
        assertThat(entry(stored, PAYMENTS, DEV).flags()).isEmpty();
        assertThat(entry(stored, PAYMENTS, DEV).requestId()).isEqualTo("req-dev");
        assertThat(entry(stored, PAYMENTS, TEMP).flags()).containsExactly(Flag.PAST_END);
        assertThat(entry(stored, PAYMENTS, CREATOR).origin()).isEqualTo(Origin.CREATOR);
        assertThat(cluster(stored, LEGACY).flags()).containsExactly(Flag.CONFIG_MAP);
        assertThat(cluster(stored, DELETED).failure()).contains("EksNotFoundException");
        ClusterInventory memberCluster = cluster(stored, MEMBER_CLUSTER);
        assertThat(memberCluster.flags()).containsExactly(Flag.ONLY_CREATOR_ADMIN);
        assertThat(cluster(stored, PAYMENTS).flags()).containsExactly(Flag.ONLY_CREATOR_ADMIN);
        assertThat(memberCluster.entries()).extracting(InventoryEntry::principalArn)
                .containsExactlyInAnyOrder(MEMBER_CREATOR, MEMBER_DEV);
        assertThat(entry(stored, MEMBER_CLUSTER, MEMBER_DEV).policies()).singleElement()
                .satisfies(policy -> assertThat(policy.policyArn()).isEqualTo(EDIT));
        assertThat(sessions).hasSize(4).allSatisfy(session -> {
            assertThat(session.function()).isEqualTo(SessionIdentity.RECONCILIATION);
            assertThat(session.requestId()).isEqualTo("reconcile-it-1");
        });
        assertThat(hub.calls()).extracting(call -> call.operation()).doesNotContain("CreateAccessEntry",
                "DeleteAccessEntry", "AssociateAccessPolicy", "DisassociateAccessPolicy").isNotEmpty();
        assertThat(member.calls()).extracting(call -> call.operation()).doesNotContain("CreateAccessEntry",
                "DeleteAccessEntry", "AssociateAccessPolicy", "DisassociateAccessPolicy").isNotEmpty();
    }

    @Test
    void moreThan100Entries_areReadPageByPage_andANewSnapshotReplacesTheOld() {
        for (int i = 0; i < 150; i++) {
            String principal = "arn:aws:iam::111122223333:role/fleet/node-" + i;
            hub.seedAccessEntry(PAYMENTS.name(), principal);
            hub.seedPolicyAssociation(PAYMENTS.name(), principal, VIEW, AccessScope.namespaces("team-" + i));
            iam.createRole(principal);
        }
        reconciler.run("reconcile-it-1");
        hub.clearCalls();
        clock.advance(Duration.ofDays(1));
        hubEks.deleteAccessEntry(PAYMENTS, "arn:aws:iam::111122223333:role/fleet/node-7");

        Reconciliation run = reconciler.run("reconcile-it-2");

        assertThat(hub.calls("ListAccessEntries")).filteredOn(call -> call.pathParams().get("name")
                .equals(PAYMENTS.name())).hasSize(2);
        Snapshot stored = inventory.current().orElseThrow();
        assertThat(stored.snapshotId()).isEqualTo("reconcile-it-2");
        assertThat(cluster(stored, PAYMENTS).entries()).hasSize(150) // the creator and 149 of the fleet
                .extracting(InventoryEntry::principalArn)
                .doesNotContain("arn:aws:iam::111122223333:role/fleet/node-7");
        assertThat(entry(stored, PAYMENTS, "arn:aws:iam::111122223333:role/fleet/node-120").policies())
                .singleElement().satisfies(policy -> assertThat(policy.scope().namespaces())
                        .containsExactly("team-120"));
        assertThat(run.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.CLUSTER_FAILED);
    }
}
