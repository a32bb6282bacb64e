package dev.eksaccess.delivery;

import java.util.Optional;

/**
 * The audit ledger, queryable by cluster and by principal. Implementations turn an outage into an exception, never
 * into "not found".
 */
public interface AuditLedger {

    /** The record of request {@code requestId} on {@code clusterArn} (null: the message named no valid cluster). */
    Optional<AuditRecord> find(String clusterArn, String requestId);

    /**
     * Writes the record of a request, replacing an earlier {@link Outcome#FAILED_TRANSIENT} one.
     *
     * @return false when a final record of the same request exists already (a concurrent duplicate won)
     */
    boolean record(AuditRecord record);

    /** Writes a record of a redelivered request next to the original one. */
    void recordDuplicate(AuditRecord record);
}
