package dev.eksaccess.testsupport;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds SDK clients pointed at a backend or at the {@link IamEmulator}, with the same light URL-connection HTTP
 * client the functions use in Lambda, so integration tests exercise the production HTTP stack. Each call builds a new
 * client that the caller closes; {@link AwsBackend#sqs()} and {@link AwsBackend#dynamoDb()} give shared ones.
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

    /**
     * A builder for an IAM client on {@code emulator} that acts in {@code accountId}; build it as it is (the SDK's
     * default retries, as in Lambda) or change it first. The region only names the signing scope.
     */
    public static IamClientBuilder iamBuilder(IamEmulator emulator, String accountId) {
        return IamClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(emulator.credentials(accountId))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }
}
