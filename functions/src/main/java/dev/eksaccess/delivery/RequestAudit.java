package dev.eksaccess.delivery;

import dev.eksaccess.authz.Sender;
import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger record and the outcome events of one request: built as the request is processed, written once it ends.
 * A request's record is keyed by its cluster, sender and id; its events are {@code received} (for a message read
 * off the queue) and the state it ended in, followed by the events of the request it decided, if any.
 */
final class RequestAudit {

    private final AuditLedger ledger;
    private final OutcomePublisher outcomes;
    private final Clock clock;
    private final ParsedMessage parsed;
    private final MessageMeta meta;
    private final Optional<Sender> sender;
    private final RequestAudit decidedBy;
    private final List<OutcomeEvent> followUps = new ArrayList<>();
    private ClusterRef decidedCluster;
    private String decidedPrincipal;
    private String decidedPolicy;
    private String ruleId;
    private boolean breakGlass;
    private Optional<OutcomeEvent.Approval> approval = Optional.empty();
    private String deniedBy;

    /**
     * @param decidedBy null for a message read off the queue now (its events start with {@code received}); for a
     *                  held grant that a decision finishes, the decision's audit, which publishes this one's events
     *                  after its own
     */
    RequestAudit(AuditLedger ledger, OutcomePublisher outcomes, Clock clock, ParsedMessage parsed, MessageMeta meta,
                 Optional<Sender> sender, RequestAudit decidedBy) {
        this.ledger = ledger;
        this.outcomes = outcomes;
        this.clock = clock;
        this.parsed = parsed;
        this.meta = meta;
        this.sender = sender;
        this.decidedBy = decidedBy;
    }

    String senderKey() {
        return AuditRecord.senderKeyOf(sender.map(Sender::arn).orElse(null));
    }

    /** A decision's record and events name the cluster, principal and policy of the grant it decides. */
    void about(PendingGrant decided) {
        about(decided.request().cluster(), decided.request().principalArn(), decided.request().policyName());
    }

    void about(ClusterRef cluster, String principalArn, String policyName) {
        this.decidedCluster = cluster;
        this.decidedPrincipal = principalArn;
        this.decidedPolicy = policyName;
    }

    void rule(String id, boolean isBreakGlass) {
        this.ruleId = id;
        this.breakGlass = isBreakGlass;
    }

    void approval(PendingGrant pending, String denier) {
        this.approval = Optional.of(new OutcomeEvent.Approval(pending.approvers(), pending.approval()));
        this.ruleId = pending.approval().ruleId();
        this.deniedBy = denier;
    }

    /** Events published after this request's own: those of the request it decided. */
    void followedBy(List<OutcomeEvent> events) {
        followUps.addAll(events);
    }

    String clusterArn() {
        return decidedCluster != null ? decidedCluster.arn() : parsed.clusterArn();
    }

    MessageResult finish(Outcome outcome, String outcomeReason) {
        return finish(outcome, outcomeReason, null, null, null);
    }

    /** @param errorType a fault a person must look at (see {@link MessageResult#errorType()}), or null */
    MessageResult finish(Outcome outcome, String outcomeReason, String before, String after, String errorType) {
        String reason = parsed instanceof ParsedMessage.Access access && access.requestedAtNote().isPresent()
                ? outcomeReason + " (" + access.requestedAtNote().get() + ")" : outcomeReason;
        AuditRecord record = build(outcome, reason, before, after);
        if (!ledger.record(record)) {
            // Another copy of the request finished first (possible only once a lease outlived its holder's
            // timeout): its record stands, and this copy is done as a duplicate, even if it failed, so it
            // is neither retried nor counted twice.
            String duplicate = "duplicate delivery finished concurrently; this one ended " + outcome.wireName()
                    + ": " + reason;
            ledger.recordDuplicate(build(Outcome.IGNORED, duplicate, before, after));
            return new MessageResult(parsed.requestId(), Outcome.IGNORED, duplicate);
        }
        if (outcome == Outcome.FAILED_TRANSIENT) {
            return new MessageResult(parsed.requestId(), outcome, reason, false, errorType);
        }
        List<OutcomeEvent> events = new ArrayList<>();
        if (decidedBy == null) {
            events.add(event(OutcomeEvents.State.RECEIVED, "received from " + senderText()));
        }
        events.add(event(stateOf(outcome), reason));
        events.addAll(followUps);
        if (decidedBy != null) {
            decidedBy.followUps.addAll(events);
            return new MessageResult(parsed.requestId(), outcome, reason, false, errorType);
        }
        Optional<String> unpublished = publish(events);
        if (unpublished.isPresent()) {
            return new MessageResult(parsed.requestId(), outcome, reason + " (" + unpublished.get() + ")", false,
                    "OutcomeEventsNotPublished");
        }
        String breakGlassUse = breakGlass && outcome == Outcome.APPLIED ? "BreakGlassUsed" : null;
        return new MessageResult(parsed.requestId(), outcome, reason, false,
                errorType != null ? errorType : breakGlassUse);
    }

