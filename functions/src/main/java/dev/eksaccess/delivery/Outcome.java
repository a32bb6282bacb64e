package dev.eksaccess.delivery;

/** How the processing of one message ended, as recorded in the ledger. */
public enum Outcome {
    /** The change was made (or nothing needed to change). */
    APPLIED("applied"),
    /** The request was refused: invalid, unsafe, or not possible on this cluster; the reason says why. */
    REJECTED("rejected"),
    /** Nothing was done: a duplicate or a stale request. */
    IGNORED("ignored"),
    /** A transient failure; the message is retried and ends in the dead-letter queue if it keeps failing. */
    FAILED_TRANSIENT("failed-transient");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the request is finished: a redelivery of it is a duplicate. */
    public boolean isFinal() {
        return this != FAILED_TRANSIENT;
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
