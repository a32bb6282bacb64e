package dev.eksaccess.delivery;

import java.time.Duration;

/** Delays the next delivery of a message that failed transiently (SQS: ChangeMessageVisibility). */
@FunctionalInterface
public interface RetryScheduler {

    void retryAfter(String receiptHandle, Duration delay);

    /** Growing delays for the n-th receive: 30 s, 1 min, 2 min, ... capped at 15 min. */
    static Duration backoff(int receiveCount) {
        return doubling(FIRST_RETRY, MAX_RETRY, receiveCount);
    }

    /**
     * Delays for the n-th receive of a message that waited for another invocation's lease: 5 s, 10 s, 20 s, ...
     * capped at the lease's duration. A live holder finishes within seconds; the growing delays outlast the lease of
     * a holder that crashed within five receives, well before the queue dead-letters the message.
     */
    static Duration contentionBackoff(int receiveCount) {
        return doubling(FIRST_CONTENTION_RETRY, PrincipalLeases.DURATION, receiveCount);
    }

    private static Duration doubling(Duration first, Duration max, int receiveCount) {
        int exponent = Math.max(0, Math.min(receiveCount - 1, 10));
        Duration delay = first.multipliedBy(1L << exponent);
        return delay.compareTo(max) > 0 ? max : delay;
    }

    Duration FIRST_CONTENTION_RETRY = Duration.ofSeconds(5);
    Duration FIRST_RETRY = Duration.ofSeconds(30);
    Duration MAX_RETRY = Duration.ofMinutes(15);
}
