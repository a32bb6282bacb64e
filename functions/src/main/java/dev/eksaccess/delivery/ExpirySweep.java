package dev.eksaccess.delivery;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.log.Level;
import dev.eksaccess.log.LogEvent;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.DecisionRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Finds time-bound grants past their expiry and queues a revoke request for each, so that expiry revocations take
 * the same path (and safety rules) as every other change. Run every minute, it revokes within a minute of expiry
 * without depending on DynamoDB TTL, which can lag by days. Likewise it queues an {@code expire} message for each
 * grant that waited for approval past its rule's timeout. The grant processor accepts both only from this
 * function's role.
 */
public final class ExpirySweep {

    /** Grants handled per run; the rest are picked up by the next run a minute later. */
    public static final int BATCH_LIMIT = 500;
    public static final String REQUESTED_BY = "expiry-sweep";

    private final GrantStateStore states;
    private final PendingApprovals pending;
    private final GrantQueue queue;
    private final Clock clock;

    public ExpirySweep(GrantStateStore states, PendingApprovals pending, GrantQueue queue, Clock clock) {
        this.states = states;
        this.pending = pending;
        this.queue = queue;
        this.clock = clock;
    }

    /** Queues the revocations that are due; returns how many were queued. */
    public int sweep() {
        int queued = 0;
        for (GrantState expired : states.findExpired(clock.instant(), BATCH_LIMIT)) {
            Optional<AccessRequest> revoke = revocationOf(expired);
            if (revoke.isEmpty()) {
                continue;
            }
            // Send first, then take the grant off the schedule: a crash in between sends the revoke again
            // with the same request id, which the processor ignores as a duplicate.
            queue.send(revoke.get().toJson());
            states.markRevocationQueued(expired);
            queued++;
        }
        Instant now = clock.instant();
        for (PendingGrant waiting : pending.findExpired(now, BATCH_LIMIT)) {
            // Sent every run until the processor removes it; its id makes the repeats duplicates.
            queue.send(expiryOf(waiting, now).toJson());
            queued++;
        }
        return queued;
    }

    /**
     * Grants kept overdue: their expiry revoke was refused by a safety rule, so they outlive their expiry until a
     * person resolves them. Read every run, so the alarm ({@link #overdueAlarm}) keeps sounding until then.
     */
    public List<GrantState> overdue() {
        return states.findOverdue(BATCH_LIMIT);
    }

    /** The ERROR line that lists overdue grants, which raises the sweep's logged-errors alarm; empty when none. */
    public static Optional<LogEvent> overdueAlarm(List<GrantState> overdue) {
        if (overdue.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(LogEvent.of(Level.ERROR, "overdue", overdue.size() + " time-bound grant(s) outlived their "
                + "expiry: a safety rule refused the revoke (see each grant's ledger record); give the cluster another "
                + "admin and revoke again, or grant anew", json -> {
                    json.writeStringField("errorType", OVERDUE);
                    json.writeNumberField("overdueGrants", overdue.size());
                    json.writeArrayFieldStart("grants");
                    for (GrantState grant : overdue.subList(0, Math.min(overdue.size(), 20))) {
                        json.writeStartObject();
                        json.writeStringField("clusterArn", grant.clusterArn());
                        json.writeStringField("principalArn", grant.principalArn());
                        json.writeStringField("policyArn", grant.policyArn());
                        json.writeStringField("expiresAt", String.valueOf(grant.expiresAt()));
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                }));
    }

    /** The errorType of the sweep's line about overdue grants. */
    public static final String OVERDUE = "OverdueGrants";

    /** The expire message of a grant that waited too long; its request id is the same however often it is built. */
    static DecisionRequest expiryOf(PendingGrant waiting, Instant now) {
        String requestId = "expiry:" + Hashes.sha256Hex("pending\n" + waiting.requestId() + "\n"
                + waiting.requesterArn() + "\n" + waiting.approval().expiresAt(), 20);
        return new DecisionRequest(Action.EXPIRE, waiting.requestId(), Optional.of(waiting.requesterArn()),
                requestId, now, REQUESTED_BY, "no approval within the rule's timeout ("
                + waiting.approval().expiresAt() + ")");
    }

    /** The revoke request for an expired grant; its request id is the same however often it is built. */
    static Optional<AccessRequest> revocationOf(GrantState grant) {
        Optional<ClusterRef> cluster = ClusterRef.parseArn(grant.clusterArn());
        Optional<String> policy = AccessPolicies.shortNameOf(grant.policyArn());
        if (cluster.isEmpty() || policy.isEmpty() || grant.expiresAt() == null) {
            return Optional.empty();
        }
        String requestId = "expiry:" + Hashes.sha256Hex(grant.clusterArn() + "\n" + grant.principalArn() + "\n"
                + grant.policyArn() + "\n" + grant.expiresAt(), 20);
        // requestedAt is the expiry itself: a grant applied after the expiry is newer and wins over this revoke.
        return Optional.of(new AccessRequest(Action.REVOKE, cluster.get(), grant.principalArn(), policy.get(), null,
                null, null, null, requestId, grant.expiresAt(), REQUESTED_BY,
                "time-bound grant " + grant.lastRequestId() + " expired at " + grant.expiresAt()));
    }

    /** The log line of a run that queued {@code revocationsQueued} revocations. */
    public static LogEvent summary(int revocationsQueued) {
        return LogEvent.of(Level.INFO, "swept", revocationsQueued == 0
                ? "no time-bound grant and no wait for approval was due"
                : revocationsQueued + " expired grant(s) or approval wait(s): a revoke or expire message queued for "
                + "each",
                json -> json.writeNumberField("revocationsQueued", revocationsQueued));
    }
}
