package dev.eksaccess.sandbox;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.aws.CrossAccountEks;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoLedger;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.creation.CloudTrailEventParser;
import dev.eksaccess.creation.ClusterCreated;
import dev.eksaccess.creation.CreateClusterCall;
import dev.eksaccess.creation.MalformedEventException;
import dev.eksaccess.delivery.RetryScheduler;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSnapshot;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.ClusterStatus;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.handler.ClusterCreatedHandler;
import dev.eksaccess.handler.ExpirySweepHandler;
import dev.eksaccess.handler.GrantRequestHandler;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.RequestRules;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.AwsBackends;
import dev.eksaccess.testsupport.BackendChoice;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EventSourceMappingPoller;
import dev.eksaccess.testsupport.LocalLambdaContext;
import dev.eksaccess.testsupport.QueuePair;
import dev.eksaccess.testsupport.SqsQueues;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The whole flow on one machine: emulated SQS and DynamoDB (test-support's harness), the EKS emulator, and both
 * functions in this JVM, wired as AWS wires them.
 * <ul>
 *   <li>Events go through the CDK app's rule pattern (Event Ruler) to {@link ClusterCreatedHandler}; a CreateCluster
 *       that succeeded first makes the cluster exist in the EKS emulator, CREATING and then ACTIVE after
 *       {@link Options#clusterDelay()}.</li>
 *   <li>The grant queue and its dead-letter queue have the CDK app's {@link GrantQueueSettings}, and an
 *       {@link EventSourceMappingPoller} feeds {@link GrantRequestHandler} with its batch size and batching window.
 *       The processor's retry delays (30 s to 15 min in AWS) are all {@link Options#retryDelay()} here.</li>
 *   <li>{@link ExpirySweepHandler} runs every {@link #SWEEP_INTERVAL} (every minute in AWS), and a file's effects
 *       include the revocation of time-bound grants that expire within the settle timeout.</li>
 * </ul>
 * The functions run as the sandbox's account {@value #ACCOUNT_ID} in {@value #REGION}, without a cross-account role:
 * clusters of other accounts are refused as they would be by such a deployment.
 */
public final class Sandbox implements AutoCloseable {

    public static final String ACCOUNT_ID = "111122223333";
    public static final String REGION = "eu-west-1";
    static final String GRANT_QUEUE = "eks-access-grants";
    static final String REGISTRY_TABLE = "eks-access-registry";
    static final String LEDGER_TABLE = "eks-access-ledger";
    /** How long a message received by a failed invocation stays hidden; short, so that batch failures retry soon. */
    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(2);
    /** EventBridge retries a failing target for up to a day; the sandbox tries this often, then reports it. */
    static final int EVENT_ATTEMPTS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param admins              {@code --admin}: principals bootstrapped on every new cluster
     * @param creatorAdmin        {@code --creator-admin}
     * @param allowAuthModeSwitch {@code --allow-auth-mode-switch}
     * @param clusterDelay        how long a new cluster is CREATING and a mode switch UPDATING
     * @param retryDelay          the grant processor's delay before every retry
     * @param settleTimeout       longest wait for one file's effects to settle
     * @param functionLog         receives every line the functions log
     * @param progress            receives a line per step, for the person watching
     */
    public record Options(List<AdminGrant> admins, boolean creatorAdmin, boolean allowAuthModeSwitch,
                          Duration clusterDelay, Duration retryDelay, Duration settleTimeout,
                          Consumer<String> functionLog, Consumer<String> progress) {
        public Options {
            admins = List.copyOf(admins);
            Objects.requireNonNull(clusterDelay, "clusterDelay");
            Objects.requireNonNull(retryDelay, "retryDelay");
            Objects.requireNonNull(settleTimeout, "settleTimeout");
            Objects.requireNonNull(functionLog, "functionLog");
            Objects.requireNonNull(progress, "progress");
        }
    }

    private final Options options;
    private final AwsBackend aws;
    private final EksEmulator eks;
    private final SdkHttpClient eksHttp;
    private final QueuePair grantQueue;
    private final DynamoClusterRegistry registry;
    private final DynamoGrantStates grantStates;
    private final ClusterCreatedHandler creation;
    private final ExpirySweepHandler sweep;
    private final EventSourceMappingPoller poller;
    private final RequestTracker requests = new RequestTracker();
    private final CreateClusterRule rule = new CreateClusterRule();
    private final CloudTrailEventParser parser = new CloudTrailEventParser();
    private final List<Report.Event> events = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long nextSweep;

    private Sandbox(Options options, AwsBackend aws, EksEmulator eks) {
        this.options = options;
        this.aws = aws;
        this.eks = eks;
        this.eksHttp = UrlConnectionHttpClient.create();
        Clock clock = Clock.systemUTC();
        this.grantQueue = SqsQueues.createWithDeadLetterQueue(aws.sqs(), GRANT_QUEUE,
                GrantQueueSettings.MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT);
        String registryTable = DynamoDbTables.create(aws.dynamoDb(), REGISTRY_TABLE, Tables.REGISTRY).tableName();
        String ledgerTable = DynamoDbTables.create(aws.dynamoDb(), LEDGER_TABLE, Tables.LEDGER).tableName();
        this.registry = new DynamoClusterRegistry(aws.dynamoDb(), registryTable, clock);
        this.grantStates = new DynamoGrantStates(aws.dynamoDb(), ledgerTable);

        this.creation = new ClusterCreatedHandler(
                new ClusterCreationConfig(registryTable, grantQueue.queueUrl(), options.admins(),
                        options.creatorAdmin(), options.allowAuthModeSwitch(), Optional.empty()),
                registry, new SqsBootstrapQueue(aws.sqs(), grantQueue.queueUrl()), clock, options.functionLog());

        GrantProcessorConfig grantConfig = new GrantProcessorConfig(ledgerTable, registryTable, grantQueue.queueUrl(),
                ACCOUNT_ID, options.admins(), options.creatorAdmin(), options.allowAuthModeSwitch(), Optional.empty(),
                AccessPolicies.DEFAULT_ALLOWED, RequestRules.DEFAULT_MAX_GRANT_DURATION);
        SqsRetryScheduler sqsRetries = new SqsRetryScheduler(aws.sqs(), grantQueue.queueUrl());
        RetryScheduler shortRetries = (receiptHandle, delay) -> sqsRetries.retryAfter(receiptHandle,
                options.retryDelay());
        GrantRequestHandler grants = GrantRequestHandler.builder(grantConfig, REGION).withEks(emulatedEks())
                .withRegistry(new DynamoClusterRegistry(aws.dynamoDb(), registryTable, clock))
                .withLedger(new DynamoLedger(aws.dynamoDb(), ledgerTable)).withStates(grantStates)
                .withRetries(shortRetries).withClock(clock)
                .withLogSink(requests.processorLog(options.functionLog())).build();
        this.poller = new EventSourceMappingPoller(aws.sqs(), grantQueue.queueUrl(), requests.observe(grants),
                GrantQueueSettings.BATCH_SIZE, GrantQueueSettings.MAX_BATCHING_WINDOW,
                () -> context("grant-processor"));
        this.sweep = new ExpirySweepHandler(grantStates, new SqsGrantQueue(aws.sqs(), grantQueue.queueUrl()), clock,
                options.functionLog());
    }

    /**
     * Starts the emulators (ElasticMQ and dynalite unless {@code -Deksaccess.aws} says otherwise), creates the queues
     * and tables, and wires the functions.
     */
    public static Sandbox start(Options options) {
        long started = System.nanoTime();
        String property = System.getProperty(BackendChoice.PROPERTY);
        // LocalStack would work too, but a container costs more start time than the whole demo takes.
        AwsBackend aws = AwsBackends.start(property == null || property.isBlank()
                ? BackendChoice.LOCAL : BackendChoice.parse(property));
        EksEmulator eks = null;
        try {
            eks = EksEmulator.start(EksEmulator.Options.defaults()
                    .withActivationDelay(options.clusterDelay()).withUpdateDelay(options.clusterDelay()));
            Sandbox sandbox = new Sandbox(options, aws, eks);
            options.progress().accept("emulated SQS, DynamoDB and EKS ready in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms; account " + ACCOUNT_ID
                    + ", region " + REGION);
            return sandbox;
        } catch (RuntimeException e) {
            if (eks != null) {
                eks.close();
            }
            aws.close();
            throw e;
        }
    }

    /** Plays one file, then waits until its effects have settled (queue drained, clusters ACTIVE). */
    public void play(InputFile file) {
        switch (file) {
            case InputFile.Event event -> deliver(event);
            case InputFile.Message message -> send(message);
        }
        settle(file);
    }

    /** Where everything stands now. */
    public Report report() {
        List<Report.DeadLetter> deadLetters = deadLetters();
        Set<String> deadIds = new LinkedHashSet<>();
        deadLetters.forEach(letter -> deadIds.add(letter.messageId()));
        List<Report.Cluster> clusters = new ArrayList<>();
        List<Report.AccessEntry> entries = new ArrayList<>();
        for (ClusterSnapshot cluster : clusters()) {
            clusters.add(cluster(cluster, registry.find(cluster.arn())));
            cluster.accessEntries().forEach(entry -> entries.add(new Report.AccessEntry(cluster.name(),
                    entry.principalArn(), entry.type(), entry.kubernetesGroups(), entry.username(),
                    entry.policies().stream().map(policy -> new Report.Policy(policy.policyArn(),
                            new Report.AccessScope(policy.scope().type(), policy.scope().namespaces()))).toList())));
        }
        Report.Settings settings = new Report.Settings(ACCOUNT_ID, REGION,
                options.admins().stream().map(admin -> admin.principalArn() + "=" + admin.policyName()).toList(),
                options.creatorAdmin(), options.allowAuthModeSwitch(), GrantQueueSettings.BATCH_SIZE,
                GrantQueueSettings.MAX_RECEIVE_COUNT);
        return new Report(settings, clusters, entries, events, requests.requests(deadIds), deadLetters, warnings);
    }

    @Override
    public void close() {
        try {
            eks.close();
            eksHttp.close();
        } finally {
            aws.close();
        }
    }

    // ------------------------------------------------------------------ events

    private void deliver(InputFile.Event event) {
        String id = text(event.json(), "id");
        String file = event.path().toString();
        if (!rule.matches(event.text())) {
            options.progress().accept(file + ": event " + id + " does not match the rule");
            events.add(new Report.Event(file, id, "not-matched", "does not match the CreateCluster rule pattern "
                    + "(aws.eks, AWS API Call via CloudTrail, eks.amazonaws.com, CreateCluster): not delivered", null));
            return;
        }
        createInEks(event);
        String failure = null;
        for (int attempt = 1; attempt <= EVENT_ATTEMPTS; attempt++) {
            try {
                JsonNode line = invokeCreation(event);
                String outcome = text(line, "outcome");
                String reason = text(line, "reason");
                options.progress().accept(file + ": cluster-creation " + outcome);
                events.add(new Report.Event(file, id, outcome, reason, text(line, "clusterArn")));
                return;
            } catch (RuntimeException | IOException e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        events.add(new Report.Event(file, id, "failed", "the function failed " + EVENT_ATTEMPTS + " times (last: "
                + failure + "); EventBridge would retry, then put the event on the rule's dead-letter queue", null));
    }

    private JsonNode invokeCreation(InputFile.Event event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        creation.handleRequest(new ByteArrayInputStream(event.text().getBytes(StandardCharsets.UTF_8)), output,
                context("cluster-creation"));
        return JSON.readTree(output.toByteArray());
    }

    /**
     * What EKS did before CloudTrail reported the call: the cluster exists, CREATING, with the creator's entry when
     * the bootstrap flag is set. A replayed event finds the cluster there already.
     */
    private void createInEks(InputFile.Event event) {
        CreateClusterCall call;
        try {
            call = parser.parse(event.text().getBytes(StandardCharsets.UTF_8));
        } catch (MalformedEventException e) {
            return;
        }
        if (!(call instanceof ClusterCreated created)
                || eks.clusters().stream().anyMatch(c -> c.name().equals(created.cluster().name()))) {
            return;
        }
        ClusterSpec.Builder spec = ClusterSpec.builder(created.cluster().name())
                .accountId(created.cluster().accountId())
                .region(created.cluster().region())
                .authenticationMode(AuthenticationMode.valueOf(created.authenticationMode().name()))
                .bootstrapClusterCreatorAdminPermissions(created.bootstrapCreatorAdmin());
        if (created.creator().accessEntryPrincipal()) {
            spec.creatorPrincipalArn(created.creator().principalArn());
        }
        try {
            eks.createCluster(spec.build());
        } catch (RuntimeException e) {
            warnings.add(event.path() + ": the EKS emulator could not create cluster " + created.cluster().name()
                    + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- messages

    private void send(InputFile.Message message) {
        String file = message.path().toString();
        try {
            String messageId = aws.sqs().sendMessage(request -> request.queueUrl(grantQueue.queueUrl())
                    .messageBody(message.text())).messageId();
            requests.sentFrom(messageId, file);
            options.progress().accept(file + ": sent to the grant queue as message " + messageId);
        } catch (SqsException e) {
            warnings.add(file + ": SQS refused the message: " + e.awsErrorDetails().errorMessage());
        }
    }

    /**
     * Polls and sweeps until the queue is empty, retries included, no cluster is still changing, and no time-bound
     * grant is due to expire within the settle timeout (its revocation is part of the story).
     */
    private void settle(InputFile file) {
        long deadline = System.nanoTime() + options.settleTimeout().toNanos();
        Instant horizon = Instant.now().plus(options.settleTimeout());
        while (true) {
            if (System.nanoTime() >= nextSweep) {
                sweep.handleRequest(new ScheduledEvent(), context("expiry-sweep"));
                nextSweep = System.nanoTime() + SWEEP_INTERVAL.toNanos();
            }
            boolean drained = poller.isDrained();
            if (drained && !clustersChanging() && grantStates.findExpired(horizon, 1).isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                warnings.add(file.path() + ": not settled after " + options.settleTimeout() + (drained
                        ? ": a cluster is still changing" : ": messages are still on the grant queue"));
                return;
            }
            if (drained) {
                pause();
            } else {
                poller.pollOnce(Duration.ofSeconds(1));
            }
        }
    }

    private boolean clustersChanging() {
        return clusters().stream().anyMatch(c -> c.status() == ClusterStatus.CREATING
                || c.status() == ClusterStatus.UPDATING);
    }

    /**
     * Every cluster as it is now. The emulator moves a cluster along in time (CREATING to ACTIVE) when it is asked
     * about by name; its list of all clusters shows them as last moved.
     */
    private List<ClusterSnapshot> clusters() {
        return eks.clusters().stream().map(cluster -> eks.cluster(cluster.name())).toList();
    }

    private List<Report.DeadLetter> deadLetters() {
        List<Report.DeadLetter> letters = new ArrayList<>();
        List<Message> received;
        do {
            received = aws.sqs().receiveMessage(request -> request.queueUrl(grantQueue.deadLetterQueueUrl())
                    .maxNumberOfMessages(10).visibilityTimeout(300)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            received.forEach(message -> letters.add(new Report.DeadLetter(message.messageId(), message.body(),
                    message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))));
        } while (!received.isEmpty());
        return letters;
    }

    // ------------------------------------------------------------------ wiring

    /** Every account's clusters are in the one emulator; {@link CrossAccountEks} still refuses other accounts. */
    private CrossAccountEks emulatedEks() {
        return new CrossAccountEks(ACCOUNT_ID, Optional.empty(),
                (region, credentials) -> EksClient.builder().endpointOverride(eks.endpoint()).region(region)
                        .credentialsProvider(aws.credentials()).httpClient(eksHttp).build(),
                roleArn -> {
                    throw new IllegalStateException("the sandbox has no cross-account role to assume: " + roleArn);
                });
    }

    private LocalLambdaContext context(String function) {
        return new LocalLambdaContext(LocalLambdaContext.functionArn(REGION, ACCOUNT_ID, function),
                options.functionLog());
    }

    private static Report.Cluster cluster(ClusterSnapshot cluster, Optional<ClusterRecord> record) {
        Report.Creator creator = record.map(r -> new Report.Creator(r.creatorPrincipalArn(), r.creatorIdentityType()))
                .orElse(new Report.Creator(cluster.creatorPrincipalArn(), null));
        Report.Bootstrap bootstrap = record.map(r -> new Report.Bootstrap(r.bootstrapStatus().name(),
                r.bootstrapReason())).orElse(null);
        return new Report.Cluster(cluster.arn(), cluster.name(), cluster.accountId(), cluster.region(),
                cluster.status().name(), creator, cluster.authenticationMode().name(), bootstrap);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sandbox to settle", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
