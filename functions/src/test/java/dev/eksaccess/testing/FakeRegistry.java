package dev.eksaccess.testing;

import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.registry.ClusterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory {@link ClusterRegistry} with the port's rules (a DONE bootstrap is never reopened). */
public final class FakeRegistry implements ClusterRegistry {

    private final Map<String, ClusterRecord> records = new ConcurrentHashMap<>();

    @Override
    public ClusterRecord putIfAbsent(ClusterRecord record) {
        ClusterRecord existing = records.putIfAbsent(record.clusterArn(), record);
        return existing == null ? record : existing;
    }

    @Override
    public Optional<ClusterRecord> find(String clusterArn) {
        return Optional.ofNullable(records.get(clusterArn));
    }

    @Override
    public boolean updateBootstrap(String clusterArn, BootstrapStatus status, String reason) {
        ClusterRecord record = records.get(clusterArn);
        if (record == null || record.bootstrapStatus() == BootstrapStatus.DONE) {
            return false;
        }
        records.put(clusterArn, record.withBootstrap(status, reason, Instant.now()));
        return true;
    }

    /** The CloudTrail event id of {@link #record} clusters, the one {@code events/requests/bootstrap.json} names. */
    public static final String EVENT_ID = "7f0c2a51-3c4e-4d1b-9a77-2b1f0e9d6c11";

    /** A record of a cluster created by {@code creator} in event {@link #EVENT_ID}, bootstrap pending. */
    public static ClusterRecord record(String clusterArn, String creator, String authenticationMode,
                                       boolean bootstrapCreatorAdmin) {
        var ref = dev.eksaccess.model.ClusterRef.parseArn(clusterArn).orElseThrow();
        return new ClusterRecord(clusterArn, ref.name(), ref.accountId(), ref.region(), creator, "AssumedRole",
                "session", null, EVENT_ID, Instant.parse("2026-11-28T09:00:00Z"), "aws-cli", authenticationMode,
                bootstrapCreatorAdmin, BootstrapStatus.PENDING, "queued", Instant.parse("2026-11-28T09:00:00Z"));
    }
}
