package dev.eksaccess.inventory;

import java.util.Optional;

/**
 * Where snapshots are kept. Implementations turn an outage into an exception, never into "no snapshot".
 */
public interface InventoryStore {

    /** Stores {@code snapshot} whole, then makes it the current one. */
    void publish(Snapshot snapshot);

    /** The current snapshot, empty when none was ever published. */
    Optional<Snapshot> current();
}
