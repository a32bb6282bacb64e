package dev.eksaccess.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Per-grant state (ordering and expiry schedule). Implementations turn an outage into an exception, never into
 * "not found".
 */
public interface GrantStateStore {

    Optional<GrantState> find(String clusterArn, String principalArn, String policyArn);

    /** Every policy state of a principal on a cluster (for a revoke of everything this system granted). */
    List<GrantState> findByPrincipal(String clusterArn, String principalArn);

    /**
     * Stores {@code state} unless a newer request was applied meanwhile.
     *
     * @return whether it was stored
     */
    boolean save(GrantState state);

    /** Grants whose expiry is at or before {@code now} and whose revocation was not requested yet, oldest first. */
    List<GrantState> findExpired(Instant now, int limit);

    /**
     * Takes a grant off the expiry schedule once its revoke message is queued, unless the schedule changed meanwhile.
     *
     * @return whether it was taken off (false: a newer request rescheduled or revoked it)
     */
    boolean markRevocationQueued(GrantState state);

    /**
     * Keeps a time-bound grant whose expiry revoke a safety rule refused on record as overdue: still granted, off the
     * expiry schedule (its revoke would be a duplicate), and found by {@link #findOverdue} until a newer request for
     * it is applied ({@link #save} clears the mark), unless a newer request was applied meanwhile.
     *
     * @param reason why the revoke was refused
     * @return whether it was marked (false: a newer request changed the grant meanwhile)
     */
    boolean markOverdue(GrantState state, String reason, Instant at);

    /** Grants kept overdue by {@link #markOverdue}, oldest expiry first. */
    List<GrantState> findOverdue(int limit);
}
