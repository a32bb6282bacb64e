package dev.eksaccess.testing;

import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.reconcile.ClusterGrants;
import dev.eksaccess.reconcile.ExpiryRequeue;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory {@link GrantStateStore}: a grant leaves the expiry schedule once its revocation is queued. */
public final class FakeGrantStates implements GrantStateStore, ClusterGrants, ExpiryRequeue {

    private final Map<String, GrantState> states = new ConcurrentHashMap<>();
    private final Set<String> revocationQueued = ConcurrentHashMap.newKeySet();
    /** Overdue grants: their reason. */
    public final Map<String, String> overdue = new ConcurrentHashMap<>();

    @Override
    public Optional<GrantState> find(String clusterArn, String principalArn, String policyArn) {
        return Optional.ofNullable(states.get(key(clusterArn, principalArn, policyArn)));
    }

    @Override
    public List<GrantState> findByPrincipal(String clusterArn, String principalArn) {
        return states.values().stream()
                .filter(s -> s.clusterArn().equals(clusterArn) && s.principalArn().equals(principalArn)).toList();
    }

    @Override
    public synchronized boolean save(GrantState state) {
        String key = key(state.clusterArn(), state.principalArn(), state.policyArn());
        GrantState existing = states.get(key);
        if (existing != null && existing.isNewerThan(state.lastRequestedAt())) {
            return false;
        }
        states.put(key, state);
        revocationQueued.remove(key);
        overdue.remove(key);
        return true;
    }

    @Override
    public synchronized boolean markOverdue(GrantState state, String reason, Instant at) {
        String key = key(state.clusterArn(), state.principalArn(), state.policyArn());
        GrantState current = states.get(key);
        if (current == null || !current.granted() || !current.lastRequestId().equals(state.lastRequestId())
                || state.expiresAt() == null) {
            return false;
        }
        revocationQueued.add(key);
        overdue.put(key, reason);
        return true;
    }

    @Override
    public List<GrantState> findOverdue(int limit) {
        return states.entrySet().stream().filter(e -> overdue.containsKey(e.getKey())).map(Map.Entry::getValue)
                .sorted(Comparator.comparing(GrantState::expiresAt)).limit(limit).toList();
    }

    @Override
    public List<GrantState> findExpired(Instant now, int limit) {
        return states.entrySet().stream()
                .filter(e -> e.getValue().granted() && e.getValue().expiresAt() != null
                        && !e.getValue().expiresAt().isAfter(now) && !revocationQueued.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .sorted(Comparator.comparing(GrantState::expiresAt)).limit(limit).toList();
    }

    @Override
    public synchronized boolean markRevocationQueued(GrantState state) {
        String key = key(state.clusterArn(), state.principalArn(), state.policyArn());
        if (!state.equals(states.get(key))) {
            return false;
        }
        return revocationQueued.add(key);
    }

    @Override
    public List<GrantState> ofCluster(String clusterArn) {
        return states.values().stream().filter(s -> s.clusterArn().equals(clusterArn)).toList();
    }

    /** Like DynamoGrantStates: only the unchanged, granted, time-bound state that is not kept overdue. */
    @Override
    public synchronized boolean requeue(GrantState state) {
        String key = key(state.clusterArn(), state.principalArn(), state.policyArn());
        if (!state.equals(states.get(key)) || !state.granted() || state.expiresAt() == null
                || overdue.containsKey(key)) {
            return false;
        }
        revocationQueued.remove(key);
        return true;
    }

    public Set<String> queuedKeys() {
        return new HashSet<>(revocationQueued);
    }

    private static String key(String cluster, String principal, String policy) {
        return cluster + "|" + principal + "|" + policy;
    }
}
