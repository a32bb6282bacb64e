package dev.eksaccess.authz;

import dev.eksaccess.contract.RequestIds;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.eligibility.AccessQuestion;
import dev.eksaccess.contract.eligibility.Eligibility;
import dev.eksaccess.contract.eligibility.Verdict;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.DecisionRequest;
import dev.eksaccess.request.ParsedMessage;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a known sender may have a message acted on, before any change: the system's own messages only
 * from the system's own roles, reserved request ids only from them, and every team request by the eligibility
 * document (default deny: without a document every team request is refused). The sender is always the SQS sender,
 * resolved by {@link Senders}; no message field can name it.
 *
 * <p>It reads nothing but, when a rule of the sender's selects clusters by tag, the cluster's tags
 * ({@link ClusterTags}): a sender no rule names is refused without any AWS call.
 */
public final class Authorizer {

    /** The rule id recorded for the cluster-creation function's bootstrap messages. */
    public static final String CLUSTER_CREATION = "internal:cluster-creation";
    /** The rule id recorded for the adoption function's bootstrap messages (docs/adopt.md). */
    public static final String ADOPTION = "internal:adoption";
    /** The rule id recorded for the expiry sweep's revokes and expiries. */
    public static final String EXPIRY_SWEEP = "internal:expiry-sweep";
    /** The rule id recorded for the drift function's restores. */
    public static final String DRIFT_FUNCTION = "internal:drift";

    private final Optional<Eligibility> eligibility;
    private final InternalSenders internal;
    private final ClusterTags tags;

    public Authorizer(Optional<Eligibility> eligibility, InternalSenders internal, ClusterTags tags) {
        this.eligibility = eligibility;
        this.internal = internal;
        this.tags = tags;
    }

    public Optional<Eligibility> eligibility() {
        return eligibility;
    }

    /** Every ARN whose sender id must be resolvable: rule senders, approvers and the system's own roles. */
    public List<String> configuredSenders() {
        LinkedHashSet<String> arns = new LinkedHashSet<>(internal.arns());
        eligibility.ifPresent(e -> e.document().rules().forEach(rule -> {
            arns.addAll(rule.senders());
            rule.approval().ifPresent(approval -> arns.addAll(approval.approvers()));
        }));
        return List.copyOf(arns);
    }

    /**
     * Who a request is acted on for: the system's function when an internal sender's role sent it, else the sender's
     * ARN; with the request's id. The grant processor's own role sends only the copies of a bootstrap waiting for its
     * cluster, which act for the cluster-creation function like the bootstrap they copy, in the same session.
     */
    public ActingFor actingFor(Sender sender, String requestId) {
        if (internal.isClusterCreation(sender) || internal.isGrantProcessor(sender)) {
            return ActingFor.function(SessionIdentity.CLUSTER_CREATION, requestId);
        }
        if (internal.isAdoption(sender)) {
            return ActingFor.function(SessionIdentity.ADOPTION, requestId);
        }
        if (internal.isExpirySweep(sender)) {
            return ActingFor.function(SessionIdentity.EXPIRY_SWEEP, requestId);
        }
        if (internal.isDriftFunction(sender)) {
            return ActingFor.function(SessionIdentity.ACCESS_CHANGES, requestId);
        }
        return ActingFor.sender(sender.arn(), requestId);
    }

    /**
     * Whether {@code sender} may have a grant, revoke or bootstrap acted on; decisions are checked against their
     * pending request by {@link #refuseDecision} and {@link #approvalProblem}.
     */
    public Authorization authorize(ParsedMessage parsed, Sender sender) {
        return switch (parsed) {
            case ParsedMessage.Bootstrap b -> internal.isClusterCreation(sender) || internal.isGrantProcessor(sender)
                    ? Authorization.Permit.internal(CLUSTER_CREATION)
                    : internal.isAdoption(sender) ? Authorization.Permit.internal(ADOPTION)
                    : new Authorization.Refuse("bootstrap messages are accepted only from the cluster-creation "
                    + "function's role (" + Setting.CLUSTER_CREATION_ROLE_ARN.variable() + "), the adoption "
                    + "function's (" + Setting.ADOPTION_ROLE_ARN.variable() + ") and, for a bootstrap "
                    + "waiting for its cluster, the grant processor's own (" + Setting.GRANT_PROCESSOR_ROLE_ARN.variable()
                    + "); " + sender.arn() + " is none of them");
            case ParsedMessage.Restore r -> internal.isDriftFunction(sender)
                    ? Authorization.Permit.internal(DRIFT_FUNCTION)
                    : new Authorization.Refuse("restore messages are accepted only from the drift function's role ("
                    + Setting.DRIFT_FUNCTION_ROLE_ARN.variable() + "); " + sender.arn() + " is not it");
            case ParsedMessage.Access a -> authorizeAccess(a.request(), sender);
            case ParsedMessage.Decision d -> refuseDecision(d.request(), sender)
                    .<Authorization>map(Authorization.Refuse::new)
                    .orElseGet(() -> Authorization.Permit.internal(d.request().action() == Action.EXPIRE
                            ? EXPIRY_SWEEP : "approver"));
            case ParsedMessage.Invalid i -> new Authorization.Refuse(i.rejectionReason());
        };
    }

