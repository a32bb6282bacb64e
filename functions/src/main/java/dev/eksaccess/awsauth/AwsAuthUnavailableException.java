package dev.eksaccess.awsauth;

/**
 * aws-auth could not be fetched from the cluster: the message says why and what would fix it (the network path to a
 * private endpoint, an identity allowed to read it).
 */
public final class AwsAuthUnavailableException extends Exception {

    public AwsAuthUnavailableException(String message) {
        super(message);
    }

    public AwsAuthUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
