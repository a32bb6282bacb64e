package dev.eksaccess.testsupport;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A running backend: its endpoints, the emulators behind them and the shared clients it hands out. */
final class StartedBackend implements AwsBackend {

    private final BackendKind kind;
    private final String name;
    private final URI sqsEndpoint;
    private final URI dynamoDbEndpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    /** In start order; closed in reverse. */
    private final List<RunningEmulator> emulators;

    private SqsClient sqs;
    private DynamoDbClient dynamoDb;
    private boolean closed;

    StartedBackend(BackendKind kind, String name, URI sqsEndpoint, URI dynamoDbEndpoint, Region region,
            AwsCredentialsProvider credentials, List<RunningEmulator> emulators) {
        this.kind = kind;
        this.name = name;
        this.sqsEndpoint = sqsEndpoint;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.region = region;
        this.credentials = credentials;
        this.emulators = List.copyOf(emulators);
    }

    @Override
    public BackendKind kind() {
        return kind;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    @Override
    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    @Override
    public Region region() {
        return region;
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    @Override
    public synchronized SqsClient sqs() {
        ensureOpen();
        if (sqs == null) {
            sqs = SdkClients.sqs(this);
        }
        return sqs;
    }

    @Override
    public synchronized DynamoDbClient dynamoDb() {
        ensureOpen();
        if (dynamoDb == null) {
            dynamoDb = SdkClients.dynamoDb(this);
        }
        return dynamoDb;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> toClose = new ArrayList<>();
        toClose.add(sqs);
        toClose.add(dynamoDb);
        toClose.addAll(emulators.reversed());
        closeAll(toClose);
        System.out.println("[test-support] emulated AWS, " + name + ": stopped");
    }

    @Override
    public String toString() {
        return name + " [sqs=" + sqsEndpoint + ", dynamodb=" + dynamoDbEndpoint + "]";
    }

    /** Closes every resource even when one fails, then reports the first failure with the others suppressed. */
    static void closeAll(List<? extends AutoCloseable> resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Could not stop the emulated AWS backend cleanly", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
    }
}
