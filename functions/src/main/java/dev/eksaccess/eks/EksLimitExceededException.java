package dev.eksaccess.eks;

/** A quota is reached (ResourceLimitExceededException), e.g. 3,000 access entries per cluster. */
public final class EksLimitExceededException extends EksAccessException {

    private static final long serialVersionUID = 1L;

    public EksLimitExceededException(String message) {
        super(message, null);
    }

    public EksLimitExceededException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Not retryable: a quota such as 3,000 entries per cluster is not lifted by waiting. */
    @Override
    public boolean retryable() {
        return false;
    }
}
