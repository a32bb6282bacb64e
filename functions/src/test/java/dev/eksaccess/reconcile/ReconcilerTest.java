package dev.eksaccess.reconcile;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.delivery.ExpirySweep;
import dev.eksaccess.delivery.MessageResult;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.delivery.RequestProcessor;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.inventory.ClusterInventory;
import dev.eksaccess.inventory.Flag;
import dev.eksaccess.inventory.InventoryEntry;
import dev.eksaccess.inventory.InventoryStore;
import dev.eksaccess.inventory.Origin;
import dev.eksaccess.inventory.Snapshot;
import dev.eksaccess.log.Level;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.testing.AccessFixture;
import dev.eksaccess.testing.FakeRegistry;
import dev.eksaccess.testing.TestSenders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final String OTHER = "arn:aws:iam::111122223333:role/someone-by-hand";
    private static final String GONE = "arn:aws:iam::111122223333:role/deleted-since";
    private static final Map<String, String> OURS = Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE,
            AccessEntry.REQUEST_ID_TAG, "req-old");

    private final AccessFixture f = new AccessFixture();
    private final RequestProcessor processor = f.processor();
    private final List<ClusterRecord> registered = new ArrayList<>(List.of(f.registry.find(CLUSTER.arn()).orElseThrow()));
    private final Set<String> deletedFromIam = new HashSet<>();
    private final List<Snapshot> published = new ArrayList<>();
    private final InventoryStore store = new InventoryStore() {
        @Override
        public void publish(Snapshot snapshot) {
            published.add(snapshot);
        }

        @Override
        public Optional<Snapshot> current() {
            return published.isEmpty() ? Optional.empty() : Optional.of(published.getLast());
        }
    };
    private final Reconciler reconciler = new Reconciler(() -> registered, f.states, f.eks,
            arn -> deletedFromIam.contains(arn) ? Optional.empty() : Optional.of("AROA" + arn.hashCode()), f.states,
            store, f.clock);

    private MessageResult sendAs(String senderId, String body) {
        MessageMeta meta = f.meta(senderId);
        return processor.process(f.parser.parse(body, meta), meta);
    }

    private MessageResult send(String body) {
        MessageResult result = sendAs(TestSenders.TEAM_SENDER, body);
        assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
        return result;
    }

    private static InventoryEntry entryOf(Reconciliation run, String principal) {
        return run.snapshot().clusters().getFirst().entries().stream()
                .filter(e -> e.principalArn().equals(principal)).findFirst().orElseThrow();
    }

    private static List<Finding> of(Reconciliation run, Finding.Kind kind) {
        return run.findings().stream().filter(finding -> finding.kind() == kind).toList();
    }

    @Test
    void matchingState_hasNoFindings_andTheInventoryNamesWhoMadeEachEntry() {
        MessageResult granted = send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"namespace\",\"namespaces\":[\"pay\"]}",
                ",\"duration\":\"PT2H\""));
        f.cluster.withEntry(OTHER, "STANDARD", Map.of(), EDIT_ARN);

        Reconciliation run = reconciler.run("run-1");

        assertThat(run.findings()).isEmpty();
        assertThat(run.summary().level()).isEqualTo(Level.INFO);
        assertThat(published).containsExactly(run.snapshot());
        InventoryEntry dev = entryOf(run, DEV);
        assertThat(dev.origin()).isEqualTo(Origin.SYSTEM);
        assertThat(dev.requestId()).isEqualTo(granted.requestId());
        assertThat(dev.expiresAt()).isEqualTo(START.plus(Duration.ofHours(2)));
        assertThat(dev.policies()).singleElement().satisfies(p -> {
            assertThat(p.policyArn()).isEqualTo(VIEW_ARN);
            assertThat(p.scope().namespaces()).containsExactly("pay");
        });
        assertThat(entryOf(run, CREATOR).origin()).isEqualTo(Origin.CREATOR);
        assertThat(entryOf(run, OTHER).origin()).isEqualTo(Origin.EXTERNAL);
        assertThat(entryOf(run, OTHER).requestId()).isNull();
        assertThat(f.eks.actedFor().getLast()).isEqualTo(ActingFor.function(SessionIdentity.RECONCILIATION, "run-1"));
    }

    @Test
    void grantWhoseEntryOrPolicyWasRemovedByHand_isReportedMissing() {
        send(grant(DEV, "AmazonEKSViewPolicy"));
        send(grant(OTHER, "AmazonEKSEditPolicy"));
        f.eks.deleteAccessEntry(CLUSTER, DEV);
        f.eks.disassociateAccessPolicy(CLUSTER, OTHER, EDIT_ARN);

        Reconciliation run = reconciler.run("run-1");

        assertThat(of(run, Finding.Kind.MISSING_GRANT)).extracting(Finding::principalArn, Finding::policyArn,
                        Finding::detail)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(DEV, VIEW_ARN, "grant " + f.states.find(CLUSTER.arn(), DEV,
                                VIEW_ARN).orElseThrow().lastRequestId() + " is applied, EKS lacks the entry"),
                        org.assertj.core.groups.Tuple.tuple(OTHER, EDIT_ARN, "grant " + f.states.find(CLUSTER.arn(),
                                OTHER, EDIT_ARN).orElseThrow().lastRequestId() + " is applied, EKS lacks the policy"));
        assertThat(run.summary().level()).isEqualTo(Level.WARN);
        assertThat(entryOf(run, OTHER).flags()).containsExactly(Flag.NO_POLICY);
    }

    @Test
    void policyAssociatedByHandOnAnEntryWeOwn_isReportedExtra_butNotOnEntriesOfOthers() {
        send(grant(DEV, "AmazonEKSViewPolicy"));
        f.eks.associateAccessPolicy(CLUSTER, DEV, CLUSTER_ADMIN_ARN, dev.eksaccess.eks.AccessScope.cluster());
        f.cluster.withEntry(OTHER, "STANDARD", Map.of(), CLUSTER_ADMIN_ARN, EDIT_ARN);

        Reconciliation run = reconciler.run("run-1");

        assertThat(of(run, Finding.Kind.EXTRA_POLICY)).singleElement().satisfies(extra -> {
            assertThat(extra.principalArn()).isEqualTo(DEV);
            assertThat(extra.policyArn()).isEqualTo(CLUSTER_ADMIN_ARN);
        });
        assertThat(run.findings()).hasSize(1);
    }

    @Test
    void entryWeCreatedThatNoGrantReferences_isReported_butTheAdminBootstrapsIsNot() {
        f.cluster.withEntry(OTHER, "STANDARD", OURS, VIEW_ARN);
        f.cluster.withEntry(ADMIN, "STANDARD", Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE,
                AccessEntry.REQUEST_ID_TAG, "bootstrap:" + FakeRegistry.EVENT_ID), CLUSTER_ADMIN_ARN);

        Reconciliation run = reconciler.run("run-1");

        assertThat(of(run, Finding.Kind.UNREFERENCED_ENTRY)).singleElement().satisfies(unreferenced -> {
            assertThat(unreferenced.principalArn()).isEqualTo(OTHER);
            assertThat(unreferenced.detail()).contains("req-old");
        });
        assertThat(run.findings()).hasSize(1);
        assertThat(entryOf(run, ADMIN).origin()).isEqualTo(Origin.SYSTEM);
        assertThat(entryOf(run, ADMIN).requestId()).isEqualTo("bootstrap:" + FakeRegistry.EVENT_ID);
        assertThat(run.snapshot().clusters().getFirst().flags()).isEmpty();
    }

    @Test
    void expiredGrantStillPresent_isHandedBackToTheSweep_whoseRevokeTheProcessorApplies() {
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"duration\":\"PT1H\""));
        f.clock.advance(Duration.ofHours(1));
        List<String> queue = new ArrayList<>();
        ExpirySweep sweep = new ExpirySweep(f.states, f.pending, queue::add, f.clock);
        assertThat(sweep.sweep()).isEqualTo(1);
        queue.clear(); // the revoke was lost (a DLQ someone purged): the grant is off the schedule, still in EKS

        Reconciliation run = reconciler.run("run-1");

        assertThat(of(run, Finding.Kind.EXPIRED_REQUEUED)).singleElement()
                .satisfies(found -> assertThat(found.principalArn()).isEqualTo(DEV));
        assertThat(entryOf(run, DEV).flags()).containsExactly(Flag.PAST_END);
        assertThat(f.cluster.entry(DEV)).isPresent();
        assertThat(sweep.sweep()).isEqualTo(1);
        MessageResult revoked = sendAs(TestSenders.EXPIRY_SWEEP_SENDER, queue.getFirst());
        assertThat(revoked.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.cluster.entry(DEV)).isEmpty();
        assertThat(reconciler.run("run-2").findings()).isEmpty();
    }

    @Test
    void expiredGrantKeptOverdue_isNotHandedBack() {
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"duration\":\"PT1H\""));
        f.clock.advance(Duration.ofHours(1));
        var state = f.states.find(CLUSTER.arn(), DEV, VIEW_ARN).orElseThrow();
        f.states.markOverdue(state, "last cluster admin", f.clock.instant());

        Reconciliation run = reconciler.run("run-1");

        assertThat(run.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.EXPIRED_NOT_REQUEUED);
        assertThat(f.states.findExpired(f.clock.instant(), 10)).isEmpty();
    }

    @Test
    void flags_principalGone_noPolicy_onlyCreatorAdmin_configMap() {
        f.cluster.withEntry(GONE, "STANDARD", Map.of());
        f.cluster.withEntry("arn:aws:iam::111122223333:role/nodes", "EC2_LINUX", Map.of());
        deletedFromIam.add(GONE);
        ClusterRef legacy = new ClusterRef("aws", "eu-west-1", ACCOUNT, "legacy");
        f.eks.cluster(legacy, ClusterState.ACTIVE, ClusterState.CONFIG_MAP);
        registered.add(FakeRegistry.record(legacy.arn(), CREATOR, ClusterState.CONFIG_MAP, true));

        Reconciliation run = reconciler.run("run-1");

        ClusterInventory payments = run.snapshot().clusters().get(0);
        assertThat(payments.flags()).containsExactly(Flag.ONLY_CREATOR_ADMIN);
        assertThat(entryOf(run, GONE).flags()).containsExactlyInAnyOrder(Flag.PRINCIPAL_GONE, Flag.NO_POLICY);
        assertThat(entryOf(run, "arn:aws:iam::111122223333:role/nodes").flags()).isEmpty();
        assertThat(entryOf(run, CREATOR).flags()).isEmpty();
        ClusterInventory configMap = run.snapshot().clusters().get(1);
        assertThat(configMap.flags()).containsExactly(Flag.CONFIG_MAP);
        assertThat(configMap.authenticationMode()).isEqualTo(ClusterState.CONFIG_MAP);
        assertThat(configMap.entries()).isEmpty();
    }

    @Test
    void iamThatCannotAnswer_flagsNothing_andIsCounted() {
        Reconciler failingIam = new Reconciler(() -> registered, f.states, f.eks, arn -> {
            throw new IllegalStateException("AccessDenied");
        }, f.states, store, f.clock);

        Reconciliation run = failingIam.run("run-1");

        assertThat(entryOf(run, CREATOR).flags()).isEmpty();
        assertThat(run.principalsUnchecked()).isEqualTo(1);
    }

    @Test
    void failingClusters_areReported_andTheRunGoesOn() {
        ClusterRef missing = new ClusterRef("aws", "eu-west-1", ACCOUNT, "deleted-by-hand");
        ClusterRef foreign = new ClusterRef("aws", "eu-west-1", "999988887777", "elsewhere");
        ClusterRef throttled = new ClusterRef("aws", "eu-west-1", ACCOUNT, "busy");
        f.eks.cluster(throttled, ClusterState.ACTIVE, ClusterState.API);
        registered.addFirst(FakeRegistry.record(missing.arn(), CREATOR, ClusterState.API, true));
        registered.add(1, FakeRegistry.record(foreign.arn(), CREATOR, ClusterState.API, true));
        registered.add(2, FakeRegistry.record(throttled.arn(), CREATOR, ClusterState.API, true));
        f.eks.failNextCallOf("listAccessEntries", new EksTransientException("ThrottlingException", null));

        Reconciliation run = reconciler.run(runStartingAt(0));

        assertThat(run.snapshot().clusters()).extracting(ClusterInventory::clusterArn)
                .containsExactly(missing.arn(), foreign.arn(), throttled.arn(), CLUSTER.arn());
        assertThat(run.unreadable()).hasSize(3).allSatisfy(c -> assertThat(c.flags()).containsExactly(Flag.UNREADABLE));
        assertThat(run.unreadable().get(1).failure()).contains("999988887777");
        assertThat(run.unreadable().get(2).failure()).contains("ThrottlingException");
        assertThat(of(run, Finding.Kind.CLUSTER_FAILED)).hasSize(3);
        assertThat(run.snapshot().clusters().get(3).entries()).extracting(InventoryEntry::principalArn)
                .containsExactly(CREATOR);
        assertThat(run.summary().level()).isEqualTo(Level.ERROR);
        assertThat(published).hasSize(1);
    }

    /** A run id whose run starts reading at registry index {@code index} of the registered clusters. */
    private String runStartingAt(int index) {
        for (int n = 1; ; n++) {
            if (Reconciler.startOf("run-" + n, registered.size()) == index) {
                return "run-" + n;
            }
        }
    }

    /**
     * A fleet too large for one run: once the time is out, the clusters not read yet are reported and flagged, the
     * snapshot is still published (in registry order), and the line is an ERROR for the alarm. The next run starts at
     * another cluster. (Mutation: not asking outOfTime -> every cluster read, the first assertion fails.)
     */
    @Test
    void whenTheTimeRunsOut_theRestIsReportedNotRead_theSnapshotIsPublished_andTheNextRunStartsElsewhere() {
        ClusterRef second = new ClusterRef("aws", "eu-west-1", ACCOUNT, "second");
        ClusterRef third = new ClusterRef("aws", "eu-west-1", ACCOUNT, "third");
        f.eks.cluster(second, ClusterState.ACTIVE, ClusterState.API);
        f.eks.cluster(third, ClusterState.ACTIVE, ClusterState.API);
        registered.add(FakeRegistry.record(second.arn(), CREATOR, ClusterState.API, true));
        registered.add(FakeRegistry.record(third.arn(), CREATOR, ClusterState.API, true));
        int[] asked = {0};

        Reconciliation run = reconciler.run(runStartingAt(1), () -> ++asked[0] > 1);

        assertThat(of(run, Finding.Kind.CLUSTER_NOT_READ)).extracting(Finding::clusterArn)
                .containsExactly(third.arn(), CLUSTER.arn());
        assertThat(of(run, Finding.Kind.CLUSTER_NOT_READ).getFirst().detail())
                .isEqualTo("not read: the run's time ran out after 1 of 3 cluster(s); a later run starts elsewhere");
        assertThat(run.snapshot().clusters()).extracting(ClusterInventory::clusterArn)
                .containsExactly(CLUSTER.arn(), second.arn(), third.arn());
        assertThat(run.snapshot().clusters().get(1).flags()).doesNotContain(Flag.UNREADABLE);
        assertThat(run.snapshot().clusters().get(0).flags()).containsExactly(Flag.UNREADABLE);
        assertThat(published).containsExactly(run.snapshot());
        assertThat(run.summary().level()).isEqualTo(Level.ERROR);
        assertThat(dev.eksaccess.json.Json.object(run.summary().fields())).contains("\"errorType\":\"RunOutOfTime\"");

        asked[0] = 0;
        Reconciliation next = reconciler.run(runStartingAt(0), () -> ++asked[0] > 1);

        assertThat(of(next, Finding.Kind.CLUSTER_NOT_READ)).extracting(Finding::clusterArn)
                .containsExactly(second.arn(), third.arn());
    }
}
