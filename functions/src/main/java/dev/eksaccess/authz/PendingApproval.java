package dev.eksaccess.authz;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A grant that waits for approval: stored instead of applied, and applied through the same engine, safety rules and
 * ordering as any grant once enough approvers agree. What each approver may do is {@link #approve} and {@link #deny};
 * the eligibility rules decide who counts as an approver.
 *
 * @param requestId    the grant's request id (the id approvers name)
 * @param ruleId       the eligibility rule that asks for approval
 * @param requesterArn who sent the grant
 * @param principalArn whose access it changes
 * @param required     how many different approvers must approve
 * @param approvedBy   approvers so far, in order
 * @param expiresAt    when the request is rejected as expired if not approved by then
 */
public record PendingApproval(String requestId, String ruleId, String requesterArn, String principalArn, int required,
                              List<String> approvedBy, Instant expiresAt) {

    public PendingApproval {
        approvedBy = List.copyOf(new LinkedHashSet<>(approvedBy));
    }

    /** A new pending request, approved by nobody yet. */
    public static PendingApproval of(String requestId, String ruleId, String requesterArn, String principalArn,
                                     int required, Instant expiresAt) {
        return new PendingApproval(requestId, ruleId, requesterArn, principalArn, required, List.of(), expiresAt);
    }

    /** How many approvals are still missing. */
    public int missing() {
        return Math.max(0, required - approvedBy.size());
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * Records an approval.
     *
     * @param problem why the approver may not approve (from the eligibility rules), or empty when it may
     */
    public Decision approve(String approverArn, Optional<String> problem, Instant now) {
        if (isExpired(now)) {
            return new Decision.Refused("request " + requestId + " expired at " + expiresAt + " before it was approved");
        }
        if (problem.isPresent()) {
            return new Decision.Refused(problem.get());
        }
        if (approvedBy.contains(approverArn)) {
            return new Decision.Refused(approverArn + " approved request " + requestId + " already; " + missing()
                    + " more approval" + (missing() == 1 ? "" : "s") + " needed from others");
        }
        Set<String> approvers = new LinkedHashSet<>(approvedBy);
        approvers.add(approverArn);
        PendingApproval next = new PendingApproval(requestId, ruleId, requesterArn, principalArn, required,
                List.copyOf(approvers), expiresAt);
        return next.missing() == 0 ? new Decision.Approved(next) : new Decision.StillPending(next);
    }

    /** Records a denial: one eligible approver's no ends the request. */
    public Decision deny(String approverArn, Optional<String> problem, Instant now) {
        if (isExpired(now)) {
            return new Decision.Refused("request " + requestId + " expired at " + expiresAt + " before it was decided");
        }
        return problem.<Decision>map(Decision.Refused::new)
                .orElseGet(() -> new Decision.Denied(this, approverArn));
    }

    /** What an approve or deny message did. */
    public sealed interface Decision {

        /** The message changes nothing; the reason says why (for the approver's reply and the ledger). */
        record Refused(String reason) implements Decision {
        }

        /** Counted; more approvals are needed. */
        record StillPending(PendingApproval pending) implements Decision {
        }

        /** Enough approvals: the grant is applied now. */
        record Approved(PendingApproval pending) implements Decision {
        }

        /** Denied by {@code by}: the grant is rejected. */
        record Denied(PendingApproval pending, String by) implements Decision {
        }
    }
}
