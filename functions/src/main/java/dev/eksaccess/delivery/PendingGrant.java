package dev.eksaccess.delivery;

import dev.eksaccess.authz.PendingApproval;
import dev.eksaccess.request.AccessRequest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A grant held for approval, as stored: the request as it was validated, who sent it, and its approvals so far.
 *
 * @param approval         who must approve, who did, until when
 * @param request          the grant, applied as it is once approved
 * @param approvers        who may approve (from the rule, when the grant was held)
 * @param requesterSession the requester's role session, for the audit
 * @param senderId         the raw SQS SenderId of the grant
 * @param createdAt        when it was held
 * @param version          the stored version, for conditional updates
 */
public record PendingGrant(PendingApproval approval, AccessRequest request, List<String> approvers,
                           Optional<String> requesterSession, String senderId, Instant createdAt, long version) {

    public PendingGrant {
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(request, "request");
        approvers = List.copyOf(approvers);
        Objects.requireNonNull(requesterSession, "requesterSession");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public String requestId() {
        return approval.requestId();
    }

    public String requesterArn() {
        return approval.requesterArn();
    }

    /** The same pending grant with its approvals replaced, one version on. */
    public PendingGrant with(PendingApproval next) {
        return new PendingGrant(next, request, approvers, requesterSession, senderId, createdAt, version + 1);
    }
}
