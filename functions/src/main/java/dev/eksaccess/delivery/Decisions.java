package dev.eksaccess.delivery;

import dev.eksaccess.authz.Authorization;
import dev.eksaccess.authz.PendingApproval;
import dev.eksaccess.authz.Sender;
import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.engine.ChangeResult;
import dev.eksaccess.engine.RetryLaterException;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.DecisionRequest;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Approve, deny and expire messages: each decides one grant held for approval ({@link PendingGrant}), under the
 * lease of that grant's cluster and principal.
 * <ul>
 *   <li>Only an approver the rule names counts, never the requester nor the principal; each approver once.</li>
 *   <li>One deny ends the request; an expire from the sweep ends it once its time ran out.</li>
 *   <li>With enough approvals the grant is decided again against the deployed eligibility document (a rule taken
 *       away since refuses it) and then applied through the same engine, safety rules and ordering as any grant: a
 *       revoke applied after the grant was sent, before the approval, makes it stale.</li>
 * </ul>
 * The grant's own ledger record, {@code pending-approval} until then, is replaced by how it ended; the decision gets
 * a record of its own.
 */
final class Decisions {

    private final RequestProcessor processor;
    private final AccessControl control;
    private final AuditLedger ledger;
    private final Clock clock;

    Decisions(RequestProcessor processor, AccessControl control, AuditLedger ledger, Clock clock) {
        this.processor = processor;
        this.control = control;
        this.ledger = ledger;
        this.clock = clock;
    }

    MessageResult process(DecisionRequest decision, Sender sender, RequestAudit audit) {
        Optional<String> refused = control.authorizer().refuseDecision(decision, sender);
        if (refused.isPresent()) {
            return audit.finish(Outcome.REJECTED, "not allowed: " + refused.get());
        }
        List<PendingGrant> found = control.pending().find(decision.pendingRequestId()).stream()
                .filter(p -> decision.requester().map(p.requesterArn()::equals).orElse(true)).toList();
        if (found.isEmpty()) {
            Optional<MessageResult> repeated = repeatOfDecided(decision, audit);
            if (repeated.isPresent()) {
                return repeated.get();
            }
            return audit.finish(Outcome.REJECTED, "no request " + decision.pendingRequestId()
                    + decision.requester().map(r -> " from " + r).orElse("") + " waits for approval (it was "
                    + "decided already, expired, or never held)");
        }
        if (found.size() > 1) {
            return audit.finish(Outcome.REJECTED, found.size() + " requests with id " + decision.pendingRequestId()
                    + " wait for approval, from " + String.join(", ", found.stream().map(PendingGrant::requesterArn)
                    .toList()) + ": name the requester");
        }
        PendingGrant pending = found.get(0);
        audit.about(pending);
        // An approved grant of an admin-class policy scoped to namespaces may narrow it: the cluster's admin-removal
        // lease too, as for the grant itself.
        return processor.underLeases(pending.request(), decision.requestId(), decision.requestId(), () -> {
                    try {
                        return processLeased(decision, sender, pending, audit);
                    } catch (RetryLaterException e) {
                        return audit.finish(Outcome.FAILED_TRANSIENT, e.getMessage(), null, null, null);
                    }
                });
    }

    /**
     * A decision delivered again after it ended the grant it decided, whose pending item is gone with it: found through
     * the held grant's own ledger record (written when the grant was held, before anyone could decide it), then by a
     * consistent read of this decision's record on that grant's cluster.
     */
    private Optional<MessageResult> repeatOfDecided(DecisionRequest decision, RequestAudit audit) {
        for (AuditRecord held : ledger.findByRequestId(decision.pendingRequestId())) {
            boolean theGrant = Action.fromWire(held.action()).filter(Action::mayBeHeld).isPresent()
                    && held.clusterArn() != null
                    && decision.requester().map(r -> r.equals(held.senderArn())).orElse(true);
            if (!theGrant) {
                continue;
            }
            Optional<AuditRecord> earlier = ledger.find(held.clusterArn(), audit.senderKey(), decision.requestId());
            Optional<ClusterRef> cluster = ClusterRef.parseArn(held.clusterArn());
            if (earlier.isPresent() && earlier.get().outcome().isFinal() && cluster.isPresent()
                    && decision.action().wireName().equals(earlier.get().action())) {
                audit.about(cluster.get(), held.principalArn(), held.policy());
                return Optional.of(audit.duplicate("duplicate of " + decision.action().wireName() + " "
                        + decision.requestId() + ", already " + earlier.get().outcome().wireName() + " at "
                        + earlier.get().recordedAt()));
            }
        }
        return Optional.empty();
    }

