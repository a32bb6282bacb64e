package dev.eksaccess.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoLeases;
import dev.eksaccess.aws.DynamoLedger;
import dev.eksaccess.aws.DynamoPendingApprovals;
import dev.eksaccess.authz.Authorizer;
import dev.eksaccess.authz.PrincipalIds;
import dev.eksaccess.authz.Senders;
import dev.eksaccess.contract.eligibility.Eligibility;
import dev.eksaccess.delivery.AccessControl;
import dev.eksaccess.delivery.OutcomePublisher;
import dev.eksaccess.delivery.PendingApprovals;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.delivery.BatchProcessor;
import dev.eksaccess.delivery.InProcessLeases;
import dev.eksaccess.delivery.InboundMessage;
import dev.eksaccess.delivery.RequestProcessor;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.emulator.eks.Fault;
import dev.eksaccess.engine.AccessEngine;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.handler.GrantRequestHandler;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import dev.eksaccess.testsupport.LocalLambdaContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * Batch latency with a slow EKS: the grant processor handles one grant alone (the critical path of a request) and
 * then a full batch of independent grants (different principals), while the EKS emulator adds a fixed latency to every
 * call. Independent requests overlap, so the batch should take little longer than one request.
 *
 * <p>Three wirings, each timed for one request and for a batch: the handler as deployed with the real SDK adapters
 * (DynamoDB in dynalite, which answers one request at a time, so its own queueing adds to the batch); the same handler
 * with the DynamoDB ports in memory, so only the EKS latency remains; and a {@link BatchProcessor} whose parallelism
 * equals the batch size, in memory too, to show what the handler's parallelism costs.
 */
final class BatchLatency {

    /** One wiring's medians. */
    record Row(String wiring, Duration single, Duration batch) {

        double ratio() {
            return (double) batch.toNanos() / single.toNanos();
        }
    }

    /** Results, medians over the repetitions. */
    record Result(Duration latencyPerCall, int eksCallsPerRequest, int batchSize, List<Row> rows) {
    }

    private static final int WARM_UP_BATCHES = 5;

    /** Handles {@code size} new grants and returns how many failed. */
    private interface Wiring {
        int handle(List<InboundMessage> messages);
    }

    private final BenchEnvironment env;
    private final Map<String, Wiring> wirings = new LinkedHashMap<>();
    private final AtomicInteger applied = new AtomicInteger();
    private final AtomicInteger nextPrincipal = new AtomicInteger();

