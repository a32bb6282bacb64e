package dev.eksaccess.eks;

/** The cluster is in another account and no cross-account role is configured (CROSS_ACCOUNT_ROLE_NAME). */
public final class CrossAccountNotConfiguredException extends EksAccessException {

    private static final long serialVersionUID = 1L;

    public CrossAccountNotConfiguredException(String message) {
        super(message, null);
    }

    public CrossAccountNotConfiguredException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Not retryable: configuration, not the cluster, must change. */
    @Override
    public boolean retryable() {
        return false;
    }
}
