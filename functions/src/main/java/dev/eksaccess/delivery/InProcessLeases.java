package dev.eksaccess.delivery;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link PrincipalLeases} within one JVM: enough where every processor shares the process (the local sandbox, tests);
 * the deployed processor uses the DynamoDB ones, which span invocations.
 */
public final class InProcessLeases implements PrincipalLeases {

    private record Lease(String holder, Instant expiresAt) {
    }

    private final Map<String, Lease> leases = new HashMap<>();

    @Override
    public synchronized boolean tryAcquire(String clusterArn, String subject, String holder, Instant now,
                                           Instant expiresAt) {
        Lease current = leases.get(key(clusterArn, subject));
        if (current != null && current.expiresAt().isAfter(now)) {
            return false;
        }
        leases.put(key(clusterArn, subject), new Lease(holder, expiresAt));
        return true;
    }

    @Override
    public synchronized boolean release(String clusterArn, String subject, String holder) {
        Lease current = leases.get(key(clusterArn, subject));
        if (current == null || !current.holder().equals(holder)) {
            return false;
        }
        leases.remove(key(clusterArn, subject));
        return true;
    }

    /** The holder of a lease, expired or not; null when nobody holds it. */
    public synchronized String holder(String clusterArn, String subject) {
        Lease current = leases.get(key(clusterArn, subject));
        return current == null ? null : current.holder();
    }

    private static String key(String clusterArn, String subject) {
        return clusterArn + "|" + subject;
    }
}
