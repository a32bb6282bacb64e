package dev.eksaccess.eks;

import dev.eksaccess.model.ClusterRef;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The EKS operations the access engine uses, free of SDK types. Every method throws one of the
 * {@link EksAccessException} subtypes, so callers can tell a bad request from a busy cluster from an outage.
 */
public interface EksAccess {

    /** Status and authentication mode; {@link EksNotFoundException} when the cluster does not exist. */
    ClusterState describeCluster(ClusterRef cluster);

    /** The principal's entry, empty when it has none. */
    Optional<AccessEntry> describeAccessEntry(ClusterRef cluster, String principalArn);

    /** Creates an entry of the entry's type; {@link EksResourceInUseException} when the principal already has one. */
    AccessEntry createAccessEntry(ClusterRef cluster, NewAccessEntry entry);

    /** Replaces groups and, when not null, the username of an existing entry. */
    AccessEntry updateAccessEntry(ClusterRef cluster, String principalArn, List<String> kubernetesGroups,
                                  String username);

    void deleteAccessEntry(ClusterRef cluster, String principalArn);

    /** Associates a policy; associating it again replaces the scope. */
    void associateAccessPolicy(ClusterRef cluster, String principalArn, String policyArn, AccessScope scope);

    void disassociateAccessPolicy(ClusterRef cluster, String principalArn, String policyArn);

    List<AssociatedPolicy> listAssociatedAccessPolicies(ClusterRef cluster, String principalArn);

    /** Principal ARNs of every entry, or of those associated with {@code policyArn} when it is not null. */
    List<String> listAccessEntries(ClusterRef cluster, String associatedPolicyArn);

    /**
     * The principals other than {@code except} (null: none excepted) holding {@code policyArn} at cluster scope, in
     * EKS's order. EKS's filter by policy ignores the scope, so each holder's associations are read, lazily: a caller
     * that stops at the first holder it needs reads no further, and {@code except}'s are never read.
     */
    default Stream<String> clusterScopeHolders(ClusterRef cluster, String policyArn, String except) {
        return listAccessEntries(cluster, policyArn).stream()
                .filter(holder -> !holder.equals(except))
                .filter(holder -> listAssociatedAccessPolicies(cluster, holder).stream().anyMatch(policy ->
                        policy.policyArn().equals(policyArn) && policy.scope().type() == AccessScope.Type.CLUSTER));
    }

    /** Starts a switch of the authentication mode (UpdateClusterConfig); the cluster is UPDATING afterwards. */
    void updateAuthenticationMode(ClusterRef cluster, String authenticationMode);
}
