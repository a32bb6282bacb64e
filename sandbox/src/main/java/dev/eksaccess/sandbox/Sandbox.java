package dev.eksaccess.sandbox;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.aws.CrossAccountEks;
import dev.eksaccess.aws.SdkAdoptionSources;
import dev.eksaccess.cli.CliContext;
import dev.eksaccess.config.AdoptionConfig;
import dev.eksaccess.handler.AdoptionHandler;
import dev.eksaccess.testsupport.CloudTrailEmulator;
import dev.eksaccess.testsupport.LambdaInvokeEmulator;
import dev.eksaccess.testsupport.TestEksClients;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoInventory;
import dev.eksaccess.aws.DynamoLedger;
import dev.eksaccess.aws.DynamoPendingApprovals;
import dev.eksaccess.aws.IamPrincipalIds;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.authz.InternalSenders;
import dev.eksaccess.aws.DynamoExternalChangeLog;
import dev.eksaccess.aws.IamRoleDirectory;
import dev.eksaccess.awsauth.AwsAuthParser;
import dev.eksaccess.awsauth.BrokenAwsAuthException;
import dev.eksaccess.awsauth.MigrationPlan;
import dev.eksaccess.awsauth.MigrationPlanner;
import dev.eksaccess.awsauth.PlannedEntry;
import dev.eksaccess.awsauth.PlannedMapping;
import dev.eksaccess.emulator.kubernetes.KubernetesApiServer;
import dev.eksaccess.config.AccessChangeConfig;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.CrossAccountSettings;
import dev.eksaccess.contract.AccessChangeEventPattern;
import dev.eksaccess.drift.AccessChange;
import dev.eksaccess.drift.AccessChangeParser;
import dev.eksaccess.drift.ExternalChangeEvents;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.handler.AccessChangeHandler;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
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
import dev.eksaccess.handler.ReconcilerHandler;
import dev.eksaccess.inventory.ClusterInventory;
import dev.eksaccess.inventory.Snapshot;
import dev.eksaccess.reconcile.Reconciler;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.RequestRules;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.AwsBackends;
import dev.eksaccess.testsupport.BackendChoice;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EventSourceMappingPoller;
import dev.eksaccess.testsupport.IamEmulator;
import dev.eksaccess.testsupport.LocalLambdaContext;
import dev.eksaccess.testsupport.QueuePair;
import dev.eksaccess.testsupport.SenderIdentities;
import dev.eksaccess.testsupport.SqsQueues;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
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
 *   <li>Senders are real: every sender of grant-queue messages (the team, an approver, anyone {@code --sender}
 *       names, and the functions' own roles) is an IAM role or user in an {@link IamEmulator} and sends with its own
 *       credentials through {@link SenderIdentities}, so the grant processor sees each message's SQS SenderId and
 *       resolves it with {@link IamPrincipalIds} against that emulator, as it resolves it against IAM when
 *       deployed. The eligibility document decides, with the functions' roles as the internal senders.</li>
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
    static final String INVENTORY_TABLE = "eks-access-inventory";
    /** How long a message received by a failed invocation stays hidden; short, so that batch failures retry soon. */
    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(2);
    /** EventBridge retries a failing target for up to a day; the sandbox tries this often, then reports it. */
    static final int EVENT_ATTEMPTS = 3;

    /** The sender of messages played before any {@code --sender}: the built-in document's team sender. */
    public static final String TEAM_SENDER = "arn:aws:iam::111122223333:role/sandbox/team";
    /** The built-in document's approver of admin-class grants. */
    public static final String APPROVER = "arn:aws:iam::111122223333:role/sandbox/approver";
    /** The cluster-creation function's role ({@code CLUSTER_CREATION_ROLE_ARN}): the only sender of bootstraps. */
    public static final String CLUSTER_CREATION_ROLE = "arn:aws:iam::111122223333:role/eks-access/cluster-creation";
    /** The expiry sweep's role ({@code EXPIRY_SWEEP_ROLE_ARN}): the only sender of expiry revokes and expiries. */
    public static final String EXPIRY_SWEEP_ROLE = "arn:aws:iam::111122223333:role/eks-access/expiry-sweep";
    /**
     * The grant processor's role as the access-change function knows it ({@code GRANT_PROCESSOR_ROLE_ARN}): calls CloudTrail
     * reports from it are the system's own and skipped ({@code events/cloudtrail/access-changes/associate-by-eks-access.json}).
     */
    public static final String GRANT_PROCESSOR_ROLE = "arn:aws:iam::111122223333:role/eks-access-grant-processor";
    /**
     * The access-change function's role ({@code DRIFT_FUNCTION_ROLE_ARN}): the only sender of restores, which it sends
     * with its own credentials when a grant of a {@code "drift": "restore"} rule is changed (docs/drift.md).
     */
    public static final String ACCESS_CHANGE_ROLE = "arn:aws:iam::111122223333:role/eks-access/access-changes";
    /** The role session of people's senders; the functions' sessions are named after them, as Lambda names them. */
    static final String SESSION = "sandbox";
    /**
     * The adoption function's role ({@code ADOPTION_ROLE_ARN}): besides the cluster-creation function's, the only sender
     * of bootstraps (docs/adopt.md). The function is served by a Lambda emulator, which {@code eks-access adopt} invokes.
     */
    public static final String ADOPTION_ROLE = "arn:aws:iam::111122223333:role/eks-access/adoption";
    /** The adoption function's name; the CLI finds it as {@code EKS_ACCESS_ADOPTION_FUNCTION}. */
    static final String ADOPTION_FUNCTION = "eks-access-adoption";
    /**
     * How long before the sandbox starts a cluster given with {@code --existing} was created: long enough for adoption
     * (which leaves clusters younger than an hour to the cluster-creation function), well within CloudTrail's 90 days.
     */
    static final Duration EXISTING_AGE = Duration.ofDays(3);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param admins              {@code --admin}: principals bootstrapped on every new cluster
     * @param creatorAdmin        {@code --creator-admin}
     * @param allowAuthModeSwitch {@code --allow-auth-mode-switch}
     * @param clusterDelay        how long a new cluster is CREATING and a mode switch UPDATING
     * @param retryDelay          the grant processor's delay before every retry
     * @param settleTimeout       longest wait for one file's effects to settle
     * @param eligibility         the eligibility document the grant processor decides with
     * @param eligibilitySource   where it was read from, for the report
     * @param senders             every sender the files to play name; with the document's senders and approvers,
     *                            they exist in IAM before anything is played, as roles do in AWS
     * @param functionLog         receives every line the functions log
     * @param progress            receives a line per step, for the person watching
     */
    public record Options(List<AdminGrant> admins, boolean creatorAdmin, boolean allowAuthModeSwitch,
                          Duration clusterDelay, Duration retryDelay, Duration settleTimeout,
                          EligibilityDocument eligibility, String eligibilitySource, List<String> senders,
                          Consumer<String> functionLog, Consumer<String> progress) {
        public Options {
            admins = List.copyOf(admins);
            senders = List.copyOf(senders);
            Objects.requireNonNull(eligibility, "eligibility");
            Objects.requireNonNull(eligibilitySource, "eligibilitySource");
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
    private final IamEmulator iam;
    private final SenderIdentities senders;
    /** Each sender by its ARN, created in IAM and declared to SQS on first use. */
    private final Map<String, SenderIdentities.Sender> sendersByArn = new LinkedHashMap<>();
    /** The ARN of each SenderId, for the report. */
    private final Map<String, String> arnsBySenderId = new HashMap<>();
    /** The principals the played files name that are no senders, created in IAM on first mention. */
    private final Set<String> otherPrincipals = new LinkedHashSet<>();
    private final OutcomeLog outcomes = new OutcomeLog();
    private final Map<String, IamClient> iamClients = new ConcurrentHashMap<>();
    private final SdkHttpClient eksHttp;
    private final QueuePair grantQueue;
    private final DynamoClusterRegistry registry;
    private final DynamoGrantStates grantStates;
    private final ClusterCreatedHandler creation;
    private final ExpirySweepHandler sweep;
    private final EventSourceMappingPoller poller;
    private final RequestTracker requests = new RequestTracker();
    private final EventRule rule = EventRule.createCluster();
    private final EventRule accessRule = EventRule.accessChanges();
    private final AccessChangeParser accessParser = new AccessChangeParser();
    private final AccessChangeHandler accessChanges;
    private final DynamoExternalChangeLog externalChanges;
    private final DynamoInventory inventory;
    private final ReconcilerHandler reconciliation;
    private final List<Report.AwsAuthMapping> awsAuthPlans = new ArrayList<>();
    private final CloudTrailEventParser parser = new CloudTrailEventParser();
    private final List<Report.Event> events = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final CloudTrailEmulator cloudTrail;
    private final LambdaInvokeEmulator lambda;
    private final SandboxCli cli;
    private final List<Report.Command> commands = new ArrayList<>();
    private long nextSweep;

    private Sandbox(Options options, AwsBackend aws, EksEmulator eks, IamEmulator iam, CloudTrailEmulator cloudTrail,
                    LambdaInvokeEmulator lambda) {
        this.options = options;
        this.aws = aws;
        this.eks = eks;
        this.iam = iam;
        this.cloudTrail = cloudTrail;
        this.lambda = lambda;
        this.senders = SenderIdentities.start(aws);
        this.eksHttp = UrlConnectionHttpClient.create();
        Clock clock = Clock.systemUTC();
        this.grantQueue = SqsQueues.createWithDeadLetterQueue(aws.sqs(), GRANT_QUEUE,
                GrantQueueSettings.MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT);
        String registryTable = DynamoDbTables.create(aws.dynamoDb(), REGISTRY_TABLE, Tables.REGISTRY).tableName();
        String ledgerTable = DynamoDbTables.create(aws.dynamoDb(), LEDGER_TABLE, Tables.LEDGER).tableName();
        this.registry = new DynamoClusterRegistry(aws.dynamoDb(), registryTable, clock);
        this.grantStates = new DynamoGrantStates(aws.dynamoDb(), ledgerTable);
        DynamoPendingApprovals pending = new DynamoPendingApprovals(aws.dynamoDb(), ledgerTable);
        SenderIdentities.Sender creationRole = sender(CLUSTER_CREATION_ROLE, "cluster-creation");
        SenderIdentities.Sender sweepRole = sender(EXPIRY_SWEEP_ROLE, "expiry-sweep");
        SenderIdentities.Sender accessChangeRole = sender(ACCESS_CHANGE_ROLE, "access-changes");
        SenderIdentities.Sender adoptionRole = sender(ADOPTION_ROLE, "adoption");
        // Every principal exists before the first message: the grant processor learns their ids on first need.
        options.eligibility().rules().forEach(rule -> {
            rule.senders().forEach(arn -> sender(arn, SESSION));
            rule.approval().ifPresent(approval -> approval.approvers().forEach(arn -> sender(arn, SESSION)));
        });
        options.senders().forEach(arn -> sender(arn, SESSION));
        options.admins().forEach(admin -> existsInIam(admin.principalArn()));

        ClusterCreationConfig creationConfig = new ClusterCreationConfig(registryTable, grantQueue.queueUrl(),
                options.admins(), options.creatorAdmin(), options.allowAuthModeSwitch(), Optional.empty());
        this.creation = new ClusterCreatedHandler(creationConfig, registry,
                new SqsBootstrapQueue(creationRole.sqs(), grantQueue.queueUrl()), clock, options.functionLog());
        // As AdoptionHandler wires itself: ListClusters and DescribeCluster from EKS, the creator from CloudTrail's
        // history, the same registry and bootstrap planner, bootstraps sent with the adoption role's credentials.
        SdkAdoptionSources adoptionSources = new SdkAdoptionSources(
                region -> TestEksClients.builder(eks.endpoint(), region, TestEksClients.accountCredentials(ACCOUNT_ID))
                        .httpClient(eksHttp).build(),
                region -> CloudTrailClient.builder().endpointOverride(cloudTrail.endpoint()).region(region)
                        .httpClient(eksHttp).credentialsProvider(cloudTrail.credentials(ACCOUNT_ID)).build(),
                SdkAdoptionSources.memberRole(ACCOUNT_ID, "aws", Optional.empty(), (roleArn, session) -> {
                    throw new IllegalStateException("the sandbox has no member accounts: " + roleArn);
                }));
        String adoptionFunction = lambda.register(ADOPTION_FUNCTION, new AdoptionHandler(
                new AdoptionConfig(creationConfig, List.of(REGION)), registry,
                new SqsBootstrapQueue(adoptionRole.sqs(), grantQueue.queueUrl()), adoptionSources, adoptionSources,
                emulatedEks(), clock, options.functionLog()));

        GrantProcessorConfig grantConfig = new GrantProcessorConfig(ledgerTable, registryTable, grantQueue.queueUrl(),
                ACCOUNT_ID, options.admins(), options.creatorAdmin(), options.allowAuthModeSwitch(), Optional.empty(),
                AccessPolicies.DEFAULT_ALLOWED, RequestRules.DEFAULT_MAX_GRANT_DURATION)
                .withAuthorization(options.eligibility(), new InternalSenders(Optional.of(CLUSTER_CREATION_ROLE),
                        Optional.of(EXPIRY_SWEEP_ROLE)).withDriftFunction(ACCESS_CHANGE_ROLE)
                        .withAdoption(ADOPTION_ROLE));
        SqsRetryScheduler sqsRetries = new SqsRetryScheduler(aws.sqs(), grantQueue.queueUrl());
        RetryScheduler shortRetries = (receiptHandle, delay) -> sqsRetries.retryAfter(receiptHandle,
                options.retryDelay());
        GrantRequestHandler grants = GrantRequestHandler.builder(grantConfig, REGION).withEks(emulatedEks())
                .withRegistry(new DynamoClusterRegistry(aws.dynamoDb(), registryTable, clock))
                .withLedger(new DynamoLedger(aws.dynamoDb(), ledgerTable)).withStates(grantStates)
                .withRetries(shortRetries).withPrincipalIds(emulatedIam()).withPendingApprovals(pending)
                .withOutcomes(outcomes).withClock(clock)
                .withLogSink(requests.processorLog(options.functionLog())).build();
        this.poller = new EventSourceMappingPoller(aws.sqs(), grantQueue.queueUrl(), requests.observe(grants),
                GrantQueueSettings.BATCH_SIZE, GrantQueueSettings.MAX_BATCHING_WINDOW,
                () -> context("grant-processor"), senders);
        this.externalChanges = new DynamoExternalChangeLog(aws.dynamoDb(), ledgerTable);
        // As deployed: restores go to the grant queue, decided by the same document's drift modes.
        AccessChangeConfig accessConfig = new AccessChangeConfig(ledgerTable, registryTable, GRANT_PROCESSOR_ROLE,
                Optional.empty(), CrossAccountSettings.NONE, Optional.empty(), Optional.of(new AccessChangeConfig.Restore(
                        grantQueue.queueUrl(), Optional.of(options.eligibility()), List.of())));
        this.accessChanges = new AccessChangeHandler(accessConfig, emulatedEks(), registry, grantStates,
                externalChanges, ExternalChangeEvents.NONE,
                AccessChangeHandler.driftResponse(accessConfig, grantStates, accessChangeRole::sqs, clock), clock,
                options.functionLog());
        String inventoryTable = DynamoDbTables.create(aws.dynamoDb(), INVENTORY_TABLE, Tables.INVENTORY).tableName();
        this.inventory = new DynamoInventory(aws.dynamoDb(), inventoryTable);
        // As ReconcilerHandler wires it, with the sandbox's adapters; the sandbox has no member accounts.
        this.reconciliation = new ReconcilerHandler(account -> new Reconciler(registry, grantStates, emulatedEks(),
                emulatedIam(), grantStates, inventory, clock), clock, options.functionLog());
        this.sweep = new ExpirySweepHandler(grantStates, pending, new SqsGrantQueue(sweepRole.sqs(),
                grantQueue.queueUrl()), clock, options.functionLog());
        // The stack outputs an operator exports before using the CLI (docs/cli.md).
        this.cli = new SandboxCli(new SandboxCli.Wiring(aws, senders, eks, iam, lambda.endpoint(), Map.of(
                CliContext.QUEUE_URL_VARIABLE, grantQueue.queueUrl(),
                CliContext.LEDGER_TABLE_VARIABLE, ledgerTable,
                CliContext.INVENTORY_TABLE_VARIABLE, inventoryTable,
                CliContext.ADOPTION_FUNCTION_VARIABLE, adoptionFunction)));
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
        IamEmulator iam = null;
        CloudTrailEmulator cloudTrail = null;
        LambdaInvokeEmulator lambda = null;
        try {
            eks = EksEmulator.start(EksEmulator.Options.defaults()
                    .withActivationDelay(options.clusterDelay()).withUpdateDelay(options.clusterDelay()));
            iam = IamEmulator.start();
            cloudTrail = CloudTrailEmulator.start(Clock.systemUTC());
            lambda = LambdaInvokeEmulator.start(REGION, ACCOUNT_ID, options.functionLog());
            Sandbox sandbox = new Sandbox(options, aws, eks, iam, cloudTrail, lambda);
            options.progress().accept("emulated SQS, DynamoDB and EKS ready in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms; account " + ACCOUNT_ID
                    + ", region " + REGION);
            return sandbox;
        } catch (RuntimeException e) {
            if (lambda != null) {
                lambda.close();
            }
            if (cloudTrail != null) {
                cloudTrail.close();
            }
            if (iam != null) {
                iam.close();
            }
            if (eks != null) {
                eks.close();
            }
            aws.close();
            throw e;
        }
    }

    /**
     * Plays one file, then waits until its effects have settled (queue drained, clusters ACTIVE). A grant-queue
     * message is sent by {@code senderArn} (an IAM role or user ARN), an event by CloudTrail.
     */
    public void play(InputFile file, String senderArn) {
        switch (file) {
            case InputFile.Event event -> deliver(event);
            case InputFile.Message message -> send(message, senderArn);
            case InputFile.AwsAuthConfigMap awsAuth -> attach(awsAuth);
            case InputFile.ExistingCluster existing -> existed(existing);
            case InputFile.CliCommand command -> runCli(command, senderArn);
        }
        settle(file);
    }

    /** The emulated EKS the functions change; it stays readable after {@link #close()}. */
    EksEmulator eks() {
        return eks;
    }

    /** Where everything stands now, with the inventory of one reconciliation run over it. */
    public Report report() {
        List<Report.InventoryCluster> inventory = reconcile();
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
                GrantQueueSettings.MAX_RECEIVE_COUNT, options.eligibilitySource(), CLUSTER_CREATION_ROLE,
                EXPIRY_SWEEP_ROLE);
        Map<String, String> senderArns = Map.copyOf(arnsBySenderId);
        List<Report.ExternalChange> external = new ArrayList<>();
        for (ClusterSnapshot cluster : clusters()) {
            externalChanges.find(cluster.arn()).forEach(change -> external.add(new Report.ExternalChange(
                    cluster.name(), change.change().eventId(), change.change().summary(),
                    change.change().actor().principalArn(), change.judged().severity().wireName(),
                    change.judged().reason())));
        }
        return new Report(settings, clusters, entries, events,
                requests.requests(deadIds, senderArns, outcomes::state), outcomes.approvals(senderArns),
                deadLetters, warnings, external, awsAuthPlans, inventory, commands);
    }

    /**
     * Runs the reconciliation once, as its schedule runs it when deployed, and reads back the snapshot it published
     * (the inventory table's current pointer, as {@code eks-access inventory} reads it).
     */
    private List<Report.InventoryCluster> reconcile() {
        try {
            reconciliation.handleRequest(new ScheduledEvent(), context("reconciliation"));
        } catch (RuntimeException e) {
            warnings.add("the reconciliation failed: " + e.getMessage() + "; no inventory");
            return List.of();
        }
        Optional<Snapshot> snapshot = inventory.current();
        if (snapshot.isEmpty()) {
            warnings.add("the reconciliation published no inventory snapshot");
            return List.of();
        }
        return snapshot.get().clusters().stream().map(Sandbox::inventoryOf).toList();
    }

    private static Report.InventoryCluster inventoryOf(ClusterInventory cluster) {
        return new Report.InventoryCluster(cluster.clusterArn(), cluster.authenticationMode(), names(cluster.flags()),
                cluster.failure(), cluster.entries().stream().map(entry -> new Report.InventoryEntry(
                        entry.principalArn(), entry.type(), entry.policies().stream().map(policy -> new Report.Policy(
                                policy.policyArn(), new Report.AccessScope(policy.scope().type().wireName(),
                                policy.scope().namespaces()))).toList(), entry.origin().name(), entry.requestId(),
                        entry.expiresAt() == null ? null : entry.expiresAt().toString(), names(entry.flags())))
                .toList());
    }

    private static List<String> names(Set<? extends Enum<?>> flags) {
        return flags.stream().map(Enum::name).sorted().toList();
    }

    @Override
    public void close() {
        try {
            senders.close();
            iamClients.values().forEach(IamClient::close);
            lambda.close();
            cloudTrail.close();
            iam.close();
            eks.close();
            eksHttp.close();
        } finally {
            aws.close();
        }
    }

    // ------------------------------------------------------------------ aws-auth files

    /**
     * Attaches an aws-auth ConfigMap to its cluster, whose Kubernetes API then serves it, and plans its migration as
     * {@code eks-access migrate --plan} does (the same planner, role paths from the sandbox's IAM).
     */
    private void attach(InputFile.AwsAuthConfigMap file) {
        String where = file.path().toString();
        if (eks.clusters().stream().noneMatch(cluster -> cluster.name().equals(file.clusterName()))) {
            warnings.add(where + ": no cluster " + file.clusterName() + " in the sandbox (annotation "
                    + InputFile.CLUSTER_ANNOTATION + "); play its CreateCluster event first. Nothing attached");
            return;
        }
        KubernetesApiServer api = eks.kubernetesApi(file.clusterName());
        api.putAwsAuth(file.data());
        MigrationPlan plan;
        try {
            plan = new MigrationPlanner(new IamRoleDirectory(this::iamOf))
                    .plan(AwsAuthParser.parseData(file.data(), Optional.of(api.resourceVersion())));
        } catch (BrokenAwsAuthException e) {
            warnings.add(where + ": attached to " + file.clusterName() + ", but nothing planned: " + e.getMessage());
            return;
        }
        for (PlannedMapping mapping : plan.mappings()) {
            Optional<PlannedEntry> entry = mapping.entry();
            awsAuthPlans.add(new Report.AwsAuthMapping(where, file.clusterName(), plan.resourceVersion().orElse(null),
                    mapping.source(), mapping.verdict().name(), entry.map(e -> e.type().name()).orElse(null),
                    entry.map(PlannedEntry::principalArn).orElse(mapping.subject()),
                    entry.map(PlannedEntry::kubernetesGroups).orElse(List.of()),
                    entry.map(PlannedEntry::clusterPolicies).orElse(List.of()), mapping.explanation()));
        }
    }

    // ------------------------------------------------------------------ events

    private void deliver(InputFile.Event sample) {
        InputFile.Event event = playedNow(sample);
        String id = text(event.json(), "id");
        String file = event.path().toString();
        if (accessRule.matches(event.text())) {
            deliverAccessChange(event, file, id);
            return;
        }
        if (!rule.matches(event.text())) {
            options.progress().accept(file + ": event " + id + " does not match the rules");
            events.add(new Report.Event(file, id, "not-matched", "matches neither the CreateCluster rule pattern "
                    + "(aws.eks, AWS API Call via CloudTrail, eks.amazonaws.com, CreateCluster) nor the access-change "
                    + "one (" + String.join(", ", AccessChangeEventPattern.EVENT_NAMES) + "): not delivered", null));
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

    /**
     * An access change someone else made: first made in the EKS emulator, as the person did before CloudTrail reported
     * it (when EKS refuses it, the report warns and the event is delivered as CloudTrail reported it), then delivered
     * to the access-change function, which reads the cluster, judges and records it (docs/drift.md).
     */
    private void deliverAccessChange(InputFile.Event event, String file, String id) {
        String clusterArn = null;
        try {
            if (accessParser.parse(event.text().getBytes(StandardCharsets.UTF_8))
                    instanceof AccessChangeParser.Change change) {
                clusterArn = change.change().cluster().arn();
                if (!GRANT_PROCESSOR_ROLE.equals(change.change().actor().principalArn())) {
                    makeInEks(change.change(), file); // the system's own calls were made by its own grant processor
                }
            }
        } catch (MalformedEventException e) {
            // the function rejects it, naming the field
        }
        String failure = null;
        for (int attempt = 1; attempt <= EVENT_ATTEMPTS; attempt++) {
            try {
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                accessChanges.handleRequest(new ByteArrayInputStream(event.text().getBytes(StandardCharsets.UTF_8)),
                        output, context("access-changes"));
                JsonNode line = JSON.readTree(output.toByteArray());
                String outcome = text(line, "outcome");
                String severity = text(line, "severity");
                options.progress().accept(file + ": access-changes " + outcome + (severity == null ? "" : " " + severity));
                events.add(new Report.Event(file, id, outcome, (severity == null ? "" : severity + ": ")
                        + text(line, "reason"), clusterArn));
                return;
            } catch (RuntimeException | IOException e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        events.add(new Report.Event(file, id, "failed", "the function failed " + EVENT_ATTEMPTS + " times (last: "
                + failure + "); EventBridge would retry, then put the event on the rule's dead-letter queue",
                clusterArn));
    }

    /** The call the event reports, made in the EKS emulator by the person who made it. */
    private void makeInEks(AccessChange change, String file) {
        ClusterRef cluster = change.cluster();
        try {
            EksAccess person = emulatedEks().forCluster(cluster, ActingFor.function("sandbox-person", change.eventId()));
            String principal = change.principalArn();
            switch (change.kind()) {
                case CREATE_ENTRY -> {
                    existsInIam(principal);
                    eks.registerIamPrincipal(principal);
                    person.createAccessEntry(cluster, new NewAccessEntry(principal, change.kubernetesGroups(), null,
                            Map.of(), null));
                }
                case UPDATE_ENTRY -> person.updateAccessEntry(cluster, principal, change.kubernetesGroups(), null);
                case DELETE_ENTRY -> person.deleteAccessEntry(cluster, principal);
                case ASSOCIATE_POLICY -> person.associateAccessPolicy(cluster, principal, change.policyArn(),
                        change.scope());
                case DISASSOCIATE_POLICY -> person.disassociateAccessPolicy(cluster, principal, change.policyArn());
                // Set in the emulator directly: its calls are what the lockout invariants judge as this system's.
                case AUTHENTICATION_MODE -> eks.setAuthenticationMode(cluster.name(),
                        AuthenticationMode.valueOf(change.authenticationMode()));
            }
        } catch (RuntimeException e) {
            warnings.add(file + ": EKS refused the change the event reports (" + e.getMessage()
                    + "); delivered as CloudTrail reported it");
        }
    }

    /**
     * The event as if its call were made now. A sample's CloudTrail times are days old, and a bootstrap waits for its
     * cluster only until a deadline counted from the CreateCluster call (AccessEngine.BOOTSTRAP_DEADLINE), so a
     * replayed time would end every waiting bootstrap at once. Only valid times change: an event whose time is broken
     * on purpose still shows its rejection.
     */
    static InputFile.Event playedNow(InputFile.Event event) {
        if (!(event.json() instanceof ObjectNode envelope)) {
            return event;
        }
        ObjectNode copy = envelope.deepCopy();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        replaceInstant(copy, "time", now);
        if (copy.get("detail") instanceof ObjectNode detail) {
            replaceInstant(detail, "eventTime", now);
        }
        try {
            return new InputFile.Event(event.path(), JSON.writeValueAsString(copy), copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event.path() + " again", e);
        }
    }

    private static void replaceInstant(ObjectNode node, String field, String now) {
        if (node.get(field) instanceof JsonNode value && value.isTextual()) {
            try {
                Instant.parse(value.asText());
                node.put(field, now);
            } catch (DateTimeParseException e) {
                // broken on purpose: left as it is
            }
        }
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
        createdBy(event).filter(created -> !exists(created.cluster().name()))
                .ifPresent(created -> createInEks(created, null, event.path().toString()));
    }

    /** The successful CreateCluster call the event reports, if it reports one. */
    private Optional<ClusterCreated> createdBy(InputFile.Event event) {
        try {
            return parser.parse(event.text().getBytes(StandardCharsets.UTF_8)) instanceof ClusterCreated created
                    ? Optional.of(created) : Optional.empty();
        } catch (MalformedEventException e) {
            return Optional.empty();
        }
    }

    private boolean exists(String clusterName) {
        return eks.clusters().stream().anyMatch(c -> c.name().equals(clusterName));
    }

    /**
     * The cluster as EKS made it: name, account, region, mode, and the creator's admin when the bootstrap flag is set;
     * created now (CREATING), or at {@code createdAt} (long ACTIVE).
     */
    private boolean createInEks(ClusterCreated created, Instant createdAt, String where) {
        ClusterSpec.Builder spec = ClusterSpec.builder(created.cluster().name())
                .accountId(created.cluster().accountId())
                .region(created.cluster().region())
                .authenticationMode(AuthenticationMode.valueOf(created.authenticationMode().name()))
                .bootstrapClusterCreatorAdminPermissions(created.bootstrapCreatorAdmin());
        if (created.creator().accessEntryPrincipal()) {
            existsInIam(created.creator().principalArn());
            spec.creatorPrincipalArn(created.creator().principalArn());
        }
        if (createdAt != null) {
            spec.createdAt(createdAt);
        }
        try {
            eks.createCluster(spec.build());
            return true;
        } catch (RuntimeException e) {
            warnings.add(where + ": the EKS emulator could not create cluster " + created.cluster().name()
                    + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * A cluster that existed before eks-access was deployed ({@code --existing}): made in EKS as it is now, ACTIVE and
     * created {@link #EXISTING_AGE} ago, with its CreateCluster event (at that time) in CloudTrail's event history,
     * where adoption looks for its creator. The event is never delivered to the rule.
     */
    private void existed(InputFile.ExistingCluster file) {
        InputFile.Event event = file.event();
        String where = event.path().toString();
        String id = text(event.json(), "id");
        Optional<ClusterCreated> call = createdBy(event);
        if (call.isEmpty()) {
            events.add(new Report.Event(where, id, "not-existing", "--existing takes the event of a successful "
                    + "CreateCluster call (no errorCode); nothing made", null));
            return;
        }
        ClusterCreated created = call.get();
        String arn = created.cluster().arn();
        if (exists(created.cluster().name())) {
            events.add(new Report.Event(where, id, "not-existing", "cluster " + created.cluster().name()
                    + " is in the sandbox already; nothing made", arn));
            return;
        }
        Instant createdAt = Instant.now().minus(EXISTING_AGE).truncatedTo(ChronoUnit.SECONDS);
        if (!createInEks(created, createdAt, where)) {
            return;
        }
        cloudTrail.record(event.json(), createdAt);
        options.progress().accept(where + ": cluster " + created.cluster().name() + " existed before eks-access ("
                + created.authenticationMode() + ", created at " + createdAt + "); its event is in CloudTrail only");
        events.add(new Report.Event(where, id, "existing", "made in EKS as it is now (ACTIVE, "
                + created.authenticationMode() + ", created at " + createdAt + ") and put in CloudTrail's event history "
                + "with that time; not delivered to the rule: eks-access adopt registers it", arn));
    }

    // ---------------------------------------------------------------- eks-access commands

    /**
     * Runs an {@code eks-access} command file with the real CLI, as {@code senderArn} (docs/sandbox.md); what it
     * sends to the grant queue settles like any message.
     */
    private void runCli(InputFile.CliCommand file, String senderArn) {
        String where = file.path().toString();
        options.progress().accept(where + ": " + file.commandLine() + " (as " + senderArn + ")");
        SandboxCli.Result result;
        try {
            result = cli.run(file.args(), senderArn, sender(senderArn, SESSION),
                    eks.clusters().stream().map(ClusterSnapshot::name).toList());
        } catch (RuntimeException e) {
            result = new SandboxCli.Result(SandboxCommand.CANNOT_START, "", "the CLI failed: " + e);
        }
        options.progress().accept(where + ": exit code " + result.exitCode());
        commands.add(new Report.Command(where, file.commandLine(), senderArn, result.exitCode(), result.output(),
                result.errors()));
    }

    // ---------------------------------------------------------------- messages

    private void send(InputFile.Message message, String senderArn) {
        String file = message.path().toString();
        try {
            existsInIam(text(JSON.readTree(message.text()), "principalArn"));
        } catch (IOException e) {
            // not JSON: the grant processor rejects it, saying so
        }
        try {
            String messageId = sender(senderArn, SESSION).sqs().sendMessage(request -> request
                    .queueUrl(grantQueue.queueUrl()).messageBody(message.text())).messageId();
            requests.sentFrom(messageId, file);
            options.progress().accept(file + ": sent to the grant queue by " + senderArn + " as message "
                    + messageId);
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

    /**
     * The sender {@code arn}: on first use, the role (with a session named {@code session}) or user is created in the
     * IAM emulator, which gives it a unique id, and declared to SQS with the SenderId SQS would give its messages.
     */
    private SenderIdentities.Sender sender(String arn, String session) {
        return sendersByArn.computeIfAbsent(arn, a -> {
            SenderIdentities.Sender declared = a.contains(":user/") ? senders.user(iam.createUser(a))
                    : senders.roleSession(iam.createRole(a), session);
            arnsBySenderId.put(declared.senderId(), a);
            return declared;
        });
    }

    /**
     * The role or user {@code arn} exists in the IAM emulator, as the principals the played files name exist in AWS:
     * created on first mention, unless it is a sender (which has its id already). Otherwise the reconciliation would
     * flag every such entry {@code PRINCIPAL_GONE}. What is no IAM role or user ARN is left out.
     */
    private void existsInIam(String arn) {
        if (arn == null || sendersByArn.containsKey(arn) || !otherPrincipals.add(arn)) {
            return;
        }
        try {
            if (arn.contains(":user/")) {
                iam.createUser(arn);
            } else if (arn.contains(":role/")) {
                iam.createRole(arn);
            }
        } catch (RuntimeException e) {
            // not an ARN IAM would take: the functions judge it as they would in AWS
        }
    }

    /**
     * IAM as the grant processor asks it ({@code GetRole}, {@code GetUser}), answered by the emulator. Each account's
     * principals are asked with credentials of that account, as the deployed function asks them through its own role
     * and the member accounts' cross-account roles.
     */
    private IamPrincipalIds emulatedIam() {
        return new IamPrincipalIds(this::iamOf);
    }

    /** IAM as asked with credentials of {@code account}. */
    private IamClient iamOf(String account) {
        return iamClients.computeIfAbsent(account, a -> IamClient.builder().endpointOverride(iam.endpoint())
                .region(Region.of(REGION)).credentialsProvider(iam.credentials(a)).httpClient(eksHttp).build());
    }

    /** Every account's clusters are in the one emulator; {@link CrossAccountEks} still refuses other accounts. */
    private CrossAccountEks emulatedEks() {
        return new CrossAccountEks(ACCOUNT_ID, Optional.empty(),
                region -> TestEksClients.builder(eks.endpoint(), region, aws.credentials()).httpClient(eksHttp).build(),
                (roleArn, session) -> {
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
                cluster.status().name(), creator, cluster.authenticationMode().name(), bootstrap,
                record.map(ClusterRecord::source).orElse(null), cluster.updates().stream().map(update -> update.params()
                        .entrySet().stream().map(p -> p.getKey() + "=" + p.getValue()).sorted()
                        .collect(Collectors.joining(",")) + " " + update.status() + " at "
                        + update.createdAt().truncatedTo(ChronoUnit.SECONDS)).toList());
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
