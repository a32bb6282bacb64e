package dev.eksaccess.creation;

import dev.eksaccess.model.ClusterRef;
import java.util.Optional;

/**
 * Asks EKS about a cluster (DescribeCluster), with the credentials that reach its account: the function's own at
 * home, in member accounts the read-only role next to the grant processor's ({@code IamRoleName.clusterReader}).
 */
public interface ClusterLookup {

    /**
     * Describes the cluster named by {@code cluster}, in its account and region.
     *
     * @param eventId         the CloudTrail id of the CreateCluster event being verified: in another account the
     *                        role session is named after it, so that account's CloudTrail ties the call to the event
     * @param functionAccount the account this function runs in; clusters of other accounts are reached through the
     *                        cluster-creation function's read-only role
     * @return empty when EKS has no cluster of that name there
     * @throws RuntimeException when EKS cannot answer now (throttling, 5xx, network) or the function may not ask
     *                          (permissions, no cross-account role): the caller lets the event be retried, and it
     *                          ends in the rule's FailedEvents queue if that keeps failing
     */
    Optional<DescribedCluster> describe(ClusterRef cluster, String eventId, String functionAccount);
}
