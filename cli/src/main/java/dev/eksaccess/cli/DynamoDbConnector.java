package dev.eksaccess.cli;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the DynamoDB client {@code status} and {@code pending} read the ledger with; the caller closes it. */
@FunctionalInterface
public interface DynamoDbConnector {

    /**
     * @param region   the region to sign for
     * @param endpoint an endpoint override (an emulator such as dynalite or LocalStack), or empty for the SDK's own
     *                 resolution (which also honours {@code AWS_ENDPOINT_URL_DYNAMODB})
     */
    DynamoDbClient connect(Region region, Optional<URI> endpoint);

    /** Credentials from the SDK's default chain, as {@link SqsConnector#defaultChain()}. */
    static DynamoDbConnector defaultChain() {
        return withCredentials(DefaultCredentialsProvider.builder().build());
    }

    /** A fixed credentials provider, for tests and emulators. */
    static DynamoDbConnector withCredentials(AwsCredentialsProvider credentials) {
        return (region, endpoint) -> AwsClients.build(DynamoDbClient.builder(), region, credentials, endpoint);
    }
}