    BatchLatency(BenchEnvironment env) {
        this.env = env;
        Clock clock = Clock.systemUTC();
        EksClient eksClient = EksClient.builder().endpointOverride(env.eks().endpoint()).region(env.aws().region())
                .credentialsProvider(env.aws().credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        SdkEksAccess eks = new SdkEksAccess(eksClient);
        EksAccessProvider eksProvider = (cluster, actingFor) -> eks;
        GrantProcessorConfig config = new GrantProcessorConfig(BenchEnvironment.LEDGER_TABLE,
                BenchEnvironment.REGISTRY_TABLE, env.queueUrl(), env.account(),
                List.of(new AdminGrant(env.adminPrincipal(), AccessPolicies.CLUSTER_ADMIN)), false, false,
                Optional.empty(), AccessPolicies.DEFAULT_ALLOWED, RequestRules.DEFAULT_MAX_GRANT_DURATION)
                .withAuthorization(BenchAuthorization.document(env.account()),
                        BenchAuthorization.internalSenders(env.account()));
        PrincipalIds ids = BenchAuthorization.ids(env.account());
        var retries = new SqsRetryScheduler(env.aws().sqs(), env.queueUrl());
        Consumer<String> log = line -> {
            if (line.contains("\"outcome\":\"applied\"")) {
                applied.incrementAndGet();
            }
        };
        GrantRequestHandler deployed = GrantRequestHandler.builder(config, env.region()).withEks(eksProvider)
                .withRegistry(new DynamoClusterRegistry(env.aws().dynamoDb(), BenchEnvironment.REGISTRY_TABLE, clock))
                .withLedger(new DynamoLedger(env.aws().dynamoDb(), BenchEnvironment.LEDGER_TABLE))
                .withStates(new DynamoGrantStates(env.aws().dynamoDb(), BenchEnvironment.LEDGER_TABLE))
                .withLeases(new DynamoLeases(env.aws().dynamoDb(), BenchEnvironment.LEDGER_TABLE))
                .withRetries(retries).withPrincipalIds(ids)
                .withPendingApprovals(new DynamoPendingApprovals(env.aws().dynamoDb(), BenchEnvironment.LEDGER_TABLE))
                .withClock(clock).withLogSink(log).build();
        GrantRequestHandler dynamoInMemory = GrantRequestHandler.builder(config, env.region()).withEks(eksProvider)
                .withRegistry(new InMemoryPorts.NewClusterRegistry()).withLedger(new InMemoryPorts.LastRecordLedger())
                .withStates(new InMemoryPorts.NoGrantStates()).withRetries(retries).withPrincipalIds(ids)
                .withPendingApprovals(PendingApprovals.NONE).withClock(clock).withLogSink(log)
                .build();
        AccessEngine engine = new AccessEngine(eksProvider, new InMemoryPorts.NewClusterRegistry(),
                config.bootstrapSettings());
        Authorizer authorizer = new Authorizer(config.eligibility().map(Eligibility::new), config.internalSenders(),
                engine::clusterTags);
        AccessControl control = new AccessControl(new Senders(authorizer.configuredSenders(), ids, clock), authorizer,
                PendingApprovals.NONE, OutcomePublisher.NONE);
        BatchProcessor fullParallelism = new BatchProcessor(new RequestParser(config.requestRules(env.region()), clock),
                new RequestProcessor(engine, new InMemoryPorts.LastRecordLedger(),
                        new InMemoryPorts.NoGrantStates(), new InProcessLeases(), clock, control),
                retries, GrantQueueSettings.BATCH_SIZE);
        InvocationLog batchLog = new FunctionLog("grant-processor", clock, log).begin("bench");
        wirings.put("handler as deployed, DynamoDB in dynalite", viaHandler(deployed));
        wirings.put("handler as deployed, DynamoDB ports in memory", viaHandler(dynamoInMemory));
        wirings.put("parallelism " + GrantQueueSettings.BATCH_SIZE + " (= batch size), DynamoDB ports in memory",
                messages -> fullParallelism.process(messages, batchLog).size());
    }

    /** Warms up without latency, then measures with {@code latency} on every EKS call. */
    Result measure(Duration latency, int repetitions) {
        int batchSize = GrantQueueSettings.BATCH_SIZE;
        for (int i = 0; i < WARM_UP_BATCHES; i++) {
            wirings.values().forEach(wiring -> timed(wiring, batchSize));
        }
        env.eks().inject(Fault.latency(latency));
        try {
            env.eks().clearCalls();
            timed(wirings.values().iterator().next(), 1);
            int callsPerRequest = env.eks().calls().size();
            List<Row> rows = new ArrayList<>();
            wirings.forEach((name, wiring) -> {
                List<Duration> singles = new ArrayList<>();
                List<Duration> batches = new ArrayList<>();
                for (int i = 0; i < repetitions; i++) {
                    singles.add(timed(wiring, 1));
                    batches.add(timed(wiring, batchSize));
                }
                rows.add(new Row(name, ColdStart.median(singles), ColdStart.median(batches)));
            });
            return new Result(latency, callsPerRequest, batchSize, rows);
        } finally {
            env.eks().clearFaults();
        }
    }

    /** Feeds the messages to {@code handler} as the SQS event source mapping does. */
    private Wiring viaHandler(GrantRequestHandler handler) {
        LocalLambdaContext context = new LocalLambdaContext(
                LocalLambdaContext.functionArn(env.region(), env.account(), "grant-processor"), line -> { });
        return messages -> {
            SQSEvent event = new SQSEvent();
            event.setRecords(messages.stream().map(inbound -> {
                SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
                message.setMessageId(inbound.meta().messageId());
                message.setBody(inbound.body());
                message.setAttributes(Map.of("SentTimestamp", String.valueOf(inbound.meta().sentAt().toEpochMilli()),
                        "ApproximateReceiveCount", "1", "SenderId", inbound.meta().senderId()));
                return message;
            }).toList());
            SQSBatchResponse response = handler.handleRequest(event, context);
            return response.getBatchItemFailures().size();
        };
    }

    /** Runs {@code size} new grants through {@code wiring} and checks that every one was applied. */
    private Duration timed(Wiring wiring, int size) {
        List<InboundMessage> messages = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int n = nextPrincipal.incrementAndGet();
            String body = SampleInputs.grantBody(env.account(), BenchEnvironment.CLUSTER, "batch-" + n);
            messages.add(new InboundMessage(body,
                    new MessageMeta("batch-" + n, Instant.now(), BenchAuthorization.teamSenderId(), 1), null));
        }
        int appliedBefore = applied.get();
        long started = System.nanoTime();
        int failures = wiring.handle(messages);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (failures != 0 || applied.get() - appliedBefore != size) {
            throw new IllegalStateException("a benchmark batch of " + size + " grants was not applied in full: "
                    + failures + " failure(s), " + (applied.get() - appliedBefore) + " applied");
        }
        return took;
    }
}