    private MessageResult processLeased(DecisionRequest decision, Sender sender, PendingGrant seen,
                                        RequestAudit audit) {
        Optional<AuditRecord> earlier = ledger.find(audit.clusterArn(), audit.senderKey(), decision.requestId());
        if (earlier.isPresent() && earlier.get().outcome().isFinal()) {
            return audit.duplicate("duplicate of " + decision.action().wireName() + " " + decision.requestId()
                    + ", already " + earlier.get().outcome().wireName() + " at " + earlier.get().recordedAt());
        }
        // Read again under the lease: another decision may have counted or ended it meanwhile.
        Optional<PendingGrant> current = control.pending().find(seen.requestId()).stream()
                .filter(p -> p.requesterArn().equals(seen.requesterArn())).findFirst();
        if (current.isEmpty()) {
            return audit.finish(Outcome.REJECTED, "request " + seen.requestId() + " was decided meanwhile");
        }
        PendingGrant pending = current.get();
        Instant now = clock.instant();
        if (decision.action() == Action.EXPIRE) {
            return expire(pending, now, audit);
        }
        Optional<String> problem = control.authorizer().approvalProblem(sender, pending.approval().ruleId(),
                pending.requesterArn(), pending.request().principalArn());
        PendingApproval.Decision outcome = decision.action() == Action.APPROVE
                ? pending.approval().approve(sender.arn(), problem, now)
                : pending.approval().deny(sender.arn(), problem, now);
        return switch (outcome) {
            case PendingApproval.Decision.Refused refused -> {
                audit.approval(pending, null);
                yield audit.finish(Outcome.REJECTED, "not counted: " + refused.reason());
            }
            case PendingApproval.Decision.StillPending still -> {
                PendingGrant next = pending.with(still.pending());
                if (!control.pending().update(next)) {
                    throw new RetryLaterException("request " + pending.requestId() + " changed while this approval "
                            + "was counted");
                }
                audit.approval(next, null);
                RequestAudit held = heldAudit(next, audit);
                held.approval(next, null);
                String counted = "approval by " + sender.arn() + " counted; " + still.pending().missing()
                        + " more needed";
                audit.followedBy(List.of(held.event(OutcomeEvents.State.PENDING_APPROVAL, counted)));
                yield audit.finish(Outcome.APPLIED, counted + " for request " + pending.requestId());
            }
            case PendingApproval.Decision.Denied denied -> {
                PendingGrant ended = pending;
                audit.approval(ended, sender.arn());
                RequestAudit held = heldAudit(ended, audit);
                held.approval(ended, sender.arn());
                String why = "denied by " + sender.arn() + (decision.reason() == null ? "" : ": " + decision.reason());
                audit.followedBy(List.of(held.event(OutcomeEvents.State.DENIED, why)));
                MessageResult grant = held.finish(Outcome.REJECTED, why);
                control.pending().delete(ended);
                yield audit.finish(Outcome.APPLIED, "denied request " + pending.requestId() + " ("
                        + grant.outcome().wireName() + ")");
            }
            case PendingApproval.Decision.Approved approved -> apply(pending.with(approved.pending()), sender, audit);
        };
    }

    /** Enough approvals: decide the grant again against today's rules, then apply it like any grant. */
    private MessageResult apply(PendingGrant approved, Sender approver, RequestAudit audit) {
        audit.approval(approved, null);
        RequestAudit held = heldAudit(approved, audit);
        held.approval(approved, null);
        Sender requester = requester(approved);
        String approvedBy = "approved by " + String.join(", ", approved.approval().approvedBy());
        audit.followedBy(List.of(held.event(OutcomeEvents.State.APPROVED, approvedBy)));
        Authorization now = control.authorizer().authorize(new ParsedMessage.Access(approved.request()), requester);
        MessageResult grant;
        if (now instanceof Authorization.Refuse refuse) {
            grant = held.finish(Outcome.REJECTED, approvedBy + ", but no longer allowed: " + refuse.reason());
        } else {
            boolean breakGlass = now instanceof Authorization.Permit p && p.breakGlass();
            held.rule(approved.approval().ruleId(), breakGlass);
            Authorization.Permit permit = now instanceof Authorization.Permit p ? p
                    : new Authorization.Permit(approved.approval().ruleId(), false, Optional.empty());
            // A transient failure leaves the grant pending and this approval uncounted: its retry approves again.
            // Acted on for the requester, whose request it is: the ledger names the approvers of that request.
            ChangeResult result = processor.applyPermitted(approved.request(), permit,
                    control.authorizer().actingFor(requester, approved.request().requestId()));
            grant = RequestProcessor.finish(result, held);
        }
        control.pending().delete(approved);
        return audit.finish(Outcome.APPLIED, "approval by " + approver.arn() + " completed request "
                + approved.requestId() + ", which ended " + grant.outcome().wireName() + ": " + grant.reason());
    }

    private MessageResult expire(PendingGrant pending, Instant now, RequestAudit audit) {
        if (!pending.approval().isExpired(now)) {
            return audit.finish(Outcome.IGNORED, "request " + pending.requestId() + " may be approved until "
                    + pending.approval().expiresAt());
        }
        audit.approval(pending, null);
        RequestAudit held = heldAudit(pending, audit);
        held.approval(pending, null);
        String why = "expired: " + pending.approval().missing() + " approval(s) still missing at "
                + pending.approval().expiresAt();
        audit.followedBy(List.of(held.event(OutcomeEvents.State.EXPIRED, why)));
        held.finish(Outcome.REJECTED, why);
        control.pending().delete(pending);
        return audit.finish(Outcome.APPLIED, "request " + pending.requestId() + " " + why);
    }

    /** The audit of the held grant itself, which a decision finishes: its record replaces the pending one. */
    private RequestAudit heldAudit(PendingGrant pending, RequestAudit decision) {
        MessageMeta meta = new MessageMeta(pending.requestId(), pending.request().requestedAt(), pending.senderId(),
                1);
        return processor.audit(new ParsedMessage.Access(pending.request()), meta, Optional.of(requester(pending)),
                decision);
    }

    private static Sender requester(PendingGrant pending) {
        return new Sender(pending.requesterArn(), pending.requesterSession(), pending.senderId());
    }
}
