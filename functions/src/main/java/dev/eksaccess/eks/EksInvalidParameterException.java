package dev.eksaccess.eks;

/** EKS refused a parameter (400 InvalidParameterException), e.g. a principal it does not accept. */
public final class EksInvalidParameterException extends EksAccessException {

    private static final long serialVersionUID = 1L;

    public EksInvalidParameterException(String message) {
        super(message, null);
    }

    public EksInvalidParameterException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Not retryable: the same parameters are refused again. */
    @Override
    public boolean retryable() {
        return false;
    }
}
