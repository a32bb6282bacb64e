package dev.eksaccess.engine;

/**
 * The request cannot be applied now but may succeed later (cluster not ACTIVE yet, throttling, a 5xx, an outage):
 * the message goes back to the queue with a growing delay and ends in the dead-letter queue if it keeps failing.
 */
public final class RetryLaterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean nothingChanged;

    public RetryLaterException(String reason) {
        this(reason, null, false);
    }

    public RetryLaterException(String reason, Throwable cause) {
        this(reason, cause, false);
    }

    private RetryLaterException(String reason, Throwable cause, boolean nothingChanged) {
        super(reason, cause);
        this.nothingChanged = nothingChanged;
    }

    /** The same failure, known to have come before any change to EKS (while reading the cluster and the entry). */
    public RetryLaterException beforeAnyChange() {
        return nothingChanged ? this : new RetryLaterException(getMessage(), getCause(), true);
    }

    /** Whether EKS is certainly unchanged; false when the failed attempt may have changed something. */
    public boolean nothingChanged() {
        return nothingChanged;
    }
}
