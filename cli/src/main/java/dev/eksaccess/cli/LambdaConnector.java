package dev.eksaccess.cli;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Builds the Lambda client {@code adopt} invokes the adoption function with; the caller closes it. */
@FunctionalInterface
public interface LambdaConnector {

    /**
     * @param region   the function's region
     * @param endpoint an endpoint override (an emulator), or empty for the SDK's own resolution (which also honours
     *                 {@code AWS_ENDPOINT_URL_LAMBDA})
     */
    LambdaClient connect(Region region, Optional<URI> endpoint);

    /** Credentials from the SDK's default chain. */
    static LambdaConnector defaultChain() {
        return withCredentials(DefaultCredentialsProvider.builder().build());
    }

    /** A fixed credentials provider, for tests and emulators. */
    static LambdaConnector withCredentials(AwsCredentialsProvider credentials) {
        return (region, endpoint) -> AwsClients.build(LambdaClient.builder(), region, credentials, endpoint);
    }
}
