package dev.eksaccess.bench;

import dev.eksaccess.creation.BootstrapQueue;
import dev.eksaccess.creation.CreationRegistry;
import dev.eksaccess.delivery.AuditLedger;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.BootstrapRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The functions' ports without I/O or state, for the warm benchmark: every request looks like the first one for a new
 * principal on an ACTIVE cluster, so every operation takes the same full path (entry created, policy associated,
 * ledger record built) without the fakes growing. What they are handed is kept in a field, so the JIT cannot drop
 * the work that produced it.
 */
final class InMemoryPorts {

    private InMemoryPorts() {
    }

    /** An ACTIVE cluster in API_AND_CONFIG_MAP mode where no principal has an entry yet. */
    static final class NewPrincipalEks implements EksAccess {

        private static final ClusterState ACTIVE =
                new ClusterState(ClusterState.ACTIVE, ClusterState.API_AND_CONFIG_MAP);

        volatile Object last;

        @Override
        public ClusterState describeCluster(ClusterRef cluster) {
            return ACTIVE;
        }

        @Override
        public Optional<AccessEntry> describeAccessEntry(ClusterRef cluster, String principalArn) {
            return Optional.empty();
        }

        @Override
        public AccessEntry createAccessEntry(ClusterRef cluster, NewAccessEntry entry) {
            AccessEntry created = new AccessEntry(entry.principalArn(), AccessEntry.STANDARD, entry.kubernetesGroups(),
                    entry.username(), entry.tags());
            last = created;
            return created;
        }

        @Override
        public AccessEntry updateAccessEntry(ClusterRef cluster, String principalArn, List<String> kubernetesGroups,
                                             String username) {
            return new AccessEntry(principalArn, AccessEntry.STANDARD, kubernetesGroups, username, null);
        }

        @Override
        public void deleteAccessEntry(ClusterRef cluster, String principalArn) {
            last = principalArn;
        }

        @Override
        public void associateAccessPolicy(ClusterRef cluster, String principalArn, String policyArn,
                                          AccessScope scope) {
            last = new AssociatedPolicy(policyArn, scope);
        }

        @Override
        public void disassociateAccessPolicy(ClusterRef cluster, String principalArn, String policyArn) {
            last = policyArn;
        }

        @Override
        public List<AssociatedPolicy> listAssociatedAccessPolicies(ClusterRef cluster, String principalArn) {
            return List.of();
        }

        @Override
        public List<String> listAccessEntries(ClusterRef cluster, String associatedPolicyArn) {
            return List.of();
        }

        @Override
        public void updateAuthenticationMode(ClusterRef cluster, String authenticationMode) {
            last = authenticationMode;
        }
    }

    /** A ledger that has seen no request before and keeps only the last record. */
    static final class LastRecordLedger implements AuditLedger {

        volatile AuditRecord last;

        @Override
        public Optional<AuditRecord> find(String clusterArn, String senderKey, String requestId) {
            return Optional.empty();
        }

        @Override
        public boolean record(AuditRecord record) {
            last = record;
            return true;
        }

        @Override
        public java.util.List<AuditRecord> findByRequestId(String requestId) {
            AuditRecord seen = last;
            return seen != null && seen.requestId().equals(requestId) ? java.util.List.of(seen) : java.util.List.of();
        }

        @Override
        public void recordDuplicate(AuditRecord record) {
            last = record;
        }
    }

    /** No grant state known; every save succeeds. */
    static final class NoGrantStates implements GrantStateStore {

        volatile GrantState last;

        @Override
        public Optional<GrantState> find(String clusterArn, String principalArn, String policyArn) {
            return Optional.empty();
        }

        @Override
        public List<GrantState> findByPrincipal(String clusterArn, String principalArn) {
            return List.of();
        }

        @Override
        public boolean save(GrantState state) {
            last = state;
            return true;
        }

        @Override
        public List<GrantState> findExpired(Instant now, int limit) {
            return List.of();
        }

        @Override
        public boolean markRevocationQueued(GrantState state) {
            return true;
        }
        @Override
        public boolean markOverdue(GrantState state, String reason, Instant at) {
            return true;
        }

        @Override
        public List<GrantState> findOverdue(int limit) {
            return List.of();
        }
    }

    /** A registry where every cluster is new: the record offered is the record written. */
    static final class NewClusterRegistry implements CreationRegistry {

        volatile ClusterRecord last;

        @Override
        public ClusterRecord putIfAbsent(ClusterRecord record) {
            last = record;
            return record;
        }

        @Override
        public Optional<ClusterRecord> find(String clusterArn) {
            return Optional.empty();
        }

        @Override
        public boolean updateBootstrap(String clusterArn, BootstrapStatus status, String reason) {
            return false;
        }

        @Override
        public boolean replace(String expectedEventId, ClusterRecord replacement) {
            return false;
        }
    }

    /** Keeps the last bootstrap request. */
    static final class LastRequestQueue implements BootstrapQueue {

        volatile BootstrapRequest last;

        @Override
        public void send(BootstrapRequest request) {
            last = request;
        }
    }
}
