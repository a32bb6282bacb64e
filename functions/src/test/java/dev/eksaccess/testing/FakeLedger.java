package dev.eksaccess.testing;

import dev.eksaccess.delivery.AuditLedger;
import dev.eksaccess.delivery.AuditRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory {@link AuditLedger} that answers {@link #find} and {@link #record} as the DynamoDB one does; it keeps only
 * the current record per request in its map, where DynamoDB keeps superseded ones as items of their own ({@link
 * #history} has them all).
 */
public final class FakeLedger implements AuditLedger {

    private final Map<String, AuditRecord> records = new ConcurrentHashMap<>();
    public final List<AuditRecord> duplicates = new CopyOnWriteArrayList<>();
    /** Every record written, in order (including superseded failed-transient and pending-approval ones). */
    public final List<AuditRecord> history = new CopyOnWriteArrayList<>();

    @Override
    public Optional<AuditRecord> find(String clusterArn, String senderKey, String requestId) {
        return Optional.ofNullable(records.get(clusterArn + "|" + senderKey + "|" + requestId));
    }

    @Override
    public synchronized boolean record(AuditRecord record) {
        String key = record.clusterArn() + "|" + record.senderKey() + "|" + record.requestId();
        AuditRecord existing = records.get(key);
        if (existing != null && !existing.outcome().isReplaceable()) {
            return false;
        }
        records.put(key, record);
        history.add(record);
        return true;
    }

    @Override
    public List<AuditRecord> findByRequestId(String requestId) {
        return history.stream().filter(r -> r.requestId().equals(requestId)).toList();
    }

    @Override
    public void recordDuplicate(AuditRecord record) {
        duplicates.add(record);
        history.add(record);
    }

    public AuditRecord only(String requestId) {
        return records.values().stream().filter(r -> r.requestId().equals(requestId)).findFirst()
                .orElseThrow(() -> new AssertionError("no ledger record for " + requestId + "; have " + records.keySet()));
    }

    public List<AuditRecord> all() {
        return List.copyOf(records.values());
    }
}
