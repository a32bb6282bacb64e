package dev.eksaccess.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * Short-lived exclusive leases per cluster and principal, so that one request at a time reads the grant state,
 * changes EKS and writes the state back, even when several invocations of the processor run at once (an SQS event
 * source mapping scales out). Implementations turn an outage into an exception, never into "not acquired".
 */
public interface PrincipalLeases {

    /**
     * How long a lease lasts unless released: longer than the processor's timeout (60 s), so a holder that crashed
     * or timed out cannot block its principal for longer than a retry or two, and a live holder never loses it.
     */
    Duration DURATION = Duration.ofSeconds(90);

    /**
     * Takes the lease of {@code subject} (a principal ARN, or another name for cluster-wide work) on a cluster, if
     * nobody holds it or its holder's lease ended at or before {@code now}.
     *
     * @return whether {@code holder} holds it now, until {@code expiresAt}
     */
    boolean tryAcquire(String clusterArn, String subject, String holder, Instant now, Instant expiresAt);

    /**
     * Gives the lease back, only if {@code holder} still holds it (an expired lease may have been taken over).
     *
     * @return whether it was released (false: someone else holds it, or nobody does)
     */
    boolean release(String clusterArn, String subject, String holder);
}
