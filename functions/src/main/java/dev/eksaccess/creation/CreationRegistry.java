package dev.eksaccess.creation;

import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.registry.ClusterRegistry;

/**
 * The cluster registry as the cluster-creation function needs it: the shared {@link ClusterRegistry} plus the one
 * write only this function makes, replacing the record of a cluster that was deleted and created again under the
 * same ARN.
 */
public interface CreationRegistry extends ClusterRegistry {

    /**
     * Replaces the record for {@code replacement.clusterArn()}, but only while the stored record still comes from
     * the CloudTrail event {@code expectedEventId} (so two concurrent deliveries cannot both win).
     *
     * @return whether the record was replaced
     */
    boolean replace(String expectedEventId, ClusterRecord replacement);
}
