package dev.eksaccess.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * One ledger record: what was asked, by whom, what changed, and how it ended. One record per request id and
 * cluster; it doubles as the duplicate marker once its outcome is final.
 *
 * @param requestId     the request id (or the queue's message id)
 * @param clusterArn    the cluster, or null when the message did not name a valid one
 * @param principalArn  the principal, or null
 * @param action        grant, revoke, bootstrap, or null when unreadable
 * @param policy        the policy short name, or null
 * @param senderId      who sent the message (SQS SenderId), or null
 * @param requestedBy   as given in the message, or null
 * @param reason        as given in the message, or null
 * @param requestedAt   as given or defaulted, or null when unreadable
 * @param outcome       how it ended
 * @param outcomeReason why (rejections, ignores, failures) or what was done
 * @param before        access before, JSON, or null when not read
 * @param after         access after, JSON, or null when nothing changed
 * @param recordedAt    when this record was written
 */
public record AuditRecord(String requestId, String clusterArn, String principalArn, String action, String policy,
                          String senderId, String requestedBy, String reason, Instant requestedAt, Outcome outcome,
                          String outcomeReason, String before, String after, Instant recordedAt) {

    public AuditRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }
}
