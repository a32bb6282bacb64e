package dev.eksaccess.testing;

import dev.eksaccess.delivery.PendingApprovals;
import dev.eksaccess.delivery.PendingGrant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** In-memory {@link PendingApprovals} with the conditional-write semantics of the DynamoDB one. */
public final class FakePendingApprovals implements PendingApprovals {

    private final Map<String, PendingGrant> grants = new LinkedHashMap<>();

    private static String key(PendingGrant pending) {
        return pending.requestId() + "#" + pending.requesterArn();
    }

    @Override
    public synchronized List<PendingGrant> find(String requestId) {
        return grants.values().stream().filter(p -> p.requestId().equals(requestId)).toList();
    }

    @Override
    public synchronized boolean create(PendingGrant pending) {
        return grants.putIfAbsent(key(pending), pending) == null;
    }

    @Override
    public synchronized boolean update(PendingGrant pending) {
        PendingGrant stored = grants.get(key(pending));
        if (stored == null || stored.version() != pending.version() - 1) {
            return false;
        }
        grants.put(key(pending), pending);
        return true;
    }

    @Override
    public synchronized boolean delete(PendingGrant pending) {
        return grants.remove(key(pending)) != null;
    }

    @Override
    public synchronized List<PendingGrant> findExpired(Instant now, int limit) {
        return grants.values().stream().filter(p -> p.approval().isExpired(now)).limit(limit).toList();
    }

    public synchronized List<PendingGrant> all() {
        return new ArrayList<>(grants.values());
    }
}
