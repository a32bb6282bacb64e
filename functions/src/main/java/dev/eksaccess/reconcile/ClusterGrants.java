package dev.eksaccess.reconcile;

import dev.eksaccess.delivery.GrantState;
import java.util.List;

/** Every grant state of one cluster (its {@code GRANT#} partition). An outage is an exception, never "none". */
@FunctionalInterface
public interface ClusterGrants {

    List<GrantState> ofCluster(String clusterArn);
}
