package dev.eksaccess.request;

import dev.eksaccess.json.Json;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A decision on a request that waits for approval: an approver's {@code approve} or {@code deny}, or the expiry
 * sweep's {@code expire} once the request waited too long. Who sent it is the SQS sender, never a field.
 *
 * <p>Wire form (contract v1, access-request-v1.schema.json {@code $defs/decision} and {@code $defs/expire}):
 * <pre>{"action":"approve","pendingRequestId":"payments-admin-42",
 *  "requester":"arn:aws:iam::111122223333:role/platform/sre",   (only when two senders' requests share the id)
 *  "requestId":"...", "requestedBy":"...", "reason":"..."}</pre>
 *
 * @param action           {@link Action#APPROVE}, {@link Action#DENY} or {@link Action#EXPIRE}
 * @param pendingRequestId the request decided
 * @param requester        the ARN of that request's sender, when given
 * @param requestId        this message's own id
 * @param requestedAt      when it was sent (defaulted to the SQS SentTimestamp)
 * @param requestedBy      audit only
 * @param reason           audit only; a deny's reason reaches the requester
 */
public record DecisionRequest(Action action, String pendingRequestId, Optional<String> requester, String requestId,
                              Instant requestedAt, String requestedBy, String reason) {

    public static final String PENDING_REQUEST_ID = "pendingRequestId";
    public static final String REQUESTER = "requester";
    /** Every field a decision message may carry. */
    public static final Set<String> FIELDS = Set.of(AccessRequest.ACTION, PENDING_REQUEST_ID, REQUESTER,
            AccessRequest.REQUEST_ID, AccessRequest.REQUESTED_AT, AccessRequest.REQUESTED_BY, AccessRequest.REASON);

    public DecisionRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(pendingRequestId, "pendingRequestId");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (!action.isDecision()) {
            throw new IllegalArgumentException(action + " is not a decision");
        }
    }

    /** The message body in its wire form. */
    public String toJson() {
        return Json.object(json -> {
            json.writeStringField(AccessRequest.ACTION, action.wireName());
            json.writeStringField(PENDING_REQUEST_ID, pendingRequestId);
            if (requester.isPresent()) {
                json.writeStringField(REQUESTER, requester.get());
            }
            json.writeStringField(AccessRequest.REQUEST_ID, requestId);
            json.writeStringField(AccessRequest.REQUESTED_AT, requestedAt.toString());
            if (requestedBy != null) {
                json.writeStringField(AccessRequest.REQUESTED_BY, requestedBy);
            }
            if (reason != null) {
                json.writeStringField(AccessRequest.REASON, reason);
            }
        });
    }
}
