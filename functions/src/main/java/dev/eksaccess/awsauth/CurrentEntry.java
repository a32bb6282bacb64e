package dev.eksaccess.awsauth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An access entry as EKS holds it now, for {@link AccessComparison}: plain values, so the comparison needs no SDK.
 *
 * @param principalArn          the entry's principal
 * @param type                  STANDARD, EC2_LINUX, ...
 * @param username              the entry's username; empty when EKS reports none
 * @param kubernetesGroups      the entry's groups
 * @param clusterScopePolicies  access policies (short names) associated at cluster scope
 */
public record CurrentEntry(String principalArn, String type, Optional<String> username, List<String> kubernetesGroups,
                           List<String> clusterScopePolicies) {

    public CurrentEntry {
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(username, "username");
        kubernetesGroups = List.copyOf(kubernetesGroups);
        clusterScopePolicies = List.copyOf(clusterScopePolicies);
    }
}
