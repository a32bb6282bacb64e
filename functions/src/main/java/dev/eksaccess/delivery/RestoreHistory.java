package dev.eksaccess.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When restores of one entry (cluster and principal) were applied, kept so that a restore loop stops
 * ({@link RestoreLimit}). Read and written under the entry's lease, so one writer at a time. Implementations turn an
 * outage into an exception, never into "none".
 */
public interface RestoreHistory {

    /** The times kept for the entry, oldest first; empty when none. */
    List<Instant> find(String clusterArn, String principalArn);

    /** Keeps {@code restoredAt} for the entry, replacing what was kept. */
    void save(String clusterArn, String principalArn, List<Instant> restoredAt);

    /** A history within this JVM: tests, the sandbox and the benchmarks, where every invocation runs in one. */
    static RestoreHistory inProcess() {
        Map<String, List<Instant>> kept = new ConcurrentHashMap<>();
        return new RestoreHistory() {
            @Override
            public List<Instant> find(String clusterArn, String principalArn) {
                return kept.getOrDefault(clusterArn + "|" + principalArn, List.of());
            }

            @Override
            public void save(String clusterArn, String principalArn, List<Instant> restoredAt) {
                kept.put(clusterArn + "|" + principalArn, List.copyOf(restoredAt));
            }
        };
    }
}
