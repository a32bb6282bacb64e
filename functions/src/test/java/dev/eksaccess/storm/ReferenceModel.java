package dev.eksaccess.storm;

import dev.eksaccess.emulator.eks.AccessEntrySnapshot;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.PolicyAssociation;
import dev.eksaccess.storm.StormPlan.StormRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the storm's requests mean, computed without queues, faults or DynamoDB: the access every principal should end
 * with, per cluster, when the requests are applied one after the other in requestedAt order (docs/grant-requests.md):
 * <ul>
 *   <li>grant: the policy is associated with the request's scope (a later grant replaces the scope);</li>
 *   <li>revoke with a policy: that policy is gone;</li>
 *   <li>revoke without a policy: every policy the principal holds is gone;</li>
 *   <li>an entry exists exactly when some policy remains: every storm principal's entry is created by eks-access,
 *       so the revoke that removes its last policy deletes it;</li>
 *   <li>invalid requests change nothing.</li>
 * </ul>
 * Access is keyed cluster name → principal ARN → policy ARN → scope, with namespaces sorted.
 */
final class ReferenceModel {

    private ReferenceModel() {
    }

    static Map<String, Map<String, Map<String, AccessScope>>> expected(List<StormRequest> requests) {
        Map<String, Map<String, Map<String, AccessScope>>> access = new TreeMap<>();
        List<StormRequest> byTime = requests.stream().filter(r -> r.kind() != StormPlan.Kind.INVALID)
                .sorted(Comparator.comparing(StormRequest::requestedAt)).toList();
        for (StormRequest request : byTime) {
            Map<String, AccessScope> policies = access.computeIfAbsent(request.clusterName(), c -> new TreeMap<>())
                    .computeIfAbsent(request.principalArn(), p -> new TreeMap<>());
            switch (request.kind()) {
                case GRANT -> policies.put(request.policyArn(), normalized(request.scope()));
                case REVOKE -> policies.remove(request.policyArn());
                case REVOKE_ALL -> policies.clear();
                case INVALID -> throw new IllegalStateException("filtered above");
            }
        }
        access.values().forEach(principals -> principals.values().removeIf(Map::isEmpty));
        return access;
    }

    /** The same shape from the emulator's entries, leaving out the principals in {@code untouchable}. */
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

    /** Differences, at most {@code limit}: what is missing, what is extra, what has another scope. */
    static List<Difference> differences(String cluster, Map<String, Map<String, AccessScope>> expected,
                                    Map<String, Map<String, AccessScope>> actual, int limit) {
        List<Difference> differences = new ArrayList<>();
        TreeMap<String, Boolean> principals = new TreeMap<>();
        expected.keySet().forEach(p -> principals.put(p, true));
        actual.keySet().forEach(p -> principals.put(p, true));
        for (String principal : principals.keySet()) {
            Map<String, AccessScope> want = expected.getOrDefault(principal, Map.of());
            Map<String, AccessScope> have = actual.get(principal);
            if (have == null) {
                differences.add(new Difference(cluster, principal, "no access entry, expected " + want));
            } else if (!want.equals(have)) {
                differences.add(new Difference(cluster, principal, "has " + have + ", expected "
                        + (want.isEmpty() ? "no access entry" : want)));
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
