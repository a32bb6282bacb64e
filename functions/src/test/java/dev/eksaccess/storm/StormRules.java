package dev.eksaccess.storm;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.storm.StormPlan.StormRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What {@code storm/eligibility.json} means for the storm's requests, written out by hand as plain predicates over
 * the storm's finite pools (cluster index, principal kind, policy, the five namespaces), so that the expected outcome
 * of a request does not come from the code under test: neither the production {@code Authorizer} nor the contract's
 * {@code Eligibility}, {@code Glob} or document parser is used. When the storm and this model disagree, one of the
 * two readings of the document (docs/authorization.md) is wrong, and the failure shows the request.
 *
 * <p>The order of checks follows the grant processor's documented order: an unknown sender first, then reserved
 * request ids, then the rules (a grant: a matching rule without approval wins, else one with approval holds it; a
 * revoke: allowed when a rule would let the sender grant it, a revoke of everything limited to those rules'
 * policies).
 */
final class StormRules {

    /** How the processor must decide a request, before any EKS call. */
    sealed interface Verdict {
        /** Applied at once; {@code onlyPolicies} limits a revoke of every policy (policy ARNs), empty: no limit. */
        record Permit(String rule, Optional<Set<String>> onlyPolicies) implements Verdict {
        }

        /** Held until an approver decides. */
        record Hold(String rule) implements Verdict {
        }

        /** Rejected with a reason containing {@code fragment}. */
        record Refuse(String fragment) implements Verdict {
        }
    }

    private static final String ACCOUNT = "arn:aws:iam::111122223333:";
    private static final Set<String> VIEWER_NAMESPACES = Set.of("payments", "payments-*", "team-a", "team-b");
    private static final Duration OPS_MAX_DURATION = Duration.ofHours(4);

    /** One rule of the document, as the storm reads it. */
    private record Rule(String id, StormSenders sender, Predicate<String> cluster, Predicate<String> principal,
                        Set<String> policies, boolean clusterScope, Predicate<String> namespace,
                        Duration maxDuration, boolean approval) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("storm-viewer-namespaces", StormSenders.VIEWER, c -> c.startsWith("storm-"),
                    p -> p.startsWith(ACCOUNT + "role/teams/team-"), Set.of(AccessPolicies.VIEW), false,
                    VIEWER_NAMESPACES::contains, null, false),
            new Rule("storm-editor-first-clusters", StormSenders.EDITOR, c -> c.startsWith("storm-0") || c.startsWith("storm-1"),
                    p -> p.startsWith(ACCOUNT + "role/teams/") || p.startsWith(ACCOUNT + "user/dev-"),
                    Set.of(AccessPolicies.VIEW, AccessPolicies.EDIT), true, n -> true, null, false),
            new Rule("storm-ops-admin-view", StormSenders.OPS, c -> c.startsWith("storm-"),
                    p -> p.startsWith(ACCOUNT), Set.of(AccessPolicies.ADMIN_VIEW), true, n -> false, null, false),
            new Rule("storm-ops-admin-with-approval", StormSenders.OPS, c -> c.startsWith("storm-"),
                    p -> p.startsWith(ACCOUNT + "role/teams/"),
                    Set.of(AccessPolicies.CLUSTER_ADMIN, AccessPolicies.ADMIN), true, n -> true, OPS_MAX_DURATION,
                    true));

    private StormRules() {
    }

    /** The verdict on a valid (parseable) grant, revoke or revoke of everything. */
    static Verdict decide(StormRequest request) {
        StormSenders sender = request.sender();
        if (sender == StormSenders.STRANGER) {
            return new Verdict.Refuse("unknown sender");
        }
        String id = request.requestId().toLowerCase(Locale.ROOT);
        if (id.startsWith("bootstrap:") || id.startsWith("expiry:") || id.startsWith("eks-access:")) {
            return new Verdict.Refuse("reserved for the system's own functions");
        }
        List<Rule> rules = RULES.stream().filter(r -> r.sender == sender).toList();
        if (rules.isEmpty()) {
            return new Verdict.Refuse("is named by no eligibility rule");
        }
        String policy = request.policyName();
        List<Rule> reach = rules.stream().filter(r -> r.cluster.test(request.clusterName())
                && r.principal.test(request.principalArn())).toList();
        return switch (request.kind()) {
            case GRANT -> {
                List<Rule> matching = reach.stream().filter(r -> r.policies.contains(policy)
                        && (request.scope().isCluster() ? r.clusterScope
                                : request.scope().namespaces().stream().allMatch(r.namespace))
                        && (r.maxDuration == null || request.duration() != null
                                && request.duration().compareTo(r.maxDuration) <= 0)).toList();
                Optional<Rule> direct = matching.stream().filter(r -> !r.approval).findFirst();
                if (direct.isPresent()) {
                    yield new Verdict.Permit(direct.get().id, Optional.empty());
                }
                yield matching.isEmpty() ? new Verdict.Refuse(refusal(request))
                        : new Verdict.Hold(matching.get(0).id);
            }
            case REVOKE -> reach.stream().filter(r -> r.policies.contains(policy)).findFirst()
                    .<Verdict>map(r -> new Verdict.Permit(r.id, Optional.empty()))
                    .orElseGet(() -> new Verdict.Refuse("no eligibility rule allows"));
            case REVOKE_ALL -> {
                if (reach.isEmpty()) {
                    yield new Verdict.Refuse("no eligibility rule allows");
                }
                Set<String> only = new LinkedHashSet<>();
                reach.forEach(r -> r.policies.forEach(p -> only.add(AccessPolicies.ARN_PREFIX + p)));
                yield new Verdict.Permit(String.join(",", reach.stream().map(Rule::id).toList()),
                        Optional.of(only));
            }
            case INVALID -> throw new IllegalArgumentException("invalid requests are decided by their shape");
        };
    }

    /** The reason fragment of a refused grant: the duration, when that is all an admin-class grant lacks. */
    private static String refusal(StormRequest request) {
        boolean adminClass = request.policyName().equals(AccessPolicies.CLUSTER_ADMIN)
                || request.policyName().equals(AccessPolicies.ADMIN);
        if (request.sender() == StormSenders.OPS && adminClass && request.principalArn().startsWith(
                ACCOUNT + "role/teams/")) {
            return request.duration() == null ? "a permanent grant is not allowed"
                    : "duration " + request.duration() + " is longer than " + OPS_MAX_DURATION;
        }
        return "no eligibility rule allows";
    }

    /** The ids of the rules, for the run's figures. */
    static List<String> ruleIds() {
        return new ArrayList<>(RULES.stream().map(Rule::id).toList());
    }
}
