package dev.eksaccess.emulator.eks;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A copy of one access entry and its policy associations, for assertions. */
public record AccessEntrySnapshot(
        String principalArn,
        String type,
        String username,
        List<String> kubernetesGroups,
        Map<String, String> tags,
        String accessEntryArn,
        Instant createdAt,
        Instant modifiedAt,
        List<PolicyAssociation> policies) {

    public AccessEntrySnapshot {
        kubernetesGroups = List.copyOf(kubernetesGroups);
        tags = Map.copyOf(tags);
        policies = List.copyOf(policies);
    }

    /** The association of the policy given by short name or ARN, if any. */
    public Optional<PolicyAssociation> policy(String nameOrArn) {
        return policies.stream()
                .filter(p -> p.policyArn().equals(nameOrArn) || p.policyName().equals(nameOrArn))
                .findFirst();
    }

    /** Whether the policy given by short name or ARN is associated at cluster scope. */
    public boolean hasClusterScoped(String nameOrArn) {
        return policy(nameOrArn).map(p -> p.scope().isCluster()).orElse(false);
    }
}
