package dev.eksaccess.eks;

/**
 * A failed EKS call. The subtypes are the failure modes callers treat differently: a missing resource, a resource
 * in use, a bad parameter, a cluster in the wrong state or mode, a limit, a missing cross-account setup, denied
 * credentials, and a transient failure. The hierarchy is sealed, so a {@code switch} over it is checked for
 * exhaustiveness by the compiler, and each subtype answers {@link #retryable()} itself: the one definition of which
 * failures a later attempt of the same request can get past.
 */
public abstract sealed class EksAccessException extends RuntimeException
        permits EksNotFoundException, EksResourceInUseException, EksInvalidParameterException,
        EksInvalidRequestException, EksLimitExceededException, EksTransientException,
        CrossAccountNotConfiguredException, EksAccessDeniedException {

    private static final long serialVersionUID = 1L;

    protected EksAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same call may succeed later without anyone changing the request, the cluster or the configuration. */
    public abstract boolean retryable();
}
