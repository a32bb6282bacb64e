package dev.eksaccess.registry;

import java.util.Optional;

/**
 * The cluster registry: one record per cluster ARN. Implementations must turn an outage into an exception,
 * never into "not found".
 */
public interface ClusterRegistry {

    /**
     * Stores {@code record} unless a record for its cluster ARN exists.
     *
     * @return the record now stored: {@code record} itself when it was written, else the existing one
     */
    ClusterRecord putIfAbsent(ClusterRecord record);

    /** The record for {@code clusterArn}, if any. */
    Optional<ClusterRecord> find(String clusterArn);

    /**
     * Sets the bootstrap status and reason, unless the stored status is {@link BootstrapStatus#DONE} (a finished
     * bootstrap is never reopened by a late duplicate).
     *
     * @return whether the record changed
     */
    boolean updateBootstrap(String clusterArn, BootstrapStatus status, String reason);
}
