package dev.eksaccess.eks;

import dev.eksaccess.model.ClusterRef;

/**
 * Gives the {@link EksAccess} that reaches a cluster: the function's own credentials in its own account, an
 * assumed role in other accounts.
 */
@FunctionalInterface
public interface EksAccessProvider {

    /** @throws CrossAccountNotConfiguredException when the cluster is in an account the system cannot reach */
    EksAccess forCluster(ClusterRef cluster);
}