    /** Writes the record of a redelivered request next to the original; no events: nothing changed state. */
    MessageResult duplicate(String reason) {
        ledger.recordDuplicate(build(Outcome.IGNORED, reason, null, null));
        return new MessageResult(parsed.requestId(), Outcome.IGNORED, reason);
    }

    /** Publishes, at most ten per call; the reason they were not published, if they were not. */
    private Optional<String> publish(List<OutcomeEvent> events) {
        try {
            for (int from = 0; from < events.size(); from += 10) {
                outcomes.publish(events.subList(from, Math.min(events.size(), from + 10)));
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("outcome events not published: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    private OutcomeEvents.State stateOf(Outcome outcome) {
        return switch (outcome) {
            case APPLIED -> parsed instanceof ParsedMessage.Access a && a.request().action() == Action.REVOKE
                    ? OutcomeEvents.State.REVOKED : OutcomeEvents.State.APPLIED;
            case REJECTED -> OutcomeEvents.State.REJECTED;
            case IGNORED -> OutcomeEvents.State.IGNORED;
            case PENDING_APPROVAL -> OutcomeEvents.State.PENDING_APPROVAL;
            case FAILED_TRANSIENT -> throw new IllegalArgumentException("a transient failure changes no state");
        };
    }

    private String senderText() {
        return sender.map(s -> s.arn() + s.session().map(session -> " (session " + session + ")").orElse(""))
                .orElse("unknown sender " + meta.senderId());
    }

    /** This request's event in {@code state}. */
    OutcomeEvent event(OutcomeEvents.State state, String reason) {
        ClusterRef cluster = decidedCluster;
        String policy = decidedPolicy;
        AccessScope scope = null;
        Instant expiresAt = null;
        String pendingRequestId = null;
        switch (parsed) {
            case ParsedMessage.Access a -> {
                AccessRequest request = a.request();
                cluster = request.cluster();
                policy = request.policyName();
                scope = request.scope();
                expiresAt = request.expiresAt();
            }
            case ParsedMessage.Bootstrap b -> cluster = ClusterRef.parseArn(b.clusterArn()).orElse(null);
            case ParsedMessage.Restore r -> cluster = r.request().cluster();
            case ParsedMessage.Decision d -> pendingRequestId = d.request().pendingRequestId();
            case ParsedMessage.Invalid i -> { }
        }
        String action = parsed.action() != null ? parsed.action() : "unknown";
        String principal = decidedPrincipal != null ? decidedPrincipal : parsed.principalArn();
        return new OutcomeEvent(parsed.requestId(), state, reason, clock.instant(), action,
                OutcomeEvent.SenderRef.of(sender, meta.senderId()), parsed.requestedBy(), cluster, principal, policy,
                scope, expiresAt, ruleId, breakGlass, approval, deniedBy, pendingRequestId);
    }

    AuditRecord build(Outcome outcome, String reason, String before, String after) {
        String policy = decidedPolicy;
        Instant requestedAt = null;
        switch (parsed) {
            case ParsedMessage.Access a -> {
                policy = a.request().policyName();
                requestedAt = a.request().requestedAt();
            }
            case ParsedMessage.Bootstrap b -> requestedAt = b.request().requestedAt();
            case ParsedMessage.Restore r -> requestedAt = r.request().requestedAt();
            case ParsedMessage.Decision d -> requestedAt = d.request().requestedAt();
            case ParsedMessage.Invalid i -> { }
        }
        String principal = decidedPrincipal != null ? decidedPrincipal : parsed.principalArn();
        return new AuditRecord(parsed.requestId(), clusterArn(), principal, parsed.action(), policy, meta.senderId(),
                parsed.requestedBy(), parsed.reason(), requestedAt, outcome, reason, before, after, clock.instant(),
                sender.map(Sender::arn).orElse(null), sender.flatMap(Sender::session).orElse(null), ruleId);
    }
}
