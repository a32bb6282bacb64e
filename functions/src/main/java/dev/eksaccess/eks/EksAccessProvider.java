package dev.eksaccess.eks;

import dev.eksaccess.model.ClusterRef;

/**
 * Gives the {@link EksAccess} that reaches a cluster for one request: the function's own credentials in its own
 * account, an assumed role in other accounts, whose session names who asked and which request.
 */
@FunctionalInterface
public interface EksAccessProvider {

    /**
     * @param actingFor who asked, and which request: in another account the role session says so, and is never
     *                  shared with another sender or request
     * @throws CrossAccountNotConfiguredException when the cluster is in an account the system cannot reach
     */
    EksAccess forCluster(ClusterRef cluster, ActingFor actingFor);
}
