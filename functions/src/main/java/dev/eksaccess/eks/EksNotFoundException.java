package dev.eksaccess.eks;

/** The cluster or access entry does not exist (404 ResourceNotFoundException). */
public final class EksNotFoundException extends EksAccessException {

    private static final long serialVersionUID = 1L;

    public EksNotFoundException(String message) {
        super(message, null);
    }

    public EksNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Not retryable: a missing cluster or entry does not appear by waiting. */
    @Override
    public boolean retryable() {
        return false;
    }
}
