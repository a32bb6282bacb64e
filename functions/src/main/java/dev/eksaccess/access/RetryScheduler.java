package dev.eksaccess.access;

import java.time.Duration;

/** Delays the next delivery of a message that failed transiently (SQS: ChangeMessageVisibility). */
@FunctionalInterface
public interface RetryScheduler {

    void retryAfter(String receiptHandle, Duration delay);

    /** Growing delays for the n-th receive: 30 s, 1 min, 2 min, ... capped at 15 min. */
    static Duration backoff(int receiveCount) {
        int exponent = Math.max(0, Math.min(receiveCount - 1, 10));
        Duration delay = FIRST_RETRY.multipliedBy(1L << exponent);
        return delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay;
    }

    Duration FIRST_RETRY = Duration.ofSeconds(30);
    Duration MAX_RETRY = Duration.ofMinutes(15);
}
