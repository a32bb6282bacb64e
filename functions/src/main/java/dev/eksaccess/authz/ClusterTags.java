package dev.eksaccess.authz;

import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.model.ClusterRef;
import java.util.Map;
import java.util.Optional;

/** A cluster's tags as DescribeCluster reports them, read only when an eligibility rule selects clusters by tag. */
@FunctionalInterface
public interface ClusterTags {

    /**
     * The cluster's tags, or empty when they cannot be known (the cluster does not exist): rules that select by tag
     * then do not match.
     *
     * @param actingFor the request's sender and id, which the session reaching another account names
     * @throws RuntimeException when EKS cannot answer now: the message is retried, not decided
     */
    Optional<Map<String, String>> of(ClusterRef cluster, ActingFor actingFor);
}
