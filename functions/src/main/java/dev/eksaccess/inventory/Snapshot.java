package dev.eksaccess.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one reconciliation found on every registered cluster: written whole under its id, then made the current one,
 * so that a reader sees either the previous snapshot or this one, never a mix.
 *
 * @param snapshotId the run's id
 * @param takenAt    when the run started
 * @param clusters   every registered cluster, in the registry's order
 */
public record Snapshot(String snapshotId, Instant takenAt, List<ClusterInventory> clusters) {

    public Snapshot {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(takenAt, "takenAt");
        clusters = List.copyOf(clusters);
    }
}
