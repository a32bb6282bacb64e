package dev.eksaccess.delivery;

import dev.eksaccess.authz.Authorization;
import dev.eksaccess.authz.Authorizer;
import dev.eksaccess.authz.PendingApproval;
import dev.eksaccess.authz.Sender;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.eligibility.Verdict;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.AccessScope;
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
import java.util.function.Supplier;

/**
 * Processes one parsed message with the delivery and authorization guarantees:
 * <ul>
 *   <li>the sender is the message's SQS SenderId, resolved to a configured ARN; an unknown sender is rejected before
 *       anything is read;</li>
 *   <li>a request seen before from the same sender is ignored as a duplicate (request ids are unique per sender),
 *       a request older than the last applied one for the same cluster, principal and policy as stale;</li>
 *   <li>the {@link dev.eksaccess.authz.Authorizer} decides before any change: refused, held for approval
 *       ({@link PendingApprovals}), or applied; approve, deny and expire messages finish held grants
 *       ({@link Decisions});</li>
 *   <li>every message leaves one ledger record (applied, rejected, ignored, pending-approval, or failed-transient
 *       until a retry succeeds) and its outcome events.</li>
 * </ul>
 *
 * <p>Each request runs under the lease of its cluster and principal ({@link PrincipalLeases}), from the duplicate
 * check to the state write: concurrent invocations cannot interleave their read of the grant state, their EKS calls
 * and their state writes for one principal, nor run two copies of one request at once. A request that may remove an
 * admin-class policy also takes the cluster's {@link #ADMIN_REMOVAL_SUBJECT} lease, so the "last cluster admin" check
 * and the removal it allows run one at a time per cluster. A request whose lease is held elsewhere is retried shortly ({@link MessageResult#contended()}) and leaves no record, since nothing was tried
 * and the holder may be a copy of it that is about to write the record.
 */
public final class RequestProcessor {

    private final AccessEngine engine;
    private final AuditLedger ledger;
    private final GrantStateStore states;
    private final PrincipalLeases leases;
    private final Clock clock;
    private final AccessControl control;
    private final Decisions decisions;
    private final Restores restores;

    /** With restores counted within this JVM and the default window ({@link RestoreHistory#inProcess}). */
    public RequestProcessor(AccessEngine engine, AuditLedger ledger, GrantStateStore states, PrincipalLeases leases,
                            Clock clock, AccessControl control) {
        this(engine, ledger, states, leases, clock, control, RestoreHistory.inProcess(), RestoreLimit.DEFAULT);
    }

    /**
     * @param restoreHistory where the restores of each entry are counted, for the no-loop rule
     * @param restoreLimit   how many restores within which window
     */
    public RequestProcessor(AccessEngine engine, AuditLedger ledger, GrantStateStore states, PrincipalLeases leases,
                            Clock clock, AccessControl control, RestoreHistory restoreHistory,
                            RestoreLimit restoreLimit) {
        this.restores = new Restores(engine, states, restoreHistory, restoreLimit, clock);
        this.engine = engine;
        this.ledger = ledger;
        this.states = states;
        this.leases = leases;
        this.clock = clock;
        this.control = control;
        this.decisions = new Decisions(this, control, ledger, clock);
    }

    public MessageResult process(ParsedMessage parsed, MessageMeta meta) {
        // IAM trouble here throws: the message is retried, never decided without knowing who sent it.
        Optional<Sender> sender = control.senders().resolve(meta.senderId());
        RequestAudit audit = audit(parsed, meta, sender, null);
        if (parsed instanceof ParsedMessage.Invalid invalid) {
            return audit.finish(Outcome.REJECTED, invalid.rejectionReason());
        }
        if (sender.isEmpty()) {
            return audit.finish(Outcome.REJECTED, unknownSender(meta.senderId()));
        }
        if (parsed instanceof ParsedMessage.Decision decision) {
            return decisions.process(decision.request(), sender.get(), audit);
        }
        // Decided before the lease: the rules read nothing a lease protects (the request, its sender, the cluster's
        // tags), and a refusal changes nothing, so it needs no lease. A sender flooding the queue with requests no rule
        // allows then costs two DynamoDB calls each (duplicate check, record) instead of four, and holds no lease a
        // valid request for the same principal would wait for.
        Authorization authorization;
        try {
            authorization = control.authorizer().authorize(parsed, sender.get());
        } catch (RetryLaterException e) {
            return audit.finish(Outcome.FAILED_TRANSIENT, e.getMessage(), null, null, null);
        }
        if (authorization instanceof Authorization.Refuse) {
            return processLeased(parsed, sender.get(), audit, authorization);
        }
        Supplier<MessageResult> work = () -> processLeased(parsed, sender.get(), audit, authorization);
        if (parsed instanceof ParsedMessage.Access access) {
            return underLeases(access.request(), parsed.requestId(), meta.messageId(), work);
        }
        if (parsed instanceof ParsedMessage.Restore restore && restore.request().grants().stream()
                .anyMatch(grant -> AccessPolicies.shortNameOf(grant.policyArn())
                        .filter(AccessPolicies.ADMIN_CLASS::contains).isPresent())) {
            // Re-associating an admin-class policy may narrow it to namespaces: the admin-removal lease, as a grant.
            return underLease(parsed.clusterArn(), leaseSubject(parsed), parsed.requestId(), meta.messageId(),
                    () -> underLease(parsed.clusterArn(), ADMIN_REMOVAL_SUBJECT, parsed.requestId(), meta.messageId(),
                            work));
        }
        return underLease(parsed.clusterArn(), leaseSubject(parsed), parsed.requestId(), meta.messageId(), work);
    }

