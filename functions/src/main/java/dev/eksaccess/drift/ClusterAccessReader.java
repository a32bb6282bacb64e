package dev.eksaccess.drift;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.registry.ClusterRegistry;
import dev.eksaccess.request.AccessRequest;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads what {@link ChangeClassifier} needs to judge a change, after it was made: the creator from the registry, the
 * cluster-scope AmazonEKSClusterAdminPolicy holders from EKS ({@link EksAccess#clusterScopeHolders}), and, for the principal the change touched, the policies this system's grants hold
 * and whether its entry carries this system's tag.
 */
public final class ClusterAccessReader {

    private final ClusterRegistry registry;
    private final GrantStateStore grants;

    public ClusterAccessReader(ClusterRegistry registry, GrantStateStore grants) {
        this.registry = registry;
        this.grants = grants;
    }

    /**
     * @param principalArn the principal the change touched; null for a change of the authentication mode
     */
    public ClusterAccessView read(EksAccess eks, ClusterRef cluster, String principalArn) {
        String creator = registry.find(cluster.arn()).map(ClusterRecord::creatorPrincipalArn).orElse(null);
        Set<String> admins = eks.clusterScopeHolders(cluster,
                        AccessRequest.policyArn(cluster.partition(), AccessPolicies.CLUSTER_ADMIN), null)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (principalArn == null) {
            return new ClusterAccessView(creator, admins, Map.of(), Set.of());
        }
        Set<String> granted = grants.findByPrincipal(cluster.arn(), principalArn).stream()
                .filter(GrantState::granted)
                .map(GrantState::policyArn)
                .filter(policy -> !policy.equals(GrantState.ALL_POLICIES))
                .collect(Collectors.toUnmodifiableSet());
        boolean ours = eks.describeAccessEntry(cluster, principalArn).map(AccessEntry::createdByThisSystem).orElse(false);
        return new ClusterAccessView(creator, admins, granted.isEmpty() ? Map.of() : Map.of(principalArn, granted),
                ours ? Set.of(principalArn) : Set.of());
    }
}
