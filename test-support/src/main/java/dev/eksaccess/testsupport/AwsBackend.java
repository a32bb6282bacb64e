package dev.eksaccess.testsupport;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Emulated SQS and DynamoDB reachable over real HTTP, for the real AWS SDK v2 clients.
 *
 * <p>Obtain one with {@link AwsBackends#start()} (the caller closes it) or, in JUnit 5 tests, as a parameter
 * through {@link EmulatedAws} (one per test JVM, closed when the run ends). Because a backend is shared, tests
 * name their queues and tables with {@link UniqueNames#unique(String)} rather than fixed names.
 */
public interface AwsBackend extends AutoCloseable {

    /** What is serving the APIs, e.g. {@code local (ElasticMQ + dynalite)}; shown in test output. */
    String name();

    /** Which emulators serve this backend. */
    BackendKind kind();

    /** Endpoint to override in SQS clients. */
    URI sqsEndpoint();

    /** Endpoint to override in DynamoDB clients. */
    URI dynamoDbEndpoint();

    /** Region the clients must sign for; queue ARNs carry it. */
    Region region();

    /** Fixed test credentials the emulators accept. */
    AwsCredentialsProvider credentials();

    /** An SQS client for this backend, shared and owned by it: do not close it. */
    SqsClient sqs();

    /** A DynamoDB client for this backend, shared and owned by it: do not close it. */
    DynamoDbClient dynamoDb();

    /**
     * Environment variables that point SDK clients built from the environment (such as the functions'
     * {@code AwsClients.fromEnvironment()}) at this backend, for code run as a separate process, e.g. in the sandbox:
     * region, credentials and the per-service endpoint variables the SDK reads.
     */
    default Map<String, String> sdkEnvironment() {
        var resolved = credentials().resolveCredentials();
        return Map.of(
                "AWS_REGION", region().id(),
                "AWS_ACCESS_KEY_ID", resolved.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", resolved.secretAccessKey(),
                "AWS_ENDPOINT_URL_SQS", sqsEndpoint().toString(),
                "AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint().toString());
    }

    /** Stops the emulators and closes the shared clients. */
    @Override
    void close();
}
