package dev.eksaccess.testsupport;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Starts an emulated AWS backend: LocalStack where a Docker engine answers, ElasticMQ + dynalite otherwise, or
 * whichever {@code -D}{@value BackendChoice#PROPERTY} forces. Each start takes seconds (Pekko, Node.js or a
 * container), so tests share one backend per JVM through {@link EmulatedAws}.
 */
public final class AwsBackends {

    /** Region every backend signs for; queue ARNs carry it. */
    public static final Region REGION = Region.US_EAST_1;

    private static final String LOCAL_ACCESS_KEY = "test";
    private static final String LOCAL_SECRET_KEY = "test";

    private static volatile Boolean dockerAvailable;

    private AwsBackends() {
    }

    /** Starts the backend {@code -D}{@value BackendChoice#PROPERTY} asks for ({@code auto} when unset). */
    public static AwsBackend start() {
        return start(BackendChoice.fromSystemProperty());
    }

    /**
     * Starts the backend {@code choice} resolves to. The caller closes it.
     *
     * @throws EmulatorUnavailableException naming what is missing (Node.js, dynalite, Docker) and how to fix it
     */
    public static AwsBackend start(BackendChoice choice) {
        return switch (choice.resolve(AwsBackends::dockerAvailable)) {
            case LOCAL -> startLocal(NodeTooling.locate());
            case LOCALSTACK -> startLocalStack();
        };
    }

    /**
     * Whether a Docker engine answers, asked once per JVM. Testcontainers only tries the configured or well-known
     * sockets, so on a machine without Docker this answers in well under a second.
     */
    public static boolean dockerAvailable() {
        Boolean known = dockerAvailable;
        if (known == null) {
            known = DockerClientFactory.instance().isDockerAvailable();
            dockerAvailable = known;
        }
        return known;
    }

    /**
     * ElasticMQ and dynalite start in parallel: one is JVM work, the other a separate Node process, so together
     * they take about as long as the slower one.
     */
    private static StartedBackend startLocal(NodeTooling tooling) {
        CompletableFuture<DynaliteServer> dynalite = CompletableFuture.supplyAsync(() -> DynaliteServer.start(tooling));
        ElasticMqServer elasticMq;
        try {
            elasticMq = ElasticMqServer.start(REGION);
        } catch (RuntimeException e) {
            dynalite.thenAccept(DynaliteServer::close);
            throw e;
        }
        DynaliteServer dynaliteServer;
        try {
            dynaliteServer = dynalite.join();
        } catch (CompletionException e) {
            elasticMq.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return started(BackendKind.LOCAL, "local (ElasticMQ + dynalite)", elasticMq.endpoint(),
                dynaliteServer.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY)),
                List.of(elasticMq, dynaliteServer));
    }

    private static StartedBackend startLocalStack() {
        LocalStackServer localStack = LocalStackServer.start();
        return started(BackendKind.LOCALSTACK, "localstack", localStack.endpoint(), localStack.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        localStack.container().getAccessKey(), localStack.container().getSecretKey())),
                List.of(localStack));
    }

    /** Prints one line per start, so slow starts are visible in test output. */
    private static StartedBackend started(BackendKind kind, String name, URI sqsEndpoint, URI dynamoDbEndpoint,
            AwsCredentialsProvider credentials, List<RunningEmulator> emulators) {
        System.out.println("[test-support] emulated AWS, " + name + ": " + emulators.stream()
                .map(emulator -> emulator.displayName() + " at " + emulator.endpoint() + " started in "
                        + emulator.startupTime().toMillis() + " ms")
                .collect(Collectors.joining(", ")));
        return new StartedBackend(kind, name, sqsEndpoint, dynamoDbEndpoint, REGION, credentials, emulators);
    }
}
