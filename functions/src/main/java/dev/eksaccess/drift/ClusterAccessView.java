package dev.eksaccess.drift;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the system knows of one cluster when it judges a change made there by someone else: read after the change.
 *
 * @param creatorPrincipalArn    the principal the registry records as the cluster's creator; null when unknown
 * @param clusterAdminsNow       principals holding AmazonEKSClusterAdminPolicy at cluster scope, as EKS lists them now
 * @param grantedPolicies        per principal, the policies this system's grant states hold as granted on the cluster
 * @param entriesWeCreated       principals whose entries carry this system's {@code managed-by} tag
 */
public record ClusterAccessView(String creatorPrincipalArn, Set<String> clusterAdminsNow,
                                Map<String, Set<String>> grantedPolicies, Set<String> entriesWeCreated) {

    public ClusterAccessView {
        clusterAdminsNow = Set.copyOf(Objects.requireNonNull(clusterAdminsNow, "clusterAdminsNow"));
        grantedPolicies = Map.copyOf(Objects.requireNonNull(grantedPolicies, "grantedPolicies"));
        entriesWeCreated = Set.copyOf(Objects.requireNonNull(entriesWeCreated, "entriesWeCreated"));
    }

    /** The policies this system holds as granted to {@code principalArn} on the cluster. */
    public Set<String> grantedTo(String principalArn) {
        return grantedPolicies.getOrDefault(principalArn, Set.of());
    }
}
