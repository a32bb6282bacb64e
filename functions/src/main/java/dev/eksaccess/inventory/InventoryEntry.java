package dev.eksaccess.inventory;

import dev.eksaccess.eks.AssociatedPolicy;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One access entry of one cluster as the reconciler found it.
 *
 * @param clusterArn       the cluster
 * @param principalArn     the entry's IAM principal
 * @param type             STANDARD, EC2_LINUX, ...
 * @param kubernetesGroups its groups
 * @param username         its Kubernetes username, or null
 * @param policies         its access policies with their scopes
 * @param origin           who made it
 * @param requestId        for {@link Origin#SYSTEM}: the request behind it (the latest applied grant, else the
 *                         entry's request-id tag); else null
 * @param expiresAt        the earliest end of a time-bound grant still associated, or null
 * @param flags            entry flags ({@link Flag#ofCluster()} false)
 */
public record InventoryEntry(String clusterArn, String principalArn, String type, List<String> kubernetesGroups,
                             String username, List<AssociatedPolicy> policies, Origin origin, String requestId,
                             Instant expiresAt, Set<Flag> flags) {

    public InventoryEntry {
        Objects.requireNonNull(clusterArn, "clusterArn");
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(origin, "origin");
        kubernetesGroups = kubernetesGroups == null ? List.of() : List.copyOf(kubernetesGroups);
        policies = policies == null ? List.of() : List.copyOf(policies);
        flags = flags == null || flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }
}
