package dev.eksaccess.handler;

import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.inventory.InventoryStore;
import dev.eksaccess.inventory.Snapshot;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.reconcile.Reconciler;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Priming of the reconciliation: the reconciler's own code over one cluster held in memory ({@link #CLUSTER}, its
 * creator's entry and one granted entry of this system), the snapshot kept in memory and the summary line rendered;
 * neither EKS, IAM nor a table is touched.
 */
final class ReconcilerPriming extends Priming {

    private static final ClusterRef CLUSTER = new ClusterRef("aws", "us-east-1", "000000000000", "priming");
    private static final String CREATOR = "arn:aws:iam::000000000000:role/priming-creator";
    private static final String GRANTEE = "arn:aws:iam::000000000000:role/priming";
    private static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    /** 2026-01-01T00:00:00Z, from epoch seconds: parsing text would load java.time's parser on every cold start. */
    private static final Instant AT = Instant.ofEpochSecond(1_767_225_600L);

    private final Clock clock;
    private final FunctionLog log;

    ReconcilerPriming(Clock clock, FunctionLog log) {
        super(() -> null);
        this.clock = clock;
        this.log = log;
    }

    /** @return the summary line the run would have logged */
    @Override
    String prime() {
        ClusterRecord record = new ClusterRecord(CLUSTER.arn(), CLUSTER.name(), CLUSTER.accountId(), CLUSTER.region(),
                CREATOR, "AssumedRole", "priming", null, "priming", AT, "priming", ClusterState.API, true,
                BootstrapStatus.DONE, "priming", AT);
        GrantState grant = new GrantState(CLUSTER.arn(), GRANTEE, VIEW, true, AT, "priming", null);
        Snapshot[] published = new Snapshot[1];
        InventoryStore store = new InventoryStore() {
            @Override
            public void publish(Snapshot snapshot) {
                published[0] = snapshot;
            }

            @Override
            public Optional<Snapshot> current() {
                return Optional.ofNullable(published[0]);
            }
        };
        PrimingEks eks = new PrimingEks();
        Reconciler reconciler = new Reconciler(() -> List.of(record), cluster -> List.of(grant), (cluster, acting) -> eks,
                principal -> Optional.of("AROAPRIMING"), expired -> false, store, clock);
        return log.unwritten().write(reconciler.run("priming").summary());
    }

    /** The cluster in memory: what the reconciler reads. It never changes access, so nothing else is answered. */
    private static final class PrimingEks implements EksAccess {

        private final Map<String, AccessEntry> entries = Map.of(
                CREATOR, new AccessEntry(CREATOR, AccessEntry.STANDARD, List.of(), null, Map.of()),
                GRANTEE, new AccessEntry(GRANTEE, AccessEntry.STANDARD, List.of(), null,
                        Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE)));

        @Override
        public ClusterState describeCluster(ClusterRef cluster) {
            return new ClusterState(ClusterState.ACTIVE, ClusterState.API);
        }

        @Override
        public Optional<AccessEntry> describeAccessEntry(ClusterRef cluster, String principalArn) {
            return Optional.ofNullable(entries.get(principalArn));
        }

        @Override
        public List<AssociatedPolicy> listAssociatedAccessPolicies(ClusterRef cluster, String principalArn) {
            return List.of(new AssociatedPolicy(principalArn.equals(GRANTEE) ? VIEW
                    : "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", AccessScope.cluster()));
        }

        @Override
        public List<String> listAccessEntries(ClusterRef cluster, String associatedPolicyArn) {
            return List.of(CREATOR, GRANTEE);
        }

        @Override
        public AccessEntry createAccessEntry(ClusterRef cluster, NewAccessEntry entry) {
            throw readOnly();
        }

        @Override
        public AccessEntry updateAccessEntry(ClusterRef cluster, String principalArn, List<String> kubernetesGroups,
                                             String username) {
            throw readOnly();
        }

        @Override
        public void deleteAccessEntry(ClusterRef cluster, String principalArn) {
            throw readOnly();
        }

        @Override
        public void associateAccessPolicy(ClusterRef cluster, String principalArn, String policyArn,
                                          AccessScope scope) {
            throw readOnly();
        }

        @Override
        public void disassociateAccessPolicy(ClusterRef cluster, String principalArn, String policyArn) {
            throw readOnly();
        }

        @Override
        public void updateAuthenticationMode(ClusterRef cluster, String authenticationMode) {
            throw readOnly();
        }

        private static UnsupportedOperationException readOnly() {
            return new UnsupportedOperationException("the reconciliation only reads access");
        }
    }
}
