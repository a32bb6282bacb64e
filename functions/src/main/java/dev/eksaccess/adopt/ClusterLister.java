package dev.eksaccess.adopt;

/**
 * EKS ListClusters in one account and region, every page: the clusters adoption looks at. At home with the
 * function's own credentials, in a member account through the read-only role in a session named
 * {@code eks-access.adoption}.
 */
public interface ClusterLister {

    /**
     * The names of every cluster in {@code accountId} and {@code region}, all pages read.
     *
     * @throws RuntimeException when EKS cannot be asked (permissions, no role in that account, network, throttling):
     *                          adoption reports that account and region as not listed and goes on with the others
     */
    java.util.List<String> clusterNames(String accountId, String region);
}
