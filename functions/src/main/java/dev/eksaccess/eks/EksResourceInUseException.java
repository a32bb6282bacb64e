package dev.eksaccess.eks;

/** The resource exists already or is busy (409 ResourceInUseException), e.g. the principal already has an entry or another cluster update runs. */
public final class EksResourceInUseException extends EksAccessException {

    private static final long serialVersionUID = 1L;

    public EksResourceInUseException(String message) {
        super(message, null);
    }

    public EksResourceInUseException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Retryable: another update of the cluster ends, or the competing create is visible on the next read. */
    @Override
    public boolean retryable() {
        return true;
    }
}
