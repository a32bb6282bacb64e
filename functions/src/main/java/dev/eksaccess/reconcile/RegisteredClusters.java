package dev.eksaccess.reconcile;

import dev.eksaccess.registry.ClusterRecord;
import java.util.List;

/** Every cluster the registry knows. Implementations turn an outage into an exception, never into "none". */
@FunctionalInterface
public interface RegisteredClusters {

    List<ClusterRecord> all();
}
