package dev.eksaccess.engine;

/**
 * The request cannot be applied now but may succeed later (cluster not ACTIVE yet, throttling, a 5xx, an outage):
 * the message goes back to the queue with a growing delay and ends in the dead-letter queue if it keeps failing. A
 * bootstrap {@linkplain #waitingForCluster waiting for its cluster} is sent again instead (see the delivery package's
 * BootstrapWaits).
 */
public final class RetryLaterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean nothingChanged;
    private final boolean waitingForCluster;

    public RetryLaterException(String reason) {
        this(reason, null, false, false);
    }

    public RetryLaterException(String reason, Throwable cause) {
        this(reason, cause, false, false);
    }

    private RetryLaterException(String reason, Throwable cause, boolean nothingChanged, boolean waitingForCluster) {
        super(reason, cause);
        this.nothingChanged = nothingChanged;
        this.waitingForCluster = waitingForCluster;
    }

    /**
     * The cluster is on its way to ACTIVE (CREATING, UPDATING, PENDING): nothing is wrong, EKS answered, and only
     * time helps. A bootstrap waits for it by checking again every few seconds rather than with the growing backoff
     * meant for failures (see the delivery package's BootstrapWaits).
     */
    public static RetryLaterException waitingForCluster(String reason) {
        return new RetryLaterException(reason, null, false, true);
    }

    /** The same failure, known to have come before any change to EKS (while reading the cluster and the entry). */
    public RetryLaterException beforeAnyChange() {
        return nothingChanged ? this : new RetryLaterException(getMessage(), getCause(), true, waitingForCluster);
    }

    /** Whether this is a wait for a cluster on its way to ACTIVE rather than a failure. */
    public boolean waitingForCluster() {
        return waitingForCluster;
    }

    /** Whether EKS is certainly unchanged; false when the failed attempt may have changed something. */
    public boolean nothingChanged() {
        return nothingChanged;
    }
}
