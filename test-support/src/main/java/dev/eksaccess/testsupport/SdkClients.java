package dev.eksaccess.testsupport;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds SDK clients pointed at a backend, with the same light URL-connection HTTP client the functions use in
 * Lambda, so integration tests exercise the production HTTP stack. Each call builds a new client that the caller
 * closes; {@link AwsBackend#sqs()} and {@link AwsBackend#dynamoDb()} give shared ones.
 */
public final class SdkClients {

    private SdkClients() {
    }

    public static SqsClient sqs(AwsBackend backend) {
        return SqsClient.builder()
                .endpointOverride(backend.sqsEndpoint())
                .region(backend.region())
                .credentialsProvider(backend.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public static DynamoDbClient dynamoDb(AwsBackend backend) {
        return DynamoDbClient.builder()
                .endpointOverride(backend.dynamoDbEndpoint())
                .region(backend.region())
                .credentialsProvider(backend.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
