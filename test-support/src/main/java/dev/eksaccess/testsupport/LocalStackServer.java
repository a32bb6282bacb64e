package dev.eksaccess.testsupport;

import java.net.URI;
import java.time.Duration;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in a container, serving SQS and DynamoDB on one endpoint. The image is pinned so runs are
 * reproducible; override it with {@value #IMAGE_PROPERTY} (newer LocalStack images may need
 * {@code LOCALSTACK_AUTH_TOKEN} in the environment, which is passed on when set).
 */
final class LocalStackServer implements RunningEmulator {

    static final String IMAGE_PROPERTY = "eksaccess.localstack.image";
    static final String DEFAULT_IMAGE = "localstack/localstack:4.4";

    private final LocalStackContainer container;
    private final Duration startupTime;

    private LocalStackServer(LocalStackContainer container, Duration startupTime) {
        this.container = container;
        this.startupTime = startupTime;
    }

    static LocalStackServer start() {
        long started = System.nanoTime();
        String image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(image))
                .withServices("sqs", "dynamodb");
        String authToken = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (authToken != null && !authToken.isBlank()) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", authToken);
        }
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw new EmulatorUnavailableException("LocalStack (" + image + ") did not start: " + e.getMessage(), e);
        }
        return new LocalStackServer(container, Duration.ofNanos(System.nanoTime() - started));
    }

    LocalStackContainer container() {
        return container;
    }

    @Override
    public String displayName() {
        return "LocalStack (" + container.getDockerImageName() + ")";
    }

    @Override
    public URI endpoint() {
        return container.getEndpoint();
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        container.close();
    }
}
