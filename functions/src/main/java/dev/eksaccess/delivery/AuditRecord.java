package dev.eksaccess.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * One ledger record: what was asked, by whom, what changed, and how it ended. One record per cluster, sender and
 * request id ({@link #senderKey()}: request ids are unique per sender, so no sender can take another's); it doubles
 * as the duplicate marker once its outcome is final.
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
 * @param senderArn     the IAM role or user ARN the sender id resolved to, or null when the sender is unknown
 * @param senderSession the sender's role session name, or null
 * @param ruleId        the eligibility rule (or internal sender) that allowed or holds the request, or null
 */
public record AuditRecord(String requestId, String clusterArn, String principalArn, String action, String policy,
                          String senderId, String requestedBy, String reason, Instant requestedAt, Outcome outcome,
                          String outcomeReason, String before, String after, Instant recordedAt,
                          String senderArn, String senderSession, String ruleId) {

    /** The key part of records from senders whose id resolved to no configured ARN. */
    public static final String UNKNOWN_SENDER = "unknown-sender";

    public AuditRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    /** A record without sender resolution or rule. */
    public AuditRecord(String requestId, String clusterArn, String principalArn, String action, String policy,
                       String senderId, String requestedBy, String reason, Instant requestedAt, Outcome outcome,
                       String outcomeReason, String before, String after, Instant recordedAt) {
        this(requestId, clusterArn, principalArn, action, policy, senderId, requestedBy, reason, requestedAt, outcome,
                outcomeReason, before, after, recordedAt, null, null, null);
    }

    /** Whose request id this is: the sender's ARN, or {@link #UNKNOWN_SENDER}. */
    public String senderKey() {
        return senderKeyOf(senderArn);
    }

    /** The key part for requests of the sender {@code senderArn} (null: unknown). */
    public static String senderKeyOf(String senderArn) {
        return senderArn == null ? UNKNOWN_SENDER : senderArn;
    }
}
