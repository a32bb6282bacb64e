package dev.eksaccess.delivery;

import java.util.List;
import java.util.Optional;

/**
 * The audit ledger, queryable by cluster and by principal. Implementations turn an outage into an exception, never
 * into "not found".
 */
public interface AuditLedger {

    /**
     * The record of request {@code requestId} of the sender {@code senderKey} ({@link AuditRecord#senderKey()}) on
     * {@code clusterArn} (null: the message named no valid cluster).
     */
    Optional<AuditRecord> find(String clusterArn, String senderKey, String requestId);

    /**
     * Writes the record of a request, replacing an earlier one that is not final ({@link Outcome#FAILED_TRANSIENT},
     * or {@link Outcome#PENDING_APPROVAL} once the request is decided).
     *
     * @return false when a record of the same request exists already that may not be replaced (a concurrent duplicate
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
