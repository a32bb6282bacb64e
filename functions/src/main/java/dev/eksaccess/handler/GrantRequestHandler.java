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
import dev.eksaccess.aws.DynamoPendingApprovals;
import dev.eksaccess.aws.DynamoRestoreHistory;
import dev.eksaccess.aws.EventBridgeOutcomes;
import dev.eksaccess.aws.IamPrincipalIds;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.authz.Authorizer;
import dev.eksaccess.authz.PrincipalIds;
import dev.eksaccess.authz.Senders;
import dev.eksaccess.config.Environment;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.contract.eligibility.Eligibility;
import dev.eksaccess.delivery.AccessControl;
import dev.eksaccess.delivery.AuditLedger;
import dev.eksaccess.delivery.BatchProcessor;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.delivery.InProcessLeases;
import dev.eksaccess.delivery.InboundMessage;
import dev.eksaccess.delivery.OutcomePublisher;
import dev.eksaccess.delivery.PendingApprovals;
import dev.eksaccess.delivery.PrincipalLeases;
import dev.eksaccess.delivery.RequestProcessor;
import dev.eksaccess.delivery.RestoreHistory;
import dev.eksaccess.delivery.RestoreLimit;
import dev.eksaccess.delivery.BootstrapWaits;
import dev.eksaccess.delivery.RetryScheduler;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.engine.AccessEngine;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import dev.eksaccess.registry.ClusterRegistry;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.RequestParser;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The grant-processor Lambda: grant, revoke and bootstrap requests from the grant queue. Parses the SQS batch,
 * delegates to the {@link BatchProcessor}, which logs a line per message, and reports only transient failures back to
 * SQS. An exception that escapes the batch is logged and rethrown: the whole batch comes back.
 *
 * <p>The no-argument constructor wires the real clients; tests and tools wire their own ports with {@link #builder}.
 */
public final class GrantRequestHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    static final String FUNCTION = SessionIdentity.GRANT_PROCESSOR;

    private final BatchProcessor batch;
    private final FunctionLog log;
    private final GrantProcessorPriming priming;

    /** Wires real clients from the Lambda environment, and registers for SnapStart priming. */
    public GrantRequestHandler() {
        this(fromEnvironment(AwsClients.fromEnvironment()));
        priming.register();
    }

    private GrantRequestHandler(Builder wiring) {
        RequestParser parser = new RequestParser(wiring.config.requestRules(wiring.homeRegion), wiring.clock);
        AccessEngine engine = new AccessEngine(wiring.eks, wiring.registry, wiring.config.bootstrapSettings());
        Authorizer authorizer = new Authorizer(wiring.config.eligibility().map(Eligibility::new),
                wiring.config.internalSenders(), engine::clusterTags);
        AccessControl control = new AccessControl(
                new Senders(authorizer.configuredSenders(), wiring.principalIds, wiring.clock), authorizer,
                wiring.pending, wiring.outcomes);
        this.batch = new BatchProcessor(parser, new RequestProcessor(engine, wiring.ledger, wiring.states,
                wiring.leases, wiring.clock, control, wiring.restoreHistory,
                new RestoreLimit(wiring.config.driftRestoreWindow())), wiring.retries, wiring.waits, BatchProcessor.DEFAULT_PARALLELISM);
        this.log = new FunctionLog(FUNCTION, wiring.clock, wiring.logSink);
        this.priming = new GrantProcessorPriming(parser, wiring.clock, wiring.preparation);
    }

    /**
     * A handler on the given ports: {@code config} and {@code homeRegion} (for requests naming a cluster by name)
     * here, the ports with {@code withX}.
     */
    public static Builder builder(GrantProcessorConfig config, String homeRegion) {
        return new Builder(config, homeRegion);
    }

    /**
     * The wiring the no-argument constructor uses, as a builder, for a tool that replaces one port of it (the
     * benchmarks' bound on the sender check's cost). Not registered for SnapStart priming.
     */
    public static Builder deployedWiring(AwsClients aws) {
        return fromEnvironment(aws);
    }

    /**
     * The deployed wiring. The SQS client only delays retried messages, which most invocations have none of: it is
     * built on first use, which keeps it out of the cold start (76 classes, one client build); SnapStart priming
     * builds it instead, the home account's IAM client, which the first message needs to learn the senders' ids
     * (the ids themselves are asked for after the restore, never kept in the snapshot), and the home region's EKS
     * client, which every request in that region uses (its build loads about 150 classes in a fresh JVM: the client
     * and every request model that verifying its bytecode loads). Then two read-only {@link PrimingCalls}: with them
     * the first message after a restore loads about 820 classes instead of 1,890 (benchmarks, {@code --only phases}).
     */
    private static Builder fromEnvironment(AwsClients aws) {
        GrantProcessorConfig config = GrantProcessorConfig.from(Environment.system());
        DynamoDbClient dynamo = aws.dynamoDb();
        Supplier<SqsClient> sqs = aws.sqsOnFirstUse();
        Clock clock = Clock.systemUTC();
        IamPrincipalIds principalIds = IamPrincipalIds.from(aws, config.homeAccountId(),
                config.crossAccountRoleName(), config.crossAccount().externalId());
        CrossAccountEks eks = CrossAccountEks.from(aws, config.homeAccountId(), config.crossAccountRoleName(),
                config.crossAccount().memberAccountsOrAny(), config.crossAccount().externalId());
        DynamoClusterRegistry registry = new DynamoClusterRegistry(dynamo, config.registryTable(), clock);
        Builder wiring = builder(config, aws.region().id())
                .withEks(eks)
                .withRegistry(registry)
                .withLedger(new DynamoLedger(dynamo, config.ledgerTable()))
                .withStates(new DynamoGrantStates(dynamo, config.ledgerTable()))
                .withLeases(new DynamoLeases(dynamo, config.ledgerTable()))
                .withRetries(new SqsRetryScheduler(sqs, config.grantQueueUrl()))
                .withBootstrapWaits(config.internalSenders().trustsOwnCopies()
                        ? new SqsBootstrapQueue(sqs, config.grantQueueUrl()) : BootstrapWaits.NONE)
                .withPrincipalIds(principalIds)
                .withPendingApprovals(new DynamoPendingApprovals(dynamo, config.ledgerTable()))
                .withRestoreHistory(new DynamoRestoreHistory(dynamo, config.ledgerTable()))
                .withClock(clock);
        config.outcomeBus().ifPresent(bus -> wiring.withOutcomes(
                new EventBridgeOutcomes(aws.eventBridgeOnFirstUse(), bus)));
        wiring.preparation = () -> {
            List<Object> built = List.of(sqs.get(), principalIds.clientOf(config.homeAccountId()),
                    eks.clientFor(aws.region().id()));
            // The first DynamoDB and IAM calls load their protocols' request paths (about 700 and 770 classes in a
            // fresh JVM): a registry read of a cluster that does not exist, and the id of one of the system's own
            // roles (iam:GetRole on them is granted), answers dropped.
            PrimingCalls.run(List.of(
                    () -> registry.find(PrimingCalls.absentClusterArn(aws.region().id())),
                    () -> config.internalSenders().arns().stream().findFirst().ifPresent(principalIds::uniqueIdOf)));
            return built;
        };
        return wiring;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        InvocationLog invocation = log.begin(context == null ? null : context.getAwsRequestId());
        try {
            List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
            List<String> failed = batch.process(records.stream().map(GrantRequestHandler::inbound).toList(),
                    invocation);
            return new SQSBatchResponse(failed.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
        } catch (RuntimeException e) {
            invocation.failed(e, true);
            throw e;
        }
    }

    GrantProcessorPriming priming() {
        return priming;
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

    /**
     * The grant processor's ports. Required: EKS, the registry, the ledger, the grant states, the retry scheduler, the
     * senders' IAM ids and the pending approvals. Defaults: no outcome events, leases that hold within this JVM (enough where every invocation runs in it, as in tests and the
     * sandbox; the deployed function uses DynamoDB's), the system clock in UTC, and standard output for the log.
     */
    public static final class Builder {

        private final GrantProcessorConfig config;
        private final String homeRegion;
        private EksAccessProvider eks;
        private ClusterRegistry registry;
        private AuditLedger ledger;
        private GrantStateStore states;
        private PrincipalLeases leases;
        private RetryScheduler retries;
        private BootstrapWaits waits = BootstrapWaits.NONE;
        private PrincipalIds principalIds;
        private PendingApprovals pending;
        private OutcomePublisher outcomes = OutcomePublisher.NONE;
        private Clock clock = Clock.systemUTC();
        private Consumer<String> logSink = FunctionLog.stdout();
        private Supplier<?> preparation = () -> null;
        private RestoreHistory restoreHistory = RestoreHistory.inProcess();

        /** Where restores are counted for the no-loop rule (default: within this JVM); the window is the config's. */
        public Builder withRestoreHistory(RestoreHistory history) {
            this.restoreHistory = Objects.requireNonNull(history, "history");
            return this;
        }

        private Builder(GrantProcessorConfig config, String homeRegion) {
            this.config = Objects.requireNonNull(config, "config");
            this.homeRegion = Objects.requireNonNull(homeRegion, "homeRegion");
        }

        /** EKS, per cluster (its account decides whether a role is assumed). */
        public Builder withEks(EksAccessProvider eks) {
            this.eks = eks;
            return this;
        }

        /** The cluster registry, whose bootstrap status the processor updates. */
        public Builder withRegistry(ClusterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** The audit ledger: one record per request. */
        public Builder withLedger(AuditLedger ledger) {
            this.ledger = ledger;
            return this;
        }

        /** The grant states: last applied request per policy, and expiries. */
        public Builder withStates(GrantStateStore states) {
            this.states = states;
            return this;
        }

        /** The per-principal leases; by default {@link InProcessLeases}. */
        public Builder withLeases(PrincipalLeases leases) {
            this.leases = leases;
            return this;
        }

        /** Delays a message to retry (SQS {@code ChangeMessageVisibility} when deployed). */
        public Builder withRetries(RetryScheduler retries) {
            this.retries = retries;
            return this;
        }

        /**
         * Sends a bootstrap that waits for its cluster to the grant queue again (SQS {@code SendMessage} with a delay
         * when deployed); by default none, and such a bootstrap waits with the retry backoff.
         */
        public Builder withBootstrapWaits(BootstrapWaits waits) {
            this.waits = Objects.requireNonNull(waits, "waits");
            return this;
        }

        /** IAM's unique ids of the configured senders (IAM GetRole / GetUser when deployed). */
        public Builder withPrincipalIds(PrincipalIds principalIds) {
            this.principalIds = principalIds;
            return this;
        }

        /** Grants held for approval. */
        public Builder withPendingApprovals(PendingApprovals pending) {
            this.pending = pending;
            return this;
        }

        /** Where outcome events go; by default nowhere ({@link OutcomePublisher#NONE}). */
        public Builder withOutcomes(OutcomePublisher outcomes) {
            this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
            return this;
        }

        /** The clock of requests, records and log lines; by default the system clock in UTC. */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Receives every log line; by default standard output ({@link FunctionLog#stdout()}). */
        public Builder withLogSink(Consumer<String> logSink) {
            this.logSink = Objects.requireNonNull(logSink, "logSink");
            return this;
        }

        /** @throws NullPointerException naming the first required port that was not given */
        public GrantRequestHandler build() {
            Objects.requireNonNull(eks, "eks: withEks(...) is required");
            Objects.requireNonNull(registry, "registry: withRegistry(...) is required");
            Objects.requireNonNull(ledger, "ledger: withLedger(...) is required");
            Objects.requireNonNull(states, "states: withStates(...) is required");
            Objects.requireNonNull(retries, "retries: withRetries(...) is required");
            Objects.requireNonNull(principalIds, "principalIds: withPrincipalIds(...) is required");
            Objects.requireNonNull(pending, "pending: withPendingApprovals(...) is required");
            if (leases == null) {
                leases = new InProcessLeases();
            }
            return new GrantRequestHandler(this);
        }
    }
}
