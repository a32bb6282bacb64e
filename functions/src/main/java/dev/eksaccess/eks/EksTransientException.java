package dev.eksaccess.eks;

/** Throttling, a 5xx, or a network failure: the same call may succeed later. */
public final class EksTransientException extends EksAccessException {

    private static final long serialVersionUID = 1L;

    public EksTransientException(String message) {
        super(message, null);
    }

    public EksTransientException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Retryable: throttling, a 5xx or a network failure passes. */
    @Override
    public boolean retryable() {
        return true;
    }
}
