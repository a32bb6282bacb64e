package dev.eksaccess.delivery;

/** How the processing of one message ended, as recorded in the ledger. */
public enum Outcome {
    /** The change was made (or nothing needed to change). */
    APPLIED("applied"),
    /** The request was refused: invalid, unsafe, or not possible on this cluster; the reason says why. */
    REJECTED("rejected"),
    /** Nothing was done: a duplicate or a stale request. */
    IGNORED("ignored"),
    /** Held until approved: nothing applied yet. Its decision is recorded next to it once the request is decided. */
    PENDING_APPROVAL("pending-approval"),
    /** A transient failure; the message is retried and ends in the dead-letter queue if it keeps failing. */
    FAILED_TRANSIENT("failed-transient");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a redelivery of the request is a duplicate: it finished, or waits for approval. */
    public boolean isFinal() {
        return this != FAILED_TRANSIENT;
    }

    /** Whether a later record of the same request may supersede this one (both stay in the ledger). */
    public boolean isReplaceable() {
        return this == FAILED_TRANSIENT || this == PENDING_APPROVAL;
    }

    public static Outcome fromWire(String value) {
        for (Outcome outcome : values()) {
            if (outcome.wireName.equals(value)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown outcome " + value);
    }
}