    /**
     * Why a decision message may not even be looked at: an expiry not from the sweep, or a reserved id. Whether the
     * sender may approve the request it names is {@link #approvalProblem}'s question.
     */
    public Optional<String> refuseDecision(DecisionRequest decision, Sender sender) {
        if (decision.action() == Action.EXPIRE) {
            return internal.isExpirySweep(sender) ? Optional.empty()
                    : Optional.of("expire messages are accepted only from the expiry sweep's role ("
                    + Setting.EXPIRY_SWEEP_ROLE_ARN.variable() + "); " + sender.arn() + " is not it");
        }
        return reservedIdProblem(decision.requestId());
    }

    /**
     * Why {@code approver} may not decide a request that rule {@code ruleId} holds: not one of the rule's approvers,
     * the requester, or the principal itself; empty when it may.
     */
    public Optional<String> approvalProblem(Sender approver, String ruleId, String requesterArn, String principalArn) {
        if (eligibility.isEmpty()) {
            return Optional.of("no eligibility document is deployed, so nobody may approve");
        }
        return eligibility.get().approvalProblem(approver.arn(), ruleId, requesterArn, principalArn);
    }

    private Authorization authorizeAccess(AccessRequest request, Sender sender) {
        Optional<String> reserved = RequestIds.reservedPrefixOf(request.requestId());
        if (reserved.isPresent()) {
            boolean expiry = reserved.get().equals(RequestIds.EXPIRY) && request.action() == Action.REVOKE
                    && request.policyName() != null;
            if (expiry && internal.isExpirySweep(sender)) {
                return Authorization.Permit.internal(EXPIRY_SWEEP);
            }
            return new Authorization.Refuse(reservedIdProblem(request.requestId()).orElseThrow());
        }
        if (eligibility.isEmpty()) {
            return new Authorization.Refuse("no eligibility document is deployed (" + Setting.ELIGIBILITY_FILE.variable()
                    + "): every team request is denied");
        }
        Verdict verdict = eligibility.get().decide(question(request, sender));
        return switch (verdict) {
            case Verdict.Allowed allowed -> new Authorization.Permit(allowed.ruleId(), allowed.breakGlass(),
                    allowed.onlyPolicies());
            case Verdict.NeedsApproval approval -> request.action().mayBeHeld()
                    ? new Authorization.Hold(approval)
                    : new Authorization.Refuse(request.action().wireName() + " requests are never held for approval");
            case Verdict.Denied denied -> new Authorization.Refuse(denied.reason());
        };
    }

    private static Optional<String> reservedIdProblem(String requestId) {
        return RequestIds.reservedPrefixOf(requestId).map(prefix -> "request id " + requestId + " starts with "
                + prefix + ", which is reserved for the system's own functions (reserved: "
                + String.join(", ", RequestIds.RESERVED_PREFIXES) + ")");
    }

    /** The question the eligibility rules answer, with the cluster's tags when a rule of the sender's needs them. */
    AccessQuestion question(AccessRequest request, Sender sender) {
        ClusterRef ref = request.cluster();
        Optional<Map<String, String>> clusterTags = eligibility.orElseThrow().needsTags(sender.arn())
                ? tags.of(ref, actingFor(sender, request.requestId())) : Optional.empty();
        AccessQuestion.Cluster cluster = new AccessQuestion.Cluster(ref.arn(), ref.name(), ref.accountId(),
                ref.region(), clusterTags);
        if (request.action() == Action.REVOKE) {
            return AccessQuestion.revoke(sender.arn(), cluster, request.principalArn(), request.policyName());
        }
        if (request.action() == Action.MIGRATE) {
            return new AccessQuestion(sender.arn(), AccessQuestion.Kind.MIGRATE, cluster, request.principalArn(),
                    request.policyName(), request.policyName() != null, List.of(),
                    request.kubernetesGroups() == null ? List.of() : request.kubernetesGroups(), request.username(),
                    null);
        }
        AccessScope scope = request.scope();
        boolean clusterScope = scope.type() == AccessScope.Type.CLUSTER;
        Duration duration = request.expiresAt() == null ? null
                : Duration.between(request.requestedAt(), request.expiresAt());
        AccessQuestion.Kind kind = request.action() == Action.RECOVER ? AccessQuestion.Kind.RECOVER
                : AccessQuestion.Kind.GRANT;
        return new AccessQuestion(sender.arn(), kind, cluster, request.principalArn(),
                request.policyName(), clusterScope, clusterScope ? List.of() : scope.namespaces(),
                request.kubernetesGroups() == null ? List.of() : request.kubernetesGroups(), request.username(),
                duration);
    }
}
