package dev.eksaccess.storm;

import dev.eksaccess.emulator.eks.AccessEntrySnapshot;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.PolicyAssociation;
import dev.eksaccess.storm.StormPlan.DecisionKind;
import dev.eksaccess.storm.StormPlan.StormDecision;
import dev.eksaccess.storm.StormPlan.StormRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the storm's requests mean, computed without queues, faults or DynamoDB: the access every principal should end
 * with, per cluster. First {@link StormRules} decides each request as the eligibility document says (refused, held
 * for approval, or permitted); then the requests that take effect — permitted ones, and held grants the approver
 * approved — are applied one after the other in requestedAt order (docs/grant-requests.md):
 * <ul>
 *   <li>grant: the policy is associated with the request's scope (a later grant replaces the scope);</li>
 *   <li>revoke with a policy: that policy is gone;</li>
 *   <li>revoke without a policy: every policy the sender's rules name is gone (all of them for an unlimited one);</li>
 *   <li>an entry exists exactly when some policy remains: every storm principal's entry is created by eks-access,
 *       so the revoke that removes its last policy deletes it;</li>
 *   <li>refused, invalid, denied and still pending requests change nothing.</li>
 * </ul>
 * Access is keyed cluster name → principal ARN → policy ARN → scope, with namespaces sorted. The emulator's side is
 * read as entries and policies separately, so that an access entry left behind without a policy is a difference.
 */
final class ReferenceModel {

    private ReferenceModel() {
    }

    /** How each request of the plan is decided, by request id. */
    static Map<String, StormRules.Verdict> verdicts(StormPlan plan) {
        return plan.requests().stream().filter(r -> r.kind() != StormPlan.Kind.INVALID)
                .collect(Collectors.toMap(StormRequest::requestId, StormRules::decide));
    }

    /** The ids of the held grants that the approver approves. */
    static Set<String> approved(StormPlan plan) {
        return plan.decisions().stream().filter(d -> d.kind() == DecisionKind.APPROVE)
                .map(StormDecision::pendingRequestId).collect(Collectors.toSet());
    }

    /** The requests that take effect, in requestedAt order, each with its verdict's limit for a revoke of all. */
    static List<StormRequest> effective(StormPlan plan) {
        Map<String, StormRules.Verdict> verdicts = verdicts(plan);
        Set<String> approved = approved(plan);
        return plan.requests().stream().filter(r -> r.kind() != StormPlan.Kind.INVALID)
                .filter(r -> verdicts.get(r.requestId()) instanceof StormRules.Verdict.Permit
                        || verdicts.get(r.requestId()) instanceof StormRules.Verdict.Hold
                        && approved.contains(r.requestId()))
                .sorted(Comparator.comparing(StormRequest::requestedAt)).toList();
    }

    static Map<String, Map<String, Map<String, AccessScope>>> expected(StormPlan plan) {
        Map<String, StormRules.Verdict> verdicts = verdicts(plan);
        Map<String, Map<String, Map<String, AccessScope>>> access = new TreeMap<>();
        for (StormRequest request : effective(plan)) {
            Map<String, AccessScope> policies = access.computeIfAbsent(request.clusterName(), c -> new TreeMap<>())
                    .computeIfAbsent(request.principalArn(), p -> new TreeMap<>());
            switch (request.kind()) {
                case GRANT -> policies.put(request.policyArn(), normalized(request.scope()));
                case REVOKE -> policies.remove(request.policyArn());
                case REVOKE_ALL -> {
                    Optional<Set<String>> only = verdicts.get(request.requestId()) instanceof StormRules.Verdict.Permit p
                            ? p.onlyPolicies() : Optional.empty();
                    if (only.isPresent()) {
                        policies.keySet().removeAll(only.get());
                    } else {
                        policies.clear();
                    }
                }
                case INVALID -> throw new IllegalStateException("filtered above");
            }
        }
        access.values().forEach(principals -> principals.values().removeIf(Map::isEmpty));
        return access;
    }

    /**
     * The emulator's side: each access entry (but those of {@code untouchable}) with its policies; an entry without
     * policies stays in the map with none.
     */
    static Map<String, Map<String, AccessScope>> actual(List<AccessEntrySnapshot> entries, List<String> untouchable) {
        Map<String, Map<String, AccessScope>> actual = new TreeMap<>();
        for (AccessEntrySnapshot entry : entries) {
            if (untouchable.contains(entry.principalArn())) {
                continue;
            }
            Map<String, AccessScope> policies = actual.computeIfAbsent(entry.principalArn(), p -> new TreeMap<>());
            for (PolicyAssociation association : entry.policies()) {
                policies.put(association.policyArn(), normalized(association.scope()));
            }
        }
        return actual;
    }

    /** A principal whose access differs from the expected. */
    record Difference(String cluster, String principal, String text) {
    }

    /**
     * Differences, at most {@code limit}, entries first and policies second: an entry that should not exist (with or
     * without policies), an entry that is missing, then policies missing, extra, or with another scope.
     */
    static List<Difference> differences(String cluster, Map<String, Map<String, AccessScope>> expected,
                                        Map<String, Map<String, AccessScope>> actual, int limit) {
        List<Difference> differences = new ArrayList<>();
        Set<String> principals = new TreeSet<>(expected.keySet());
        principals.addAll(actual.keySet());
        for (String principal : principals) {
            Map<String, AccessScope> want = expected.get(principal);
            Map<String, AccessScope> have = actual.get(principal);
            if (want == null) {
                differences.add(new Difference(cluster, principal, have.isEmpty()
                        ? "an access entry without any policy was left behind; expected no access entry"
                        : "has an access entry with " + have + ", expected no access entry"));
            } else if (have == null) {
                differences.add(new Difference(cluster, principal, "no access entry, expected one with " + want));
            } else if (!want.equals(have)) {
                differences.add(new Difference(cluster, principal, "has policies " + have + ", expected " + want));
            }
            if (differences.size() >= limit) {
                break;
            }
        }
        return differences;
    }

    static AccessScope normalized(AccessScope scope) {
        Objects.requireNonNull(scope, "scope");
        return new AccessScope(scope.type(), scope.namespaces().stream().sorted().toList());
    }
}
