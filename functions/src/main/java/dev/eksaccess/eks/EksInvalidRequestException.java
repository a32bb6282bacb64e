package dev.eksaccess.eks;

/** The cluster's state or mode does not allow the call (400 InvalidRequestException), e.g. CONFIG_MAP mode. */
public final class EksInvalidRequestException extends EksAccessException {

    private static final long serialVersionUID = 1L;

    public EksInvalidRequestException(String message) {
        super(message, null);
    }

    public EksInvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Not retryable: the cluster's mode or state must be changed first, which this call does not do. */
    @Override
    public boolean retryable() {
        return false;
    }
}
