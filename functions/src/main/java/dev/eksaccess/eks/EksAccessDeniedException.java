package dev.eksaccess.eks;

/** The function's credentials may not make the call (403): a deployment problem, not a bad request. */
public final class EksAccessDeniedException extends EksAccessException {

    private static final long serialVersionUID = 1L;

    public EksAccessDeniedException(String message) {
        super(message, null);
    }

    public EksAccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Retryable: a deployment fixed meanwhile (its IAM policy) lets a retry succeed; if it stays broken, the dead-letter queue shows it. */
    @Override
    public boolean retryable() {
        return true;
    }
}
