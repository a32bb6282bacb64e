package dev.eksaccess.cli;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the SQS client the CLI sends with; the caller closes it. */
@FunctionalInterface
public interface SqsConnector {

    /**
     * @param region   the region to sign for
     * @param endpoint an endpoint override (an emulator such as LocalStack), or empty for the SDK's own resolution
     *                 (which also honours {@code AWS_ENDPOINT_URL_SQS})
     */
    SqsClient connect(Region region, Optional<URI> endpoint);

    /** Credentials from the SDK's default chain: system properties, environment, web identity, profiles, SSO, ... */
    static SqsConnector defaultChain() {
        return withCredentials(DefaultCredentialsProvider.builder().build());
    }

    /** A fixed credentials provider, for tests and emulators. */
    static SqsConnector withCredentials(AwsCredentialsProvider credentials) {
        return (region, endpoint) -> AwsClients.build(SqsClient.builder(), region, credentials, endpoint);
    }
}
