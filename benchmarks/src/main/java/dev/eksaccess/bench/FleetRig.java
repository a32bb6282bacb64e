package dev.eksaccess.bench;

import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoLeases;
import dev.eksaccess.aws.DynamoLedger;
import dev.eksaccess.aws.DynamoPendingApprovals;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.eks.RateLimit;
import dev.eksaccess.emulator.eks.RecordedCall;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.handler.ExpirySweepHandler;
import dev.eksaccess.handler.GrantRequestHandler;
import dev.eksaccess.request.RequestRules;
import dev.eksaccess.testsupport.EventSourceMappingPoller;
import dev.eksaccess.testsupport.LocalLambdaContext;
import dev.eksaccess.testsupport.SenderIdentities;
import dev.eksaccess.testsupport.QueuePair;
import dev.eksaccess.testsupport.SqsQueues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.EksClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The grant processor as deployed, several times over: a grant queue with its dead-letter queue (the CDK app's
 * redrive), {@code instances} concurrent "Lambda instances", each a {@link GrantRequestHandler} with its own EKS client
 * fed by its own {@link EventSourceMappingPoller} (batches of {@value GrantQueueSettings#BATCH_SIZE}, the batching
 * window), DynamoDB ledger, grant states and leases in dynalite, and an EKS emulator of its own with {@code clusters}
 * ACTIVE clusters and an optional request-rate limit. Senders are real SQS senders ({@link SenderIdentities}), so the
 * processor authorizes every message by its SenderId. Records when each message reached a final outcome.
 */
final class FleetRig implements AutoCloseable {

    /** An instance's EKS client: the builder is pointed at the emulator already; the mode adds its retry setting. */
    interface EksClients {
        EksClient build(EksClientBuilder builder, int instance);
    }

    /** One message sent: its id and when the send was made. */
    record Sent(String messageId, Instant at) {
    }

    /** One message's final outcome and when the processor logged it. */
    record Final(String outcome, Instant at) {
    }

    static final String SWEEP_SESSION = "sweep";
    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\":\"([^\"]+)\"");
    private static final Pattern OUTCOME = Pattern.compile("\"outcome\":\"([^\"]+)\"");

    private final BenchEnvironment env;
    private final EksEmulator eks;
    private final QueuePair queue;
    private final SenderIdentities senders;
    private final List<String> clusters = new ArrayList<>();
    private final List<EventSourceMappingPoller> pollers = new ArrayList<>();
    private final List<EksClient> eksClients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Final> finals = new ConcurrentHashMap<>();
    private final AtomicInteger transientFailures = new AtomicInteger();
    private final List<Double> invocationMillis = Collections.synchronizedList(new ArrayList<>());
    private final GrantProcessorConfig config;
    private final ApiCounter dynamoCalls = new ApiCounter();
    private final ApiCounter sqsCalls = new ApiCounter();
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;

    FleetRig(BenchEnvironment env, String name, RateLimit limit, int clusterCount, int instances,
             EksClients eksClients) {
        this.env = env;
        this.eks = EksEmulator.start(EksEmulator.Options.defaults().withRateLimit(limit));
        this.queue = SqsQueues.createWithDeadLetterQueue(env.aws().sqs(), "fleet-" + name,
                GrantQueueSettings.MAX_RECEIVE_COUNT, Duration.ofMinutes(2));
        this.senders = SenderIdentities.start(env.aws());
        // The rig's own clients, counted: what the deployed functions and the event source mapping would pay for.
        this.dynamo = DynamoDbClient.builder().endpointOverride(env.aws().dynamoDbEndpoint())
                .region(env.aws().region()).credentialsProvider(env.aws().credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(dynamoCalls)).build();
        this.sqs = SqsClient.builder().endpointOverride(env.aws().sqsEndpoint())
                .region(env.aws().region()).credentialsProvider(env.aws().credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(sqsCalls)).build();
        for (int i = 0; i < clusterCount; i++) {
            String cluster = String.format("fleet-%02d", i);
            eks.createCluster(ClusterSpec.builder(cluster).accountId(env.account()).region(env.region())
                    .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP).activationDelay(Duration.ZERO).build());
            clusters.add(cluster);
        }
        this.config = new GrantProcessorConfig(BenchEnvironment.LEDGER_TABLE, BenchEnvironment.REGISTRY_TABLE,
                queue.queueUrl(), env.account(),
                List.of(new AdminGrant(env.adminPrincipal(), AccessPolicies.CLUSTER_ADMIN)), false, false,
                Optional.empty(), AccessPolicies.DEFAULT_ALLOWED, RequestRules.DEFAULT_MAX_GRANT_DURATION)
                .withAuthorization(BenchAuthorization.document(env.account()),
                        BenchAuthorization.internalSenders(env.account()));
        Clock clock = Clock.systemUTC();
        for (int i = 0; i < instances; i++) {
            EksClient client = eksClients.build(EksClient.builder().endpointOverride(eks.endpoint())
                    .region(env.aws().region()).credentialsProvider(env.aws().credentials())
                    .httpClient(UrlConnectionHttpClient.create()), i);
            this.eksClients.add(client);
            SdkEksAccess access = new SdkEksAccess(client);
            GrantRequestHandler handler = GrantRequestHandler.builder(config, env.region())
                    .withEks((cluster, actingFor) -> access)
                    .withRegistry(new DynamoClusterRegistry(dynamo, BenchEnvironment.REGISTRY_TABLE, clock))
                    .withLedger(new DynamoLedger(dynamo, BenchEnvironment.LEDGER_TABLE))
                    .withStates(new DynamoGrantStates(dynamo, BenchEnvironment.LEDGER_TABLE))
                    .withLeases(new DynamoLeases(dynamo, BenchEnvironment.LEDGER_TABLE))
                    .withRetries(new SqsRetryScheduler(sqs, queue.queueUrl()))
                    .withPrincipalIds(BenchAuthorization.ids(env.account()))
                    .withPendingApprovals(new DynamoPendingApprovals(dynamo, BenchEnvironment.LEDGER_TABLE))
                    .withClock(clock).withLogSink(this::observe).build();
            String functionArn = LocalLambdaContext.functionArn(env.region(), env.account(), "grant-processor");
            RequestHandler<SQSEvent, SQSBatchResponse> timed = (event, context) -> {
                long started = System.nanoTime();
                try {
                    return handler.handleRequest(event, context);
                } finally {
                    invocationMillis.add((System.nanoTime() - started) / 1_000_000.0);
                }
            };
            pollers.add(new EventSourceMappingPoller(sqs, queue.queueUrl(), timed,
                    GrantQueueSettings.BATCH_SIZE, GrantQueueSettings.MAX_BATCHING_WINDOW,
                    () -> new LocalLambdaContext(functionArn, line -> { }), senders));
        }
    }

    /** Starts every instance's poller. */
    FleetRig start() {
        for (int i = 0; i < pollers.size(); i++) {
            EventSourceMappingPoller poller = pollers.get(i);
            Thread thread = Thread.ofPlatform().name("fleet-instance-" + i).daemon().start(() -> {
                while (running.get()) {
                    poller.pollOnce(Duration.ofSeconds(1));
                }
            });
            threads.add(thread);
        }
        return this;
    }

    List<String> clusters() {
        return clusters;
    }

    EksEmulator eks() {
        return eks;
    }

    SenderIdentities.Sender team() {
        return senders.roleSession(BenchAuthorization.TEAM_ROLE_ID, BenchAuthorization.SESSION);
    }

    SenderIdentities.Sender sender(String roleId, String session) {
        return senders.roleSession(roleId, session);
    }

    /** The rig's DynamoDB requests (the processors' and the sweep's). */
    ApiCounter dynamoCalls() {
        return dynamoCalls;
    }

    /** The rig's SQS requests: the pollers' receives and deletes, the processors' visibility changes. */
    ApiCounter sqsCalls() {
        return sqsCalls;
    }

    /** The real expiry sweep, sending as the sweep's role, with its own clock. */
    ExpirySweepHandler sweep(Clock clock, Consumer<String> log) {
        SenderIdentities.Sender sweeper = senders.roleSession(BenchAuthorization.SWEEP_ROLE_ID, SWEEP_SESSION);
        return new ExpirySweepHandler(new DynamoGrantStates(dynamo, BenchEnvironment.LEDGER_TABLE),
                new DynamoPendingApprovals(dynamo, BenchEnvironment.LEDGER_TABLE),
                new SqsGrantQueue(sweeper.sqs(), queue.queueUrl()), clock, log);
    }

    /** Sends the bodies in batches of ten as {@code sender}. */
    List<Sent> send(SenderIdentities.Sender sender, List<String> bodies) {
        List<Sent> sent = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - from))
                        .messageBody(bodies.get(i)).build());
            }
            Instant at = Instant.now();
            var result = sender.sqs().sendMessageBatch(r -> r.queueUrl(queue.queueUrl()).entries(entries));
            if (!result.failed().isEmpty()) {
                throw new IllegalStateException("could not send: " + result.failed());
            }
            result.successful().forEach(ok -> sent.add(new Sent(ok.messageId(), at)));
        }
        return sent;
    }

    /** Waits until every message has a final outcome; false after {@code timeout}. */
    boolean awaitFinal(Collection<String> messageIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (finals.keySet().containsAll(messageIds)) {
                return true;
            }
            sleep(Duration.ofMillis(100));
        }
        return false;
    }

    Optional<Final> finalOf(String messageId) {
        return Optional.ofNullable(finals.get(messageId));
    }

    /** Messages in the dead-letter queue now. */
    int deadLetters() {
        Map<QueueAttributeName, String> attributes = env.aws().sqs().getQueueAttributes(r -> r
                .queueUrl(queue.deadLetterQueueUrl()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** EKS calls answered 429 by the rate limit. */
    long throttledCalls() {
        return eks.calls().stream().filter(call -> call.status() == 429).count();
    }

    /** EKS calls the rate limit let through. */
    long admittedCalls() {
        return eks.calls().stream().filter(call -> call.status() != 429).count();
    }

    List<RecordedCall> eksCalls() {
        return eks.calls();
    }

    int transientFailures() {
        return transientFailures.get();
    }

    /** How long each invocation of a handler took, milliseconds: what Lambda bills (rounded up to 1 ms). */
    List<Double> invocationMillis() {
        synchronized (invocationMillis) {
            return List.copyOf(invocationMillis);
        }
    }

    private void observe(String line) {
        Matcher outcome = OUTCOME.matcher(line);
        Matcher id = MESSAGE_ID.matcher(line);
        if (!outcome.find() || !id.find()) {
            return;
        }
        String value = outcome.group(1);
        if (value.equals("failed-transient")) {
            transientFailures.incrementAndGet();
            return;
        }
        finals.putIfAbsent(id.group(1), new Final(value, Instant.now()));
    }

    static Duration percentile(List<Duration> sorted, double p) {
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        eksClients.forEach(EksClient::close);
        dynamo.close();
        sqs.close();
        senders.close();
        eks.close();
    }
}
