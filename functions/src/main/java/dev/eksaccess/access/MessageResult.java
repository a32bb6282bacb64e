package dev.eksaccess.access;

/** How one queue message ended; {@link #retry()} tells the handler to report it as a batch item failure. */
public record MessageResult(String requestId, Outcome outcome, String reason) {

    public boolean retry() {
        return outcome == Outcome.FAILED_TRANSIENT;
    }
}
