package dev.eksaccess.access;

/**
 * The request cannot be applied now but may succeed later (cluster not ACTIVE yet, throttling, a 5xx, an outage):
 * the message goes back to the queue with a growing delay and ends in the dead-letter queue if it keeps failing.
 */
public final class RetryLaterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RetryLaterException(String reason) {
        super(reason);
    }

    public RetryLaterException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
