package dev.eksaccess.eks;

/**
 * A failed EKS call. The subtypes are the failure modes callers treat differently: a missing resource, a resource
 * in use, a bad parameter, a cluster in the wrong state or mode, a limit, and a transient failure worth retrying.
 */
public abstract sealed class EksAccessException extends RuntimeException
        permits EksNotFoundException, EksResourceInUseException, EksInvalidParameterException,
        EksInvalidRequestException, EksLimitExceededException, EksTransientException,
        CrossAccountNotConfiguredException, EksAccessDeniedException {

    private static final long serialVersionUID = 1L;

    protected EksAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
