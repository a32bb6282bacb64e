package dev.eksaccess.delivery;

import dev.eksaccess.request.BootstrapRequest;
import java.time.Duration;

/**
 * How a bootstrap waits for its cluster to become ACTIVE: the grant processor sends the request to the grant queue
 * again, to be delivered after {@link #RECHECK}, and lets the message it received go.
 *
 * <p>Why a new message rather than a longer invisibility of the same one: SQS counts every receive of a message
 * towards the queue's {@code maxReceiveCount}, so a message kept for the 10 to 60 minutes a cluster takes would have
 * to be received rarely (the growing backoff, up to 15 minutes late) or would reach the dead-letter queue. A fresh
 * message starts at one receive: it is checked every {@link #RECHECK} for as long as the engine's bootstrap deadline
 * allows, at most two DescribeCluster calls a minute, and is seen at most that long after the cluster turns ACTIVE.
 * The copy is sent with the processor's own role, which is trusted for bootstrap messages like the cluster-creation
 * function's (a bootstrap names no principal; what it grants comes from configuration and the registry).
 */
@FunctionalInterface
public interface BootstrapWaits {

    /** How long a waiting bootstrap's copy stays invisible before it checks the cluster again. */
    Duration RECHECK = Duration.ofSeconds(30);

    /**
     * Sends {@code request} to the grant queue again, to be delivered after {@code delay}.
     *
     * @return the queue's id of the new message
     * @throws RuntimeException when it could not be sent: the message received is then retried as before, so
     *                          nothing is lost
     */
    String sendLater(BootstrapRequest request, Duration delay);

    /** For a processor that cannot send (no queue): every wait falls back to the retry backoff. */
    BootstrapWaits NONE = (request, delay) -> {
        throw new IllegalStateException("no queue to send a waiting bootstrap to");
    };
}
