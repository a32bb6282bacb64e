package dev.eksaccess.delivery;

import java.time.Instant;
import java.util.List;

/**
 * Grants that wait for approval, keyed by request id and requester. Implementations turn an outage into an
 * exception, never into "not found".
 */
public interface PendingApprovals {

    /**
     * Holds no grant: nothing is found and nothing is stored (every write answers false). For wiring in which no grant
     * can wait for approval: the expiry sweep's priming and the benchmarks, whose rules allow every grant at once.
     */
    PendingApprovals NONE = new PendingApprovals() {
        @Override
        public List<PendingGrant> find(String requestId) {
            return List.of();
        }

        @Override
        public boolean create(PendingGrant pending) {
            return false;
        }

        @Override
        public boolean update(PendingGrant pending) {
            return false;
        }

        @Override
        public boolean delete(PendingGrant pending) {
            return false;
        }

        @Override
        public List<PendingGrant> findExpired(Instant now, int limit) {
            return List.of();
        }
    };

    /** Every pending grant with this request id, whoever sent it (ids are unique per sender only). */
    List<PendingGrant> find(String requestId);

    /** Stores a new pending grant; false when one with the same request id and requester exists already. */
    boolean create(PendingGrant pending);

    /** Replaces {@code pending}'s stored version {@code pending.version() - 1}; false when it changed meanwhile. */
    boolean update(PendingGrant pending);

    /** Removes a decided grant; false when it was no longer there (another copy of the decision won). */
    boolean delete(PendingGrant pending);

    /** Pending grants whose approval time ran out before {@code now}, at most {@code limit}. */
    List<PendingGrant> findExpired(Instant now, int limit);
}