    /**
     * The subject of the cluster-wide lease that every change able to remove an admin-class policy takes, after its
     * principal's lease: the "last cluster admin" check reads the other holders and then changes EKS, so two such
     * changes for two principals must not run at once, or both could see the other still holding it and pass. Never
     * an ARN, so never a principal's lease.
     */
    static final String ADMIN_REMOVAL_SUBJECT = "admin-class-removal";

    /**
     * Whether a request can take an admin-class policy (AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy) away from
     * its principal: a revoke of one, a revoke of everything (which may include one), or a grant of one scoped to
     * namespaces (associating again replaces a cluster scope, which narrows it). Decided from the request alone,
     * before anything is read, so the lease is taken before the check it protects.
     */
    static boolean mayRemoveAdminClass(AccessRequest request) {
        if (request.action() == Action.REVOKE) {
            return request.revokesAll() || AccessPolicies.ADMIN_CLASS.contains(request.policyName());
        }
        return request.action() == Action.GRANT && AccessPolicies.ADMIN_CLASS.contains(request.policyName())
                && request.scope() != null && request.scope().type() == AccessScope.Type.NAMESPACE;
    }

    private static String unknownSender(String senderId) {
        return "unknown sender: SenderId " + (senderId == null ? "(none)" : senderId) + " is not the IAM user or "
                + "role session of any sender, approver or function that the configuration names; nothing was read "
                + "or changed";
    }

    RequestAudit audit(ParsedMessage parsed, MessageMeta meta, Optional<Sender> sender, RequestAudit decidedBy) {
        return new RequestAudit(ledger, control.outcomes(), clock, parsed, meta, sender, decidedBy);
    }

    /**
     * Runs {@code work} under the lease of the request's principal and, when it {@linkplain #mayRemoveAdminClass
     * may remove an admin-class policy}, the cluster's admin-removal lease too.
     */
    MessageResult underLeases(AccessRequest request, String requestId, String messageId,
                              Supplier<MessageResult> work) {
        String cluster = request.cluster().arn();
        return underLease(cluster, request.principalArn(), requestId, messageId, mayRemoveAdminClass(request)
                ? () -> underLease(cluster, ADMIN_REMOVAL_SUBJECT, requestId, messageId, work) : work);
    }

