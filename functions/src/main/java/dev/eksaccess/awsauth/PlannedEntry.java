package dev.eksaccess.awsauth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The access entry a mapping becomes.
 *
 * @param principalArn     the IAM role (with its path) or user ARN
 * @param type             the entry type
 * @param username         the Kubernetes username; empty for EKS's default (and for node types, which EKS names)
 * @param kubernetesGroups the entry's groups (STANDARD only)
 * @param clusterPolicies  access policies (short names) to associate at cluster scope (STANDARD only)
 */
public record PlannedEntry(String principalArn, Type type, Optional<String> username, List<String> kubernetesGroups,
                           List<String> clusterPolicies) {

    /** The access-entry types a mapping can become. */
    public enum Type {
        STANDARD, EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX
    }

    public PlannedEntry {
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(username, "username");
        kubernetesGroups = List.copyOf(kubernetesGroups);
        clusterPolicies = List.copyOf(clusterPolicies);
        if (type != Type.STANDARD && (!kubernetesGroups.isEmpty() || !clusterPolicies.isEmpty()
                || username.isPresent())) {
            throw new IllegalArgumentException("a " + type + " entry has no groups, policies or username of its own");
        }
    }
}
