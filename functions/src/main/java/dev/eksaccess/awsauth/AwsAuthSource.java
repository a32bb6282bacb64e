package dev.eksaccess.awsauth;

import java.util.Optional;

/** Where aws-auth is read from: a cluster's Kubernetes API (or, for a plan made offline, a file). */
@FunctionalInterface
public interface AwsAuthSource {

    /**
     * The cluster's aws-auth, or empty when the cluster has none (nothing to migrate).
     *
     * @throws BrokenAwsAuthException       when it exists but cannot be read as aws-iam-authenticator reads it
     * @throws AwsAuthUnavailableException  when it cannot be fetched: the API server is out of reach, or refuses
     */
    Optional<AwsAuth> read(String cluster) throws BrokenAwsAuthException, AwsAuthUnavailableException;
}
