package dev.eksaccess.testsupport;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * ElasticMQ (emulated SQS) inside this JVM, on a free loopback port. It speaks the AWS JSON protocol the current SDK
 * uses, and honours redrive policies, visibility timeouts, message attributes and batch receives.
 */
final class ElasticMqServer implements RunningEmulator {

    private static final String HOST = "127.0.0.1";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * ElasticMQ ships Pekko at DEBUG level; a test run needs only its warnings. Owning the actor system keeps this
     * setting local to the emulator instead of a JVM-wide system property.
     */
    private static final String QUIET_PEKKO = """
            pekko.loglevel = WARNING
            pekko.stdout-loglevel = WARNING
            pekko.log-dead-letters = off
            """;

    private final ActorSystem actorSystem;
    private final SQSRestServer server;
    private final URI endpoint;
    private final Duration startupTime;

    private ElasticMqServer(ActorSystem actorSystem, SQSRestServer server, URI endpoint, Duration startupTime) {
        this.actorSystem = actorSystem;
        this.server = server;
        this.endpoint = endpoint;
        this.startupTime = startupTime;
    }

    /** Starts ElasticMQ with queue ARNs in {@code region} and waits until it is bound. */
    static ElasticMqServer start(Region region) {
        long started = System.nanoTime();
        Config config = ConfigFactory.parseString(QUIET_PEKKO)
                .withFallback(ConfigFactory.load(ElasticMqServer.class.getClassLoader()));
        ActorSystem actorSystem = ActorSystem.create("elasticmq", config, ElasticMqServer.class.getClassLoader());
        try {
            SQSRestServer server = SQSRestServerBuilder
                    .withActorSystem(actorSystem)
                    .withInterface(HOST)
                    .withDynamicPort()
                    .withAWSRegion(region.id())
                    .start();
            int port = server.waitUntilStarted().localAddress().getPort();
            return new ElasticMqServer(actorSystem, server, URI.create("http://" + HOST + ":" + port),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (Exception e) {
            // Scala code can throw checked exceptions (a BindException from the binding future) undeclared.
            terminate(actorSystem);
            throw new EmulatorUnavailableException("ElasticMQ (emulated SQS) did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public String displayName() {
        return "ElasticMQ";
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        try {
            server.stopAndWait();
        } finally {
            terminate(actorSystem);
        }
    }

    /** ElasticMQ leaves an actor system it was given running, so the owner stops it. */
    private static void terminate(ActorSystem actorSystem) {
        actorSystem.terminate();
        try {
            actorSystem.getWhenTerminated().toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The HTTP binding is already closed; a slow actor-system shutdown should not fail the test run.
        }
    }
}
