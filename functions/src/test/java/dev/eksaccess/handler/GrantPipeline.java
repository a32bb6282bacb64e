package dev.eksaccess.handler;

import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoLeases;
import dev.eksaccess.aws.DynamoLedger;
import dev.eksaccess.aws.DynamoPendingApprovals;
import dev.eksaccess.aws.DynamoRestoreHistory;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.testing.EmulatedSenders;
import dev.eksaccess.testing.RecordingOutcomes;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.LockoutInvariants;
import dev.eksaccess.testsupport.QueuePair;
import dev.eksaccess.testsupport.SenderIdentities.Sender;
import dev.eksaccess.testsupport.SqsQueues;
import dev.eksaccess.testsupport.TestEksClients;
import dev.eksaccess.testsupport.UniqueNames;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * The grant pipeline of the handler integration tests, as deployed, on emulated AWS: the EKS emulator and a real SDK
 * client for it, the grant queue with its dead-letter queue (ElasticMQ), the ledger and registry tables (dynalite)
 * with the production adapters on them, and the senders ({@link EmulatedSenders}: roles in the IAM emulator whose
 * messages carry the SenderId SQS would set). {@link #processor()} wires a {@link GrantRequestHandler} to all of it
 * behind a {@link SqsLambdaPoller}, as one Lambda function instance; a test may wire several.
 *
 * <p>Started per test ({@link #start}); {@link #close()} first asserts the {@link LockoutInvariants} on the emulator,
 * excusing the clusters the test declared {@link #startedWithoutAdmin}, then stops what it started.
 */
public final class GrantPipeline implements AutoCloseable {

    /** The account of the processor, its queue and the tests' clusters. */
    public static final String ACCOUNT = "111122223333";
    public static final String REGION = "eu-west-1";

    public final EksEmulator emulator;
    /** A client with test credentials (a caller of every account): the processor's, or a person's by hand. */
    public final EksClient eksClient;
    public final QueuePair queue;
    public final String ledgerTable;
    public final String registryTable;
    public final DynamoLedger ledger;
    public final DynamoGrantStates states;
    public final DynamoClusterRegistry registry;
    public final DynamoPendingApprovals pending;
    public final EmulatedSenders senders;
    /** Every log line of every processor wired here. */
    public final List<String> logs = new CopyOnWriteArrayList<>();
    /** Every outcome event of every processor wired here. */
    public final RecordingOutcomes outcomes = new RecordingOutcomes();

    private final AwsBackend aws;
    private final Clock clock;
    private final Set<String> startedWithoutAdmin = ConcurrentHashMap.newKeySet();

    private GrantPipeline(AwsBackend aws, Clock clock, Settings settings) {
        this.aws = aws;
        this.clock = clock;
        emulator = EksEmulator.start(settings.eks());
        eksClient = settings.eksRetries() == null ? TestEksClients.eks(emulator.endpoint(), Region.of(REGION))
                : TestEksClients.eks(emulator.endpoint(), Region.of(REGION), settings.eksRetries());
        queue = SqsQueues.createWithDeadLetterQueue(aws.sqs(), UniqueNames.unique("grants"), settings.maxReceiveCount(),
                Duration.ofSeconds(30));
        ledgerTable = DynamoDbTables.createUnique(aws.dynamoDb(), "ledger", Tables.LEDGER);
        registryTable = DynamoDbTables.createUnique(aws.dynamoDb(), "registry", Tables.REGISTRY);
        ledger = new DynamoLedger(aws.dynamoDb(), ledgerTable);
        states = new DynamoGrantStates(aws.dynamoDb(), ledgerTable);
        registry = new DynamoClusterRegistry(aws.dynamoDb(), registryTable, clock);
        pending = new DynamoPendingApprovals(aws.dynamoDb(), ledgerTable);
        senders = EmulatedSenders.start(aws);
    }

    /**
     * Starts the emulator, creates the queues and tables and declares the senders, on {@code aws}, with adapters and
     * processors that tell time by {@code clock}; the caller closes it. The emulator's defaults, the SDK's retries, 3
     * receives before the dead-letter queue.
     */
    public static GrantPipeline start(AwsBackend aws, Clock clock) {
        return start(aws, clock, 3);
    }

    /** As {@link #start(AwsBackend, Clock)}, with {@code maxReceiveCount} receives before the dead-letter queue. */
    public static GrantPipeline start(AwsBackend aws, Clock clock, int maxReceiveCount) {
        return start(aws, clock, new Settings(EksEmulator.Options.defaults(), null, maxReceiveCount));
    }

    public static GrantPipeline start(AwsBackend aws, Clock clock, Settings settings) {
        return new GrantPipeline(Objects.requireNonNull(aws, "aws"), Objects.requireNonNull(clock, "clock"),
                settings);
    }

    /** {@code cluster} was made without any cluster admin: the invariants judge only the calls made on it. */
    public void startedWithoutAdmin(String cluster) {
        startedWithoutAdmin.add(cluster);
    }

    /** A grant processor on this pipeline: the sandbox's eligibility document, no admin grants, no mode switch. */
    Processor processor() {
        return new Processor();
    }

    @Override
    public void close() {
        try {
            LockoutInvariants.assertHold(emulator, startedWithoutAdmin);
        } finally {
            senders.close();
            eksClient.close();
            emulator.close();
        }
    }

    /**
     * What differs between pipelines; everything else is as deployed.
     *
     * @param eks             the emulator's options (its clock, delays)
     * @param eksRetries      the EKS client's retry mode; null for the SDK's default
     * @param maxReceiveCount receives of a message before the queue moves it to its dead-letter queue
     */
    public record Settings(EksEmulator.Options eks, RetryMode eksRetries, int maxReceiveCount) {

        public Settings {
            Objects.requireNonNull(eks, "eks");
        }
    }

    /** One grant processor (a Lambda function instance) on the pipeline, and what differs between them. */
    final class Processor {

        private EligibilityDocument document = TestSenders.document();
        private List<AdminGrant> admins = List.of();
        private boolean allowAuthModeSwitch;
        private EksAccessProvider eks = (cluster, actingFor) -> new SdkEksAccess(eksClient);
        private Sender defaultSender = senders.team;

        private Processor() {
        }

        /** The eligibility document, with the {@link TestSenders#INTERNAL} senders. */
        Processor authorizedBy(EligibilityDocument eligibility) {
            this.document = eligibility;
            return this;
        }

        /** The bootstrap's admin principals. */
        Processor admins(List<AdminGrant> grants) {
            this.admins = grants;
            return this;
        }

        Processor allowAuthModeSwitch(boolean allow) {
            this.allowAuthModeSwitch = allow;
            return this;
        }

        /** Its path to EKS; the pipeline's client otherwise. */
        Processor eks(EksAccessProvider provider) {
            this.eks = provider;
            return this;
        }

        /** Who sends with {@link SqsLambdaPoller#send(String)}; the team sender otherwise. */
        Processor defaultSender(Sender sender) {
            this.defaultSender = sender;
            return this;
        }

        /**
         * The processor behind a poller of the pipeline's queue. Its retries come back at once (the real backoff, 30 s
         * and more, through ChangeMessageVisibility, shortened to keep the tests fast).
         */
        SqsLambdaPoller poller() {
            GrantProcessorConfig config = new GrantProcessorConfig(ledgerTable, registryTable, queue.queueUrl(),
                    ACCOUNT, admins, false, allowAuthModeSwitch, Optional.empty(), AccessPolicies.DEFAULT_ALLOWED,
                    Duration.ofDays(7)).withAuthorization(document, TestSenders.INTERNAL);
            SqsRetryScheduler retries = new SqsRetryScheduler(aws.sqs(), queue.queueUrl());
            GrantRequestHandler handler = GrantRequestHandler.builder(config, REGION)
                    .withEks(eks).withRegistry(registry).withLedger(ledger).withStates(states)
                    .withLeases(new DynamoLeases(aws.dynamoDb(), ledgerTable))
                    .withRetries((receiptHandle, delay) -> retries.retryAfter(receiptHandle, Duration.ZERO))
                    .withPrincipalIds(senders.principalIds()).withPendingApprovals(pending)
                    .withRestoreHistory(new DynamoRestoreHistory(aws.dynamoDb(), ledgerTable))
                    .withOutcomes(outcomes).withClock(clock).withLogSink(logs::add).build();
            return new SqsLambdaPoller(aws.sqs(), queue.queueUrl(), handler, senders.identities(), defaultSender);
        }
    }
}