    /**
     * Runs {@code work} under the lease of {@code subject} on {@code clusterArn}; a lease held elsewhere makes the
     * message wait (retried shortly, no record).
     */
    MessageResult underLease(String clusterArn, String subject, String requestId, String messageId,
                             Supplier<MessageResult> work) {
        // Unique per attempt: two copies of one request are two holders.
        String holder = requestId + "/" + messageId + "/" + UUID.randomUUID();
        Instant now = clock.instant();
        if (!leases.tryAcquire(clusterArn, subject, holder, now, now.plus(PrincipalLeases.DURATION))) {
            return new MessageResult(requestId, Outcome.FAILED_TRANSIENT, ADMIN_REMOVAL_SUBJECT.equals(subject)
                    ? "waiting: another invocation is processing a change that may remove an admin-class policy on "
                    + "the same cluster (such changes run one at a time per cluster)"
                    : "waiting: another invocation is processing a request for the same cluster and principal", true);
        }
        try {
            return work.get();
        } finally {
            try {
                leases.release(clusterArn, subject, holder);
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
            case ParsedMessage.Restore r -> r.principalArn();
            case ParsedMessage.Decision d -> throw new IllegalArgumentException("a decision is leased by its request");
            case ParsedMessage.Invalid i -> throw new IllegalArgumentException("an invalid message changes nothing");
        };
    }

    /** Under the request's lease, except for a refusal ({@code authorization} decided before the lease). */
    private MessageResult processLeased(ParsedMessage parsed, Sender sender, RequestAudit audit,
                                        Authorization authorization) {
        Optional<AuditRecord> earlier = ledger.find(parsed.clusterArn(), audit.senderKey(), parsed.requestId());
        if (earlier.isPresent() && earlier.get().outcome().isFinal()) {
            return audit.duplicate("duplicate of request " + parsed.requestId() + ", already "
                    + earlier.get().outcome().wireName() + " at " + earlier.get().recordedAt());
        }
        try {
            return switch (authorization) {
                case Authorization.Refuse refuse -> audit.finish(Outcome.REJECTED, "not allowed: " + refuse.reason());
                case Authorization.Hold hold -> hold((ParsedMessage.Access) parsed, sender, hold.approval(), audit);
                case Authorization.Permit permit -> {
                    audit.rule(permit.ruleId(), permit.breakGlass());
                    ChangeResult result = switch (parsed) {
                        case ParsedMessage.Access access -> applyPermitted(access.request(), permit,
                                control.authorizer().actingFor(sender, parsed.requestId()));
                        case ParsedMessage.Bootstrap bootstrap -> engine.bootstrap(bootstrap.request(),
                                control.authorizer().actingFor(sender, parsed.requestId()), clock.instant());
                        case ParsedMessage.Restore restore -> restores.apply(restore.request(),
                                control.authorizer().actingFor(sender, parsed.requestId()));
                        default -> throw new IllegalStateException("handled above");
                    };
                    if (parsed instanceof ParsedMessage.Access access && Authorizer.EXPIRY_SWEEP.equals(permit.ruleId())
                            && result instanceof ChangeResult.Rejected refused && refused.bySafetyRule()) {
                        result = keepOverdue(access.request(), refused);
                    }
                    yield finish(result, audit);
                }
            };
        } catch (RetryLaterException e) {
            MessageResult result = audit.finish(Outcome.FAILED_TRANSIENT, e.getMessage(), null, null, null);
            return e.waitingForCluster() && parsed instanceof ParsedMessage.Bootstrap && result.retry()
                    ? result.waitForCluster() : result;
        }
    }

    /** The errorType of an expiry revoke that a safety rule refused: the grant outlives its expiry. */
    public static final String EXPIRY_REVOKE_REFUSED = "ExpiryRevokeRefused";

    /**
     * An expiry revoke refused by a safety rule (the last cluster admin, most often): the grant stays, so it is kept
     * on record as overdue (the sweep reports it every run until a person resolves it, by a newer grant or revoke or
     * by giving the cluster another admin and revoking again), and the refusal raises the alarm (an ERROR line with
     * {@link #EXPIRY_REVOKE_REFUSED}) besides its {@code rejected} outcome event. Never dropped silently.
     */
    private ChangeResult keepOverdue(AccessRequest revoke, ChangeResult.Rejected refused) {
        Optional<GrantState> state = states.find(revoke.cluster().arn(), revoke.principalArn(), revoke.policyArn())
                .filter(s -> s.granted() && s.expiresAt() != null && !s.isNewerThan(revoke.requestedAt()));
        boolean kept = state.isPresent() && states.markOverdue(state.get(), refused.summary(), clock.instant());
        String summary = "expiry revoke refused: " + refused.summary() + (kept
                ? "; the grant stays, kept on record as overdue since its expiry at " + state.get().expiresAt()
                + ", until a person resolves it" : "");
        return new ChangeResult.Rejected(summary, refused.before(),
                refused.configurationError() != null ? refused.configurationError() : EXPIRY_REVOKE_REFUSED, true);
    }

    /** The ledger record and events of a change's result. */
    static MessageResult finish(ChangeResult result, RequestAudit audit) {
        return switch (result) {
            case ChangeResult.Applied applied -> audit.finish(Outcome.APPLIED, applied.summary(),
                    json(applied.before()), json(applied.after()), null);
            case ChangeResult.Rejected rejected -> audit.finish(Outcome.REJECTED, rejected.summary(),
                    json(rejected.before()), null, rejected.configurationError());
            case ChangeResult.Ignored ignored -> audit.finish(Outcome.IGNORED, ignored.summary());
        };
    }

    /**
     * Applies a grant or revoke that is allowed, with the ordering and state rules; a grant that failed after its
     * reads is remembered as granted (see {@link #rememberPendingGrant}).
     *
     * @throws RetryLaterException when it cannot be applied now
     */
    ChangeResult applyPermitted(AccessRequest request, Authorization.Permit permit, ActingFor actingFor) {
        try {
            return apply(request, permit, actingFor);
        } catch (RetryLaterException e) {
            if (request.associatesPolicy() && !e.nothingChanged()) {
                rememberPendingGrant(request);
            }
            throw e;
        }
    }

    /** Holds a grant for approval: stored, nothing applied, the approvers told by the outcome event. */
    private MessageResult hold(ParsedMessage.Access access, Sender sender, Verdict.NeedsApproval needs,
                               RequestAudit audit) {
        AccessRequest request = access.request();
        Instant now = clock.instant();
        List<String> approvers = needs.approvers().stream()
                .filter(a -> !a.equals(sender.arn()) && !a.equals(request.principalArn())).toList();
        PendingGrant pending = new PendingGrant(PendingApproval.of(request.requestId(), needs.ruleId(), sender.arn(),
                request.principalArn(), needs.count(), now.plus(needs.timeout())), request, approvers,
                sender.session(), sender.raw(), now, 1);
        if (!control.pending().create(pending)) {
            // Held by an earlier attempt that failed before its ledger record: that one stands.
            pending = control.pending().find(request.requestId()).stream()
                    .filter(p -> p.requesterArn().equals(sender.arn())).findFirst().orElse(pending);
        }
        audit.approval(pending, null);
        return audit.finish(Outcome.PENDING_APPROVAL, "waits for " + pending.approval().missing() + " approval"
                + (pending.approval().missing() == 1 ? "" : "s") + " under rule '" + needs.ruleId() + "' from "
                + String.join(", ", approvers) + " until " + pending.approval().expiresAt() + "; nothing applied yet");
    }

    private ChangeResult apply(AccessRequest request, Authorization.Permit permit, ActingFor actingFor) {
        Optional<List<String>> onlyPolicies = permit.onlyPolicies();
        String cluster = request.cluster().arn();
        if (request.revokesAll()) {
            // A sender revoking someone else's access removes only what its rules would let it grant.
            Optional<List<String>> onlyArns = onlyPolicies.map(names -> names.stream()
                    .map(name -> AccessRequest.policyArn(request.cluster().partition(), name)).toList());
            List<GrantState> known = states.findByPrincipal(cluster, request.principalArn());
            List<String> granted = known.stream()
                    .filter(s -> s.granted() && !s.isNewerThan(request.requestedAt()))
                    .map(GrantState::policyArn)
                    .filter(arn -> onlyArns.map(only -> only.contains(arn)).orElse(true)).toList();
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
            return record(request, engine.revoke(request, granted, actingFor), onlyArns, permit.ruleId());
        }
        if (request.action() == Action.MIGRATE && request.policyName() == null) {
            // Groups, a username or a node entry only: no policy whose grants and revokes order it.
            return engine.migrate(request, actingFor);
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
        ChangeResult result = switch (request.action()) {
            case GRANT, RECOVER -> engine.grant(request, actingFor);
            case MIGRATE -> engine.migrate(request, actingFor);
            default -> engine.revoke(request, List.of(), actingFor);
        };
        return record(request, result, Optional.empty(), permit.ruleId());
    }

    /** Remembers the applied request per policy: for ordering, and to (re)schedule or cancel the expiry. */
    private ChangeResult record(AccessRequest request, ChangeResult result, Optional<List<String>> onlyArns,
                                String ruleId) {
        if (result instanceof ChangeResult.Applied applied) {
            String cluster = request.cluster().arn();
            if (request.associatesPolicy()) {
                boolean entryOwned = applied.after() != null && applied.after().entry() != null
                        && applied.after().entry().createdByThisSystem();
                states.save(new GrantState(cluster, request.principalArn(), request.policyArn(), true,
                        request.requestedAt(), request.requestId(), request.expiresAt(),
                        request.scope() == null ? null : new GrantState.Desired(request.scope(),
                                request.kubernetesGroups(), request.username(), ruleId, entryOwned)));
            } else {
                List<String> revoked = new ArrayList<>(applied.revokedPolicyArns());
                if (request.revokesAll() && onlyArns.isEmpty()) {
                    revoked.add(GrantState.ALL_POLICIES);
                } else if (request.revokesAll()) {
                    // A limited revoke of everything: older grants of just these policies become stale.
                    onlyArns.get().stream().filter(arn -> !revoked.contains(arn)).forEach(revoked::add);
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
}
