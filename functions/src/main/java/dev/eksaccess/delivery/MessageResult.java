package dev.eksaccess.delivery;

/**
 * How one queue message ended; {@link #retry()} tells the handler to report it as a batch item failure.
 *
 * @param contended the message waits for another invocation working on the same cluster and principal: it is
 *                  retried after a short delay, not after the growing backoff meant for EKS and cluster trouble
 */
public record MessageResult(String requestId, Outcome outcome, String reason, boolean contended) {

    public MessageResult(String requestId, Outcome outcome, String reason) {
        this(requestId, outcome, reason, false);
    }

    public boolean retry() {
        return outcome == Outcome.FAILED_TRANSIENT;
    }
}
