package dev.eksaccess.testing;

import dev.eksaccess.creation.CreationRegistry;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The registry in a map, with the same conditional semantics as the DynamoDB adapter. */
public final class InMemoryCreationRegistry implements CreationRegistry {

    private final Map<String, ClusterRecord> records = new LinkedHashMap<>();
    private final Clock clock;
    private int writes;

    public InMemoryCreationRegistry(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized ClusterRecord putIfAbsent(ClusterRecord record) {
        ClusterRecord existing = records.get(record.clusterArn());
        if (existing != null) {
            return existing;
        }
        records.put(record.clusterArn(), record);
        writes++;
        return record;
    }

    @Override
    public synchronized Optional<ClusterRecord> find(String clusterArn) {
        return Optional.ofNullable(records.get(clusterArn));
    }

    @Override
    public synchronized boolean updateBootstrap(String clusterArn, BootstrapStatus status, String reason) {
        ClusterRecord existing = records.get(clusterArn);
        if (existing == null || existing.bootstrapStatus() == BootstrapStatus.DONE) {
            return false;
        }
        records.put(clusterArn, existing.withBootstrap(status, reason, clock.instant()));
        writes++;
        return true;
    }

    @Override
    public synchronized boolean replace(String expectedEventId, ClusterRecord replacement) {
        ClusterRecord existing = records.get(replacement.clusterArn());
        if (existing == null || !Objects.equals(existing.eventId(), expectedEventId)) {
            return false;
        }
        records.put(replacement.clusterArn(), replacement);
        writes++;
        return true;
    }

    /** How many writes succeeded. */
    public synchronized int writes() {
        return writes;
    }

    /** How many records are stored. */
    public synchronized int size() {
        return records.size();
    }
}
