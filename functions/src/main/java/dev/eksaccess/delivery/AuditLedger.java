package dev.eksaccess.delivery;

import java.util.List;
import java.util.Optional;

/**
 * The audit ledger, append-only, queryable by cluster and by principal. Implementations turn an outage into an
 * exception, never into "not found".
 */
public interface AuditLedger {

    /**
     * The current record of request {@code requestId} of the sender {@code senderKey} ({@link AuditRecord#senderKey()}) on
     * {@code clusterArn} (null: the message named no valid cluster).
     */
    Optional<AuditRecord> find(String clusterArn, String senderKey, String requestId);

    /**
     * Adds the record of a request. Records are written once and never changed: a later record of the same request
     * ({@link Outcome#isReplaceable()}: after a {@link Outcome#FAILED_TRANSIENT} attempt, or the decision of one held
     * as {@link Outcome#PENDING_APPROVAL}) is added next to the earlier one, which {@link #find} then no longer
     * returns.
     *
     * @return false when the request has a record already that no later one may supersede (a concurrent duplicate
     *         won)
     */
    boolean record(AuditRecord record);

    /**
     * Every record of requests with id {@code requestId}, on any cluster and from any sender (duplicates' records
     * included). Read from an index, so a record written within the last moment may be missing.
     */
    List<AuditRecord> findByRequestId(String requestId);

    /** Writes a record of a redelivered request next to the original one. */
    void recordDuplicate(AuditRecord record);
}
