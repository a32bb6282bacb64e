package dev.eksaccess.bench;

import dev.eksaccess.authz.InternalSenders;
import dev.eksaccess.authz.PrincipalIds;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoLedger;
import dev.eksaccess.aws.DynamoPendingApprovals;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.delivery.BootstrapWaits;
import dev.eksaccess.delivery.RetryScheduler;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSnapshot;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.eks.ManualClock;
import dev.eksaccess.emulator.eks.RecordedCall;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.handler.GrantRequestHandler;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.request.RequestRules;
import dev.eksaccess.testsupport.EventSourceMappingPoller;
import dev.eksaccess.testsupport.LocalLambdaContext;
import dev.eksaccess.testsupport.QueuePair;
import dev.eksaccess.testsupport.SenderIdentities;
import dev.eksaccess.testsupport.SqsQueues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * Time to admin access (issue 14): a cluster stays CREATING for 5 to 60 minutes on the EKS emulator's manual clock;
 * its bootstrap request goes through ElasticMQ (the queue's redrive policy as deployed,
 * {@link GrantQueueSettings#MAX_RECEIVE_COUNT}) to the grant processor with the real SDK adapters (dynalite for the
 * registry and the ledger), fed as Lambda's event source mapping does. Every delay the processor asks for (the copy of
 * a waiting bootstrap, a retry's visibility) passes on that clock and the message is visible at once, so an hour costs
 * seconds. Measured: the time from ACTIVE to the first AssociateAccessPolicy, the DescribeCluster calls, the most
 * receives of one message, and the dead letters; for the scheme as deployed (a copy every
 * {@link BootstrapWaits#RECHECK}) and for the growing backoff it replaced (no copies: the message itself is retried).
 */
final class AdminLag {

    /** Creation times from the issue. */
    static final List<Integer> CREATION_MINUTES = List.of(5, 10, 15, 25, 40, 60);

    private static final Instant START = Instant.parse("2026-12-03T09:00:00Z");
    /**
     * When the first check comes after CreateCluster (the event's way through CloudTrail, EventBridge and the
     * cluster-creation function): 29 s puts every later check 1 s before a whole half-minute, so the check after ACTIVE
     * comes as late as a 30 s period allows, the worst case.
     */
    static final Duration FIRST_CHECK = Duration.ofSeconds(29);
    private static final Pattern RECEIVE_COUNT = Pattern.compile("\"receiveCount\":(\\d+)");
    private static final String CREATION_ROLE_ID = "AROABENCHCREATION001";
    private static final String PROCESSOR_ROLE_ID = "AROABENCHPROCESSOR01";

    /** One cluster's bootstrap under one scheme. */
    record Row(int creationMinutes, String scheme, Duration lag, int describeClusterCalls, int whileCreating,
               int maxReceives, int deadLetters, String status) {
    }

    private final BenchEnvironment env;
    private final AtomicInteger runs = new AtomicInteger();

    AdminLag(BenchEnvironment env) {
        this.env = env;
    }

    List<Row> measure() {
        List<Row> rows = new ArrayList<>();
        for (int minutes : CREATION_MINUTES) {
            rows.add(run(minutes, true));
            rows.add(run(minutes, false));
        }
        return rows;
    }

    /** @param copies the deployed scheme; false: the growing backoff it replaced */
    private Row run(int minutes, boolean copies) {
        int n = runs.incrementAndGet();
        String account = env.account();
        String creationRole = "arn:aws:iam::" + account + ":role/eks-access/cluster-creation";
        String processorRole = "arn:aws:iam::" + account + ":role/eks-access/grant-processor";
        ManualClock eksTime = new ManualClock(START);
        Clock clock = Clock.fixed(START, ZoneOffset.UTC);
        Clock manual = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return eksTime.instant();
            }
        };
        List<String> logs = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (EksEmulator eks = EksEmulator.start(EksEmulator.Options.defaults().withClock(eksTime));
             SenderIdentities identities = SenderIdentities.start(env.aws());
             EksClient eksClient = EksClient.builder().endpointOverride(eks.endpoint()).region(env.aws().region())
                     .credentialsProvider(env.aws().credentials()).httpClient(UrlConnectionHttpClient.create())
                     .build()) {
            String name = "lag-" + n + "-" + minutes + "min";
            ClusterSnapshot created = eks.createCluster(ClusterSpec.builder(name).accountId(account)
                    .region(env.region()).authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                    .activationDelay(Duration.ofMinutes(minutes)).build());
            eks.registerIamPrincipal(env.adminPrincipal());
            QueuePair queue = SqsQueues.createWithDeadLetterQueue(env.aws().sqs(), "bench-lag-" + n,
                    GrantQueueSettings.MAX_RECEIVE_COUNT, Duration.ofSeconds(30));
            GrantProcessorConfig config = new GrantProcessorConfig(BenchEnvironment.LEDGER_TABLE,
                    BenchEnvironment.REGISTRY_TABLE, queue.queueUrl(), account,
                    List.of(new AdminGrant(env.adminPrincipal(), AccessPolicies.CLUSTER_ADMIN)), false, false,
                    Optional.empty(), AccessPolicies.DEFAULT_ALLOWED, RequestRules.DEFAULT_MAX_GRANT_DURATION)
                    .withAuthorization(BenchAuthorization.document(account), new InternalSenders(
                            Optional.of(creationRole), Optional.empty(),
                            copies ? Optional.of(processorRole) : Optional.empty()));
            PrincipalIds ids = arn -> Optional.ofNullable(Map.of(creationRole, CREATION_ROLE_ID,
                    processorRole, PROCESSOR_ROLE_ID).get(arn));
            SenderIdentities.Sender creation = identities.roleSession(CREATION_ROLE_ID, "cluster-creation");
            SenderIdentities.Sender processor = identities.roleSession(PROCESSOR_ROLE_ID, "grant-processor");

            // What the cluster-creation function does: the registry record, then the bootstrap request.
            String eventId = "bench-event-" + n;
            String arn = created.arn();
            new DynamoClusterRegistry(env.aws().dynamoDb(), BenchEnvironment.REGISTRY_TABLE, clock).putIfAbsent(
                    new ClusterRecord(arn, name, account, env.region(), creationRole, "AssumedRole", "bench", null,
                            eventId, created.createdAt(), "bench", "API_AND_CONFIG_MAP", true,
                            BootstrapStatus.PENDING, "queued", created.createdAt()));
            new SqsBootstrapQueue(creation.sqs(), queue.queueUrl())
                    .send(BootstrapRequest.forEvent(arn, eventId, created.createdAt()));

            eksTime.advance(FIRST_CHECK);
            SqsRetryScheduler visibility = new SqsRetryScheduler(env.aws().sqs(), queue.queueUrl());
            RetryScheduler retries = (receiptHandle, delay) -> {
                eksTime.advance(delay);
                visibility.retryAfter(receiptHandle, Duration.ZERO);
            };
            SqsBootstrapQueue copyQueue = new SqsBootstrapQueue(processor.sqs(), queue.queueUrl());
            BootstrapWaits waits = copies ? (request, delay) -> {
                eksTime.advance(delay);
                return copyQueue.sendLater(request, Duration.ZERO);
            } : BootstrapWaits.NONE;
            GrantRequestHandler handler = GrantRequestHandler.builder(config, env.region())
                    .withEks((cluster, actingFor) -> new SdkEksAccess(eksClient))
                    .withRegistry(new DynamoClusterRegistry(env.aws().dynamoDb(), BenchEnvironment.REGISTRY_TABLE,
                            manual))
                    .withLedger(new DynamoLedger(env.aws().dynamoDb(), BenchEnvironment.LEDGER_TABLE))
                    .withStates(new DynamoGrantStates(env.aws().dynamoDb(), BenchEnvironment.LEDGER_TABLE))
                    .withRetries(retries).withBootstrapWaits(waits).withPrincipalIds(ids)
                    .withPendingApprovals(new DynamoPendingApprovals(env.aws().dynamoDb(),
                            BenchEnvironment.LEDGER_TABLE))
                    .withClock(manual).withLogSink(logs::add).build();
            new EventSourceMappingPoller(env.aws().sqs(), queue.queueUrl(), handler, GrantQueueSettings.BATCH_SIZE,
                    Duration.ZERO, () -> new LocalLambdaContext(LocalLambdaContext.functionArn(env.region(), account,
                    "grant-processor"), logs::add), identities).drain(Duration.ofMinutes(5));

            Instant active = created.createdAt().plus(Duration.ofMinutes(minutes));
            List<RecordedCall> associations = eks.calls("AssociateAccessPolicy");
            Duration lag = associations.isEmpty() ? null : Duration.between(active, associations.getFirst().at());
            int deadLetters = env.aws().sqs().receiveMessage(r -> r.queueUrl(queue.deadLetterQueueUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages().size();
            int maxReceives = logs.stream().map(RECEIVE_COUNT::matcher).filter(Matcher::find)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
            String status = new DynamoClusterRegistry(env.aws().dynamoDb(), BenchEnvironment.REGISTRY_TABLE, clock)
                    .find(arn).map(r -> r.bootstrapStatus().name()).orElse("?");
            return new Row(minutes, copies ? "copy every " + BootstrapWaits.RECHECK.toSeconds() + " s (deployed)"
                    : "growing backoff (before)", lag, eks.calls("DescribeCluster").size(),
                    (int) eks.calls("DescribeCluster").stream().filter(c -> c.at().isBefore(active)).count(), maxReceives,
                    deadLetters, status);
        }
    }

    /**
     * The table: per creation time and scheme, the lag from ACTIVE to the admin's association, the DescribeCluster
     * calls (all, and per minute while the cluster was CREATING), the most receives of one message, dead letters.
     */
    static String report(List<Row> rows) {
        StringBuilder out = new StringBuilder("Time to admin access: cluster CREATING for N minutes (EKS emulator, "
                + "manual clock), bootstrap through ElasticMQ (maxReceiveCount " + GrantQueueSettings.MAX_RECEIVE_COUNT
                + ") and the grant processor; goal: lag <= 60 s, <= 2 DescribeCluster per pending minute, no dead "
                + "letter; first check " + FIRST_CHECK.toSeconds() + " s after CreateCluster, the worst phase\n\n"
                + "| creation | scheme | ACTIVE -> admin associated | DescribeCluster | while CREATING, per minute "
                + "| most receives of a message | dead letters | bootstrap |\n"
                + "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Row row : rows) {
            out.append("| ").append(row.creationMinutes()).append(" min | ").append(row.scheme()).append(" | ")
                    .append(row.lag() == null ? "never" : row.lag().toSeconds() + " s").append(" | ")
                    .append(row.describeClusterCalls()).append(" | ")
                    .append(String.format(java.util.Locale.ROOT, "%.2f",
                            (double) row.whileCreating() / row.creationMinutes()))
                    .append(" | ").append(row.maxReceives()).append(" | ").append(row.deadLetters()).append(" | ")
                    .append(row.status()).append(" |\n");
        }
        return out.toString();
    }
}
