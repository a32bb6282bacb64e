package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.CrossAccountEks;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoLeases;
import dev.eksaccess.aws.DynamoLedger;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.config.Environment;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.delivery.AuditLedger;
import dev.eksaccess.delivery.BatchProcessor;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.delivery.InProcessLeases;
import dev.eksaccess.delivery.InboundMessage;
import dev.eksaccess.delivery.PrincipalLeases;
import dev.eksaccess.delivery.RequestProcessor;
import dev.eksaccess.delivery.RetryScheduler;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.engine.AccessEngine;
import dev.eksaccess.registry.ClusterRegistry;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The grant-processor Lambda: grant, revoke and bootstrap requests from the grant queue. Parses the SQS batch,
 * delegates to the {@link BatchProcessor}, and reports only transient failures back to SQS.
 */
public final class GrantRequestHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

    /** A representative message for SnapStart priming: parsed only, never applied, so priming has no side effects. */
    static final String PRIMING_MESSAGE = "{\"action\":\"grant\",\"clusterName\":\"priming\","
            + "\"principalArn\":\"arn:aws:iam::000000000000:role/priming\",\"accessPolicy\":\"AmazonEKSViewPolicy\","
            + "\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[\"priming-*\"]},\"duration\":\"PT1H\"}";

    private final RequestParser parser;
    private final BatchProcessor batch;
    /** The client built on first use, which priming builds before the snapshot; nothing when wired by tests. */
    private final Supplier<?> builtOnFirstUse;

    /** Wires real clients from the Lambda environment, and registers for SnapStart priming. */
    public GrantRequestHandler() {
        this(AwsClients.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    private GrantRequestHandler(AwsClients aws) {
        this(aws, aws.sqsOnFirstUse());
    }

    private GrantRequestHandler(AwsClients aws, Supplier<SqsClient> sqs) {
        this(wire(aws, sqs), sqs);
    }

    /** Wires the given ports; the tests use this. */
    public GrantRequestHandler(GrantProcessorConfig config, String homeRegion, EksAccessProvider eks,
                               ClusterRegistry registry, AuditLedger ledger, GrantStateStore states,
                               PrincipalLeases leases, RetryScheduler retries, Clock clock, Consumer<String> log) {
        this.parser = new RequestParser(config.requestRules(homeRegion), clock);
        this.batch = new BatchProcessor(parser,
                new RequestProcessor(new AccessEngine(eks, registry, config.bootstrapSettings()), ledger, states,
                        leases, clock),
                retries, BatchProcessor.DEFAULT_PARALLELISM, log);
        this.builtOnFirstUse = () -> null;
    }

    /** Wires the given ports with leases that hold within this JVM: for setups where every invocation runs in it. */
    public GrantRequestHandler(GrantProcessorConfig config, String homeRegion, EksAccessProvider eks,
                               ClusterRegistry registry, AuditLedger ledger, GrantStateStore states,
                               RetryScheduler retries, Clock clock, Consumer<String> log) {
        this(config, homeRegion, eks, registry, ledger, states, new InProcessLeases(), retries, clock, log);
    }

    private GrantRequestHandler(GrantRequestHandler wired, Supplier<?> builtOnFirstUse) {
        this.parser = wired.parser;
        this.batch = wired.batch;
        this.builtOnFirstUse = builtOnFirstUse;
    }

    /**
     * The SQS client only delays retried messages, which most invocations have none of: it is built on first use,
     * which keeps it out of the cold start (76 classes, one client build); SnapStart priming builds it instead.
     */
    private static GrantRequestHandler wire(AwsClients aws, Supplier<SqsClient> sqs) {
        GrantProcessorConfig config = GrantProcessorConfig.from(Environment.system());
        DynamoDbClient dynamo = aws.dynamoDb();
        Clock clock = Clock.systemUTC();
        return new GrantRequestHandler(config, aws.region().id(),
                CrossAccountEks.from(aws, config.homeAccountId(), config.crossAccountRoleName()),
                new DynamoClusterRegistry(dynamo, config.registryTable(), clock),
                new DynamoLedger(dynamo, config.ledgerTable()),
                new DynamoGrantStates(dynamo, config.ledgerTable()),
                new DynamoLeases(dynamo, config.ledgerTable()),
                new SqsRetryScheduler(sqs, config.grantQueueUrl()),
                clock, System.out::println);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<String> failed = batch.process(records.stream().map(GrantRequestHandler::inbound).toList());
        return new SQSBatchResponse(failed.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
    }

    /**
     * Warms parsing and validation (Jackson, patterns, java.time) before the SnapStart snapshot, and builds the
     * clients otherwise built on first use, so a restored function has them; no I/O.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        builtOnFirstUse.get();
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("priming");
        message.setBody(PRIMING_MESSAGE);
        message.setAttributes(Map.of("SentTimestamp", String.valueOf(Instant.now().toEpochMilli())));
        InboundMessage inbound = inbound(message);
        if (parser.parse(inbound.body(), inbound.meta()) instanceof ParsedMessage.Access access) {
            access.request().toJson();
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients and credentials are resolved per call.
    }

    /** SQS attributes: SentTimestamp (epoch millis), SenderId, ApproximateReceiveCount. */
    static InboundMessage inbound(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes() == null ? Map.of() : message.getAttributes();
        long sentTimestamp = parseLong(attributes.get("SentTimestamp"));
        Instant sentAt = sentTimestamp > 0 ? Instant.ofEpochMilli(sentTimestamp) : Instant.now();
        int receiveCount = (int) Math.max(1, parseLong(attributes.get("ApproximateReceiveCount")));
        return new InboundMessage(message.getBody(),
                new MessageMeta(message.getMessageId(), sentAt, attributes.get("SenderId"), receiveCount),
                message.getReceiptHandle());
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
