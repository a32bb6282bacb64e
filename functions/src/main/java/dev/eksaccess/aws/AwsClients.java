package dev.eksaccess.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.EksClientBuilder;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds the SDK clients the functions use, once per execution environment: the light URL-connection HTTP client
 * (smallest jar, fastest cold start), the region from {@code AWS_REGION}, and credentials from the Lambda
 * environment variables (skipping the default chain's probing of files and metadata endpoints).
 *
 * <p>Endpoints follow the SDK's own rules, so {@code AWS_ENDPOINT_URL} / {@code AWS_ENDPOINT_URL_<SERVICE>} point
 * the clients at emulators in the local sandbox.
 */
public final class AwsClients {

    private final Region region;
    private final SdkHttpClient httpClient;
    private final AwsCredentialsProvider credentials;

    private AwsClients(Region region, SdkHttpClient httpClient, AwsCredentialsProvider credentials) {
        this.region = region;
        this.httpClient = httpClient;
        this.credentials = credentials;
    }

    /** Clients for the Lambda environment: region from {@code AWS_REGION}, credentials from the environment. */
    public static AwsClients fromEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new dev.eksaccess.config.ConfigException("AWS_REGION is not set; expected an AWS region such as eu-west-1");
        }
        return new AwsClients(Region.of(region), UrlConnectionHttpClient.create(),
                EnvironmentVariableCredentialsProvider.create());
    }

    public Region region() {
        return region;
    }

    public EksClient eks() {
        return withEksRetries(EksClient.builder()).region(region).httpClient(httpClient)
                .credentialsProvider(credentials).build();
    }

    /**
     * How the EKS clients retry: the SDK's adaptive mode, which retries like the standard mode and, once EKS throttles,
     * also paces the client's own calls to the rate EKS lets through. Measured against the standard mode and a fixed
     * client-side limiter with a fleet of concurrent grant processors (docs/performance.md, "Throughput"): EKS
     * publishes no rate to configure a limiter with, and each Lambda instance's client adapts to its share of the
     * account's limit by itself.
     */
    public static final RetryMode EKS_RETRY_MODE = RetryMode.ADAPTIVE_V2;

    static EksClientBuilder withEksRetries(EksClientBuilder builder) {
        return builder.overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(EKS_RETRY_MODE)
                .build());
    }

    public SqsClient sqs() {
        return SqsClient.builder().region(region).httpClient(httpClient).credentialsProvider(credentials).build();
    }

    /** An SQS client built on first use, once; for a function that needs SQS only on some events. */
    public Supplier<SqsClient> sqsOnFirstUse() {
        return new Lazy<>(this::sqs);
    }

    public DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().region(region).httpClient(httpClient).credentialsProvider(credentials).build();
    }

    public StsClient sts() {
        return StsClient.builder().region(region).httpClient(httpClient).credentialsProvider(credentials).build();
    }

    /** EventBridge, for the outcome events. */
    public EventBridgeClient eventBridge() {
        return EventBridgeClient.builder().region(region).httpClient(httpClient).credentialsProvider(credentials)
                .build();
    }

    /** An EventBridge client built on first use, once. */
    public Supplier<EventBridgeClient> eventBridgeOnFirstUse() {
        return new Lazy<>(this::eventBridge);
    }

    /** IAM with the function's own credentials. */
    public IamClient iam() {
        return iam(credentials);
    }

    /**
     * IAM with the given credentials (for example a member account's assumed role). IAM is one global service per
     * partition, and the client is built for the function's region on purpose: the SDK's endpoint rules send every
     * region of a partition to that partition's IAM endpoint ({@code iam.amazonaws.com} signed for us-east-1,
     * {@code iam.cn-north-1.amazonaws.com.cn}, {@code iam.us-gov.amazonaws.com}), where {@code Region.AWS_GLOBAL}
     * would tie the client to the aws partition. {@code AWS_ENDPOINT_URL_IAM}, else {@code AWS_ENDPOINT_URL},
     * overrides the endpoint; requests are then signed for the function's region.
     */
    public IamClient iam(AwsCredentialsProvider credentials) {
        return IamClient.builder().region(region).httpClient(httpClient).credentialsProvider(credentials).build();
    }

    /** The shared HTTP client, for clients built elsewhere (for example with assumed-role credentials). */
    public SdkHttpClient httpClient() {
        return httpClient;
    }
}
