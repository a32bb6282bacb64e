package dev.eksaccess.delivery;

import dev.eksaccess.engine.AccessEngine;
import dev.eksaccess.engine.AccessSnapshot;
import dev.eksaccess.engine.ChangeResult;
import dev.eksaccess.engine.RetryLaterException;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Processes one parsed message with the delivery guarantees: a request seen before is ignored as a duplicate, a
 * request older than the last applied one for the same cluster, principal and policy is ignored as stale, and every
 * message leaves one ledger record (applied, rejected, ignored, or failed-transient until a retry succeeds).
 *
 * <p>Each request runs under the lease of its cluster and principal ({@link PrincipalLeases}), from the duplicate
 * check to the state write: concurrent invocations cannot interleave their read of the grant state, their EKS calls
 * and their state writes for one principal, nor run two copies of one request at once. A request whose lease is
 * held elsewhere is retried shortly ({@link MessageResult#contended()}) and leaves no record, since nothing was tried
 * and the holder may be a copy of it that is about to write the record.
 */
public final class RequestProcessor {

    private final AccessEngine engine;
    private final AuditLedger ledger;
    private final GrantStateStore states;
    private final PrincipalLeases leases;
    private final Clock clock;

    public RequestProcessor(AccessEngine engine, AuditLedger ledger, GrantStateStore states, PrincipalLeases leases,
                            Clock clock) {
        this.engine = engine;
        this.ledger = ledger;
        this.states = states;
        this.leases = leases;
        this.clock = clock;
    }

    public MessageResult process(ParsedMessage parsed, MessageMeta meta) {
        Audit audit = new Audit(parsed, meta);
        if (parsed instanceof ParsedMessage.Invalid invalid) {
            return audit.finish(Outcome.REJECTED, invalid.rejectionReason(), null, null);
        }
        String subject = leaseSubject(parsed);
        // Unique per attempt: two copies of one request are two holders.
        String holder = parsed.requestId() + "/" + meta.messageId() + "/" + UUID.randomUUID();
        Instant now = clock.instant();
        if (!leases.tryAcquire(parsed.clusterArn(), subject, holder, now, now.plus(PrincipalLeases.DURATION))) {
            return new MessageResult(parsed.requestId(), Outcome.FAILED_TRANSIENT, "waiting: another invocation is "
                    + "processing a request for the same cluster and principal", true);
        }
        try {
            return processLeased(parsed, audit);
        } finally {
            try {
                leases.release(parsed.clusterArn(), subject, holder);
            } catch (RuntimeException e) {
                // The outcome stands; the lease expires on its own and the next request takes it over then.
            }
        }
    }

    /**
     * What a request is ordered and leased by, within its cluster: its principal, or one name for the cluster's
     * bootstrap (never an ARN, so never a principal's).
     */
    static String leaseSubject(ParsedMessage parsed) {
        return switch (parsed) {
            case ParsedMessage.Access a -> a.principalArn();
            case ParsedMessage.Bootstrap b -> "bootstrap";
            case ParsedMessage.Invalid i -> throw new IllegalArgumentException("an invalid message changes nothing");
        };
    }

    private MessageResult processLeased(ParsedMessage parsed, Audit audit) {
        Optional<AuditRecord> earlier = ledger.find(parsed.clusterArn(), parsed.requestId());
        if (earlier.isPresent() && earlier.get().outcome().isFinal()) {
            String reason = "duplicate of request " + parsed.requestId() + ", already "
                    + earlier.get().outcome().wireName() + " at " + earlier.get().recordedAt();
            ledger.recordDuplicate(audit.build(Outcome.IGNORED, reason, null, null));
            return new MessageResult(parsed.requestId(), Outcome.IGNORED, reason);
        }
        try {
            ChangeResult result = switch (parsed) {
                case ParsedMessage.Access access -> apply(access.request());
                case ParsedMessage.Bootstrap bootstrap -> engine.bootstrap(bootstrap.request());
                case ParsedMessage.Invalid invalid -> throw new IllegalStateException("handled above");
            };
            return switch (result) {
                case ChangeResult.Applied applied -> audit.finish(Outcome.APPLIED, applied.summary(),
                        json(applied.before()), json(applied.after()));
                case ChangeResult.Rejected rejected -> audit.finish(Outcome.REJECTED, rejected.summary(),
                        json(rejected.before()), null, rejected.configurationError());
                case ChangeResult.Ignored ignored -> audit.finish(Outcome.IGNORED, ignored.summary(), null, null);
            };
        } catch (RetryLaterException e) {
            if (parsed instanceof ParsedMessage.Access access && access.request().action() == Action.GRANT
                    && !e.nothingChanged()) {
                rememberPendingGrant(access.request());
            }
            return audit.finish(Outcome.FAILED_TRANSIENT, e.getMessage(), null, null);
        }
    }

    private ChangeResult apply(AccessRequest request) {
        String cluster = request.cluster().arn();
        if (request.revokesAll()) {
            List<GrantState> known = states.findByPrincipal(cluster, request.principalArn());
            List<String> granted = known.stream()
                    .filter(s -> s.granted() && !s.isNewerThan(request.requestedAt()))
                    .map(GrantState::policyArn).toList();
            // Stale only behind a newer revoke of everything: newer changes of single policies leave this one the
            // duty to make older grants of the other policies stale, even of policies nobody granted yet.
            Optional<GrantState> newerRevokeAll = known.stream()
                    .filter(s -> s.policyArn().equals(GrantState.ALL_POLICIES) && s.isNewerThan(request.requestedAt()))
                    .findFirst();
            if (newerRevokeAll.isPresent()) {
                return new ChangeResult.Ignored("stale: request " + newerRevokeAll.get().lastRequestId()
                        + ", a revoke of every policy made at " + newerRevokeAll.get().lastRequestedAt()
                        + ", was applied after this one (made at " + request.requestedAt() + ")");
            }
            return record(request, engine.revoke(request, granted));
        }
        // The newest of the policy's own state and the principal's last revoke without policy decides.
        Optional<GrantState> last = states.findByPrincipal(cluster, request.principalArn()).stream()
                .filter(s -> s.policyArn().equals(request.policyArn()) || s.policyArn().equals(GrantState.ALL_POLICIES))
                .max(Comparator.comparing(GrantState::lastRequestedAt));
        if (last.isPresent() && last.get().isNewerThan(request.requestedAt())) {
            return new ChangeResult.Ignored("stale: request " + last.get().lastRequestId() + " made at "
                    + last.get().lastRequestedAt() + " was applied after this one (made at "
                    + request.requestedAt() + ")");
        }
        ChangeResult result = request.action() == Action.GRANT
                ? engine.grant(request) : engine.revoke(request, List.of());
        return record(request, result);
    }

    /** Remembers the applied request per policy: for ordering, and to (re)schedule or cancel the expiry. */
    private ChangeResult record(AccessRequest request, ChangeResult result) {
        if (result instanceof ChangeResult.Applied applied) {
            String cluster = request.cluster().arn();
            if (request.action() == Action.GRANT) {
                states.save(new GrantState(cluster, request.principalArn(), request.policyArn(), true,
                        request.requestedAt(), request.requestId(), request.expiresAt()));
            } else {
                List<String> revoked = new ArrayList<>(applied.revokedPolicyArns());
                if (request.revokesAll()) {
                    revoked.add(GrantState.ALL_POLICIES);
                }
                for (String policyArn : revoked) {
                    states.save(new GrantState(cluster, request.principalArn(), policyArn, false,
                            request.requestedAt(), request.requestId(), null));
                }
            }
        }
        return result;
    }

    /**
     * A grant that failed transiently after its reads may have associated its policy already (the failure came after,
     * or EKS applied a call whose answer was lost). Its state says granted, as its retry will make it, so that a newer
     * revoke of every policy, arriving before the retry, removes the policy too; the retry itself is not stale (same
     * requestedAt). One that failed while reading (the cluster not ready, throttled, or not there at all) changed
     * nothing and is not remembered: else an older request for a cluster that does not exist would be ignored as
     * stale instead of rejected.
     */
    private void rememberPendingGrant(AccessRequest request) {
        states.save(new GrantState(request.cluster().arn(), request.principalArn(), request.policyArn(), true,
                request.requestedAt(), request.requestId(), request.expiresAt()));
    }

    private static String json(AccessSnapshot snapshot) {
        return snapshot == null ? null : snapshot.toJson();
    }

    /** Builds and writes the ledger record of one message. */
    private final class Audit {
        private final ParsedMessage parsed;
        private final MessageMeta meta;

        Audit(ParsedMessage parsed, MessageMeta meta) {
            this.parsed = parsed;
            this.meta = meta;
        }

        MessageResult finish(Outcome outcome, String outcomeReason, String before, String after) {
            return finish(outcome, outcomeReason, before, after, null);
        }

        /** @param errorType a fault a person must fix (see {@link MessageResult#errorType()}), or null */
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
            return new MessageResult(parsed.requestId(), outcome, reason, false, errorType);
        }

        AuditRecord build(Outcome outcome, String reason, String before, String after) {
            String action = null;
            String policy = null;
            String requestedBy = null;
            String requestReason = null;
            Instant requestedAt = null;
            switch (parsed) {
                case ParsedMessage.Access a -> {
                    action = a.request().action().wireName();
                    policy = a.request().policyName();
                    requestedBy = a.request().requestedBy();
                    requestReason = a.request().reason();
                    requestedAt = a.request().requestedAt();
                }
                case ParsedMessage.Bootstrap b -> {
                    action = Action.BOOTSTRAP.wireName();
                    requestedBy = b.request().requestedBy();
                    requestedAt = b.request().requestedAt();
                }
                case ParsedMessage.Invalid i -> {
                    requestedBy = i.requestedBy();
                    requestReason = i.reason();
                }
            }
            return new AuditRecord(parsed.requestId(), parsed.clusterArn(), parsed.principalArn(), action, policy,
                    meta.senderId(), requestedBy, requestReason, requestedAt, outcome, reason, before, after,
                    clock.instant());
        }
    }
}
