package dev.eksaccess.eks;

/** The function's credentials may not make the call (EKS or STS 403): a deployment problem, not a bad request. */
public final class EksAccessDeniedException extends EksAccessException {

    private static final long serialVersionUID = 1L;

    public EksAccessDeniedException(String message) {
        super(message, null);
    }

    public EksAccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Not retryable: the deployment's permissions (the function's role, or the role it assumes in a member account)
     * are wrong, and an hour of retries only delays the person who must fix them. The request is rejected at once
     * as a configuration error, which raises the alarm; it can be sent again once the permissions are fixed.
     */
    @Override
    public boolean retryable() {
        return false;
    }
}
