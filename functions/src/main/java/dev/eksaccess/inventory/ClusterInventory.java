package dev.eksaccess.inventory;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One registered cluster in a snapshot: its entries, or why it could not be read.
 *
 * @param clusterArn         the cluster
 * @param authenticationMode CONFIG_MAP, API_AND_CONFIG_MAP or API; null when it could not be read
 * @param failure            why the cluster could not be read, or null
 * @param flags              cluster flags ({@link Flag#ofCluster()} true)
 * @param entries            its access entries (none for a CONFIG_MAP or unreadable cluster)
 */
public record ClusterInventory(String clusterArn, String authenticationMode, String failure, Set<Flag> flags,
                               List<InventoryEntry> entries) {

    public ClusterInventory {
        Objects.requireNonNull(clusterArn, "clusterArn");
        flags = flags == null || flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** A cluster that could not be read, and why. */
    public static ClusterInventory unreadable(String clusterArn, String failure) {
        return new ClusterInventory(clusterArn, null, Objects.requireNonNull(failure, "failure"),
                Set.of(Flag.UNREADABLE), List.of());
    }
}
