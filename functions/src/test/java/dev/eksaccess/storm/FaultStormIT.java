package dev.eksaccess.storm;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoLeases;
import dev.eksaccess.aws.DynamoLedger;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.RetryScheduler;
import dev.eksaccess.emulator.eks.AccessEntrySnapshot;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.ClusterStatus;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.eks.Fault;
import dev.eksaccess.emulator.eks.PolicyAssociation;
import dev.eksaccess.emulator.eks.RecordedCall;
import dev.eksaccess.handler.GrantRequestHandler;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.storm.StormPlan.Kind;
import dev.eksaccess.storm.StormPlan.StormRequest;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.EventSourceMappingPoller;
import dev.eksaccess.testsupport.LocalLambdaContext;
import dev.eksaccess.testsupport.QueuePair;
import dev.eksaccess.testsupport.SqsQueues;
import dev.eksaccess.testsupport.UniqueNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The fault storm (issue 7): over a thousand grant and revoke requests for two dozen clusters and thirty principals,
 * each sent one to three times (same requestId) in shuffled order through SQS (ElasticMQ, with the production redrive
 * policy), drained by an event-source-mapping poller into the real {@link GrantRequestHandler} with the real SDK
 * adapters (EKS emulator over HTTP, DynamoDB on dynalite), while the EKS emulator throttles (429) or fails (500) a
 * fifth of all calls, drawn from a seeded random source, and adds latency to every call.
 *
 * <p><b>Retries.</b> The EKS client retries once (two attempts, short fixed backoff, no retry quota), so a call still
 * fails about 4 % of the time and a request (about seven EKS calls) fails about a quarter of its deliveries: the
 * queue-level retry (batch item failures, held-back successors, ChangeMessageVisibility shortened to zero) carries
 * most of the recovery. {@link GrantQueueSettings#MAX_RECEIVE_COUNT} receives make a dead letter from faults alone
 * unlikely but possible.
 *
 * <p><b>Dead letters.</b> So that the dead-letter path is always taken, the quiet cluster (see {@link StormPlan}) is
 * held CREATING for the whole storm: its valid requests are retried until the queue dead-letters every copy. After
 * the storm the dead-letter queue is received and counted in (applied + ignored + rejected + dead-lettered = sent,
 * per request and in total). Then the test does what an operator does once the cause is gone: the faults stop, the
 * cluster becomes ACTIVE, the dead letters are sent again. A dead-lettered request may have left a partial change
 * (an entry created, its policy not associated yet), and whether a request was dead-lettered by faults depends on
 * thread timing; redriving makes every request end final, so the expected state does not depend on which ones were.
 * Redriven requests arrive long after newer requests for the same keys and must apply only where they are the
 * newest, which is exactly the requestedAt ordering under test.
 *
 * <p><b>Expected state.</b> {@link ReferenceModel} applies the valid requests in requestedAt order (grant: the policy
 * with its scope; revoke: the policy gone; revoke without policy: all gone; an entry exists iff a policy remains)
 * and the emulator must hold exactly that, besides the untouched creator entries.
 *
 * <p>Reproduce a failure with the printed seed: {@code -Dstorm.seed=N}; {@code -Dstorm.requests=N} changes the size;
 * {@code -Dstorm.pollers=N} drains with N concurrent pollers (default three), as Lambda scales an event source
 * mapping out: requests for one principal then meet in concurrent invocations, which the processor keeps apart with a
 * lease per cluster and principal (before it had one, a run with three pollers rejected a revoke because a
 * concurrent invocation deleted the entry in the middle of it).
 * The requests, their copies and the send order follow from the seed; which call draws which fault depends on thread
 * timing, so two runs with one seed take different paths to the same expected state.
 */
@ExtendWith(EmulatedAws.class)
class FaultStormIT {

    private static final long SEED = Long.getLong("storm.seed", 20261128L);
    private static final int REQUESTS = Integer.getInteger("storm.requests", 1000);
    private static final int CLUSTERS = 24;
    private static final int PRINCIPALS = 30;
    /** Concurrent invocations, as Lambda scales an event source mapping out. */
    private static final int POLLERS = Integer.getInteger("storm.pollers", 3);
    private static final double INVALID_RATE = 0.05;
    private static final double THROTTLING_RATE = 0.10;
    private static final double SERVER_ERROR_RATE = 0.10;
    private static final Duration LATENCY = Duration.ofMillis(2);
    private static final String STUCK_CLUSTER = StormPlan.clusterName(CLUSTERS - 1);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsBackend aws;
    private final String context = "fault storm seed " + SEED + " (rerun with -Dstorm.seed=" + SEED + ")";
    private final List<String> clusterNames = IntStream.range(0, CLUSTERS).mapToObj(StormPlan::clusterName).toList();
    private EksEmulator emulator;
    private EksClient eksClient;
    private QueuePair queue;
    private String ledgerTable;
    private GrantRequestHandler handler;
    private EventSourceMappingPoller poller;

    FaultStormIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        emulator = EksEmulator.start(EksEmulator.Options.defaults().withRandomSeed(SEED));
        eksClient = EksClient.builder().endpointOverride(emulator.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(2).circuitBreakerEnabled(false)
                        .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
                        .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(10))).build()))
                .build();
        queue = SqsQueues.createWithDeadLetterQueue(aws.sqs(), UniqueNames.unique("storm"),
                GrantQueueSettings.MAX_RECEIVE_COUNT, Duration.ofSeconds(30));
        ledgerTable = DynamoDbTables.createUnique(aws.dynamoDb(), "ledger", Tables.LEDGER);
        String registryTable = DynamoDbTables.createUnique(aws.dynamoDb(), "registry", Tables.REGISTRY);
        Clock clock = Clock.systemUTC();
        DynamoClusterRegistry registry = new DynamoClusterRegistry(aws.dynamoDb(), registryTable, clock);
        for (String name : clusterNames) {
            emulator.createCluster(ClusterSpec.builder(name).accountId(StormPlan.ACCOUNT).region(StormPlan.REGION)
                    .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                    .bootstrapClusterCreatorAdminPermissions(true).creatorPrincipalArn(StormPlan.creatorOf(name))
                    .build());
            registry.putIfAbsent(new ClusterRecord(StormRequest.clusterArn(name), name, StormPlan.ACCOUNT,
                    StormPlan.REGION, StormPlan.creatorOf(name), "AssumedRole", "storm", null, "evt-" + name,
                    clock.instant(), "aws-cli", "API_AND_CONFIG_MAP", true, BootstrapStatus.NOT_NEEDED, "seeded",
                    clock.instant()));
        }
        GrantProcessorConfig config = new GrantProcessorConfig(ledgerTable, registryTable, queue.queueUrl(),
                StormPlan.ACCOUNT, List.of(), false, false, Optional.empty(), AccessPolicies.DEFAULT_ALLOWED,
                Duration.ofDays(7));
        SqsRetryScheduler sqsRetries = new SqsRetryScheduler(aws.sqs(), queue.queueUrl());
        // The real retry path (ChangeMessageVisibility), with the 30 s-and-more backoff shortened to nothing and the
        // seconds of a wait for another invocation's lease to one (SQS counts whole seconds): a lease holder finishes
        // well within it, so waiting messages do not spend their receives while it works.
        handler = GrantRequestHandler.builder(config, StormPlan.REGION)
                .withEks(cluster -> new SdkEksAccess(eksClient)).withRegistry(registry)
                .withLedger(new DynamoLedger(aws.dynamoDb(), ledgerTable))
                .withStates(new DynamoGrantStates(aws.dynamoDb(), ledgerTable))
                .withLeases(new DynamoLeases(aws.dynamoDb(), ledgerTable))
                .withRetries((receiptHandle, delay) -> sqsRetries.retryAfter(receiptHandle,
                        delay.compareTo(RetryScheduler.FIRST_RETRY) < 0 ? Duration.ofSeconds(1) : Duration.ZERO))
                .withClock(clock).withLogSink(line -> { }).build();
        poller = new EventSourceMappingPoller(aws.sqs(), queue.queueUrl(), handler, GrantQueueSettings.BATCH_SIZE,
                Duration.ZERO, () -> new LocalLambdaContext(
                        LocalLambdaContext.functionArn(StormPlan.REGION, StormPlan.ACCOUNT, "grant-processor"),
                        line -> { }));
    }

    @AfterEach
    void stop() {
        eksClient.close();
        emulator.close();
    }

    @Test
    void stormOfDuplicatedShuffledRequests_underEksFaults_endsInTheRequestedState_withEveryMessageAccountedFor() {
        long started = System.nanoTime();
        StormPlan plan = StormPlan.generate(SEED, REQUESTS, CLUSTERS, PRINCIPALS, INVALID_RATE,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3)));
        Map<String, AccessEntrySnapshot> creatorsBefore = creatorEntries();
        // CREATING with no activation time stays so (a forced UPDATING ends at the next call, as no update runs).
        emulator.setStatus(STUCK_CLUSTER, ClusterStatus.CREATING);
        emulator.inject(Fault.latency(LATENCY));
        emulator.inject(Fault.throttling().withProbability(THROTTLING_RATE));
        // Drawn only for calls not throttled already: the two together fail THROTTLING + SERVER_ERROR of all calls.
        emulator.inject(Fault.serverError().withProbability(SERVER_ERROR_RATE / (1 - THROTTLING_RATE)));

        // GIVEN every copy of every request on the queue, shuffled
        send(plan.sendOrder().stream().map(StormRequest::body).toList());

        // WHEN the poller drains it while EKS misbehaves
        List<EventSourceMappingPoller.Invocation> stormInvocations = drain();
        double stormSeconds = (System.nanoTime() - started) / 1e9;
        List<Message> deadLetters = receiveAll(queue.deadLetterQueueUrl());
        Map<String, Long> deadByRequest = deadLetters.stream()
                .collect(Collectors.groupingBy(m -> requestIdOf(m.body()), Collectors.counting()));
        LedgerCensus storm = census();
        List<RecordedCall> stormCalls = emulator.calls();
        long injectedFaults = stormCalls.stream().filter(c -> c.injected() && c.errorCode()
                .filter(code -> code.equals("ThrottlingException") || code.equals("ServerException")).isPresent())
                .count();

        // AND WHEN the cause is gone and the dead letters are redriven
        emulator.clearFaults();
        emulator.setStatus(STUCK_CLUSTER, ClusterStatus.ACTIVE);
        send(deadLetters.stream().map(Message::body).toList());
        List<EventSourceMappingPoller.Invocation> redriveInvocations = drain();
        LedgerCensus end = census();

        long deliveries = stormInvocations.stream().mapToLong(i -> i.messageIds().size()).sum()
                + redriveInvocations.stream().mapToLong(i -> i.messageIds().size()).sum();
        System.out.printf("FAULT STORM seed=%d requests=%d sent=%d deliveries=%d applied=%d ignored-duplicate=%d "
                        + "ignored-stale=%d rejected=%d dead-lettered=%d eks-calls=%d injected-faults=%d (%.1f%%) "
                        + "storm=%.1fs total=%.1fs (counts as of the storm's end; dead letters then redriven)%n",
                SEED, plan.requests().size(), plan.messageCount(), deliveries, storm.ownWithOutcome("applied"),
                storm.duplicates(), storm.ownWithOutcome("ignored"), storm.ownWithOutcome("rejected"),
                deadLetters.size(), stormCalls.size(), injectedFaults, 100.0 * injectedFaults / stormCalls.size(),
                stormSeconds, (System.nanoTime() - started) / 1e9);

        // THEN during the storm every message was applied, ignored or rejected with a stored record, or dead-lettered
        assertEveryMessageAccountedFor(plan, storm, deadByRequest);
        Set<String> stuckValid = plan.requests().stream()
                .filter(r -> r.clusterName().equals(STUCK_CLUSTER) && r.kind() != Kind.INVALID)
                .map(StormRequest::requestId).collect(Collectors.toSet());
        // Those not dead-lettered were ignored as older than a dead-lettered one (a failed grant counts as pending).
        Map<String, LedgerCensus.Record> stormRecords = storm.ownRecords();
        assertThat(stuckValid).as(context + ": valid requests for the cluster kept CREATING")
                .isNotEmpty()
                .allSatisfy(id -> assertThat(deadByRequest.containsKey(id)
                        || stormRecords.get(id).reason().startsWith("stale")).as(id + " dead-lettered or stale")
                        .isTrue())
                .anySatisfy(id -> assertThat(deadByRequest).containsKey(id));
        // AND after the redrive every request ended final, and EKS holds what the requests meant in requestedAt order
        assertEveryMessageAccountedFor(plan, end, Map.of());
        assertThat(receiveAll(queue.deadLetterQueueUrl())).as(context + ": dead letters after the redrive").isEmpty();
        assertStateMatchesTheReferenceModel(plan, end);
        assertNothingGrantedThatNoRequestAskedFor(plan);
        assertLockoutInvariants(creatorsBefore);
        assertInvalidRequestsRejectedWithReasons(plan, end);
    }

    /** What the storm found first, step by step: the entry's create token must not outlive the entry. */
    @Test
    void grantRetriedAfterALaterArrivingRevokeDeletedItsEntry_createsTheEntryAgain() {
        String cluster = StormPlan.clusterName(0);
        String principal = StormPlan.principal(1);
        Instant t1 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        String grant = "{\"action\":\"grant\",\"clusterName\":\"" + cluster + "\",\"principalArn\":\"" + principal
                + "\",\"accessPolicy\":\"AmazonEKSViewPolicy\",\"accessScope\":{\"type\":\"cluster\"},"
                + "\"requestId\":\"g1\",\"requestedAt\":\"" + t1 + "\"}";
        String laterRevoke = "{\"action\":\"revoke\",\"clusterName\":\"" + cluster + "\",\"principalArn\":\""
                + principal + "\",\"accessPolicy\":\"AmazonEKSEditPolicy\",\"requestId\":\"r2\",\"requestedAt\":\""
                + t1.plusSeconds(30) + "\"}";
        // GIVEN a grant that created the entry, then was throttled beyond the SDK's retry on associating its policy
        emulator.inject(Fault.throttling().onOperation("AssociateAccessPolicy").forNextCalls(2));
        assertThat(invoke("m1", grant, 1)).containsExactly("m1");
        assertThat(emulator.accessEntry(cluster, principal))
                .hasValueSatisfying(e -> assertThat(e.policies()).isEmpty());
        // AND a later revoke of another policy, arriving before the grant's retry, that deleted the policyless entry
        assertThat(invoke("m2", laterRevoke, 1)).isEmpty();
        assertThat(emulator.accessEntry(cluster, principal)).isEmpty();

        // WHEN the grant is retried
        List<String> failed = invoke("m1", grant, 2);

        // THEN it creates the entry again (a per-request create token made EKS replay the first create instead)
        assertThat(failed).isEmpty();
        assertThat(emulator.accessEntry(cluster, principal).orElseThrow().hasClusterScoped(AccessPolicies.VIEW))
                .isTrue();
    }

    /** Polls until the queue is drained, retries included, with {@link #POLLERS} pollers at once. */
    private List<EventSourceMappingPoller.Invocation> drain() {
        if (POLLERS == 1) {
            return poller.drain(DRAIN_TIMEOUT);
        }
        try (ExecutorService executor = Executors.newFixedThreadPool(POLLERS)) {
            List<Future<List<EventSourceMappingPoller.Invocation>>> drains = IntStream.range(0, POLLERS)
                    .mapToObj(i -> executor.submit(() -> poller.drain(DRAIN_TIMEOUT))).toList();
            List<EventSourceMappingPoller.Invocation> all = new ArrayList<>();
            for (Future<List<EventSourceMappingPoller.Invocation>> drain : drains) {
                all.addAll(drain.get());
            }
            return all;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("a poller failed", e);
        }
    }

    /** One invocation with one message, as the event source mapping would make it; returns the failed ids. */
    private List<String> invoke(String messageId, String body, int receiveCount) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(messageId);
        message.setBody(body);
        message.setAttributes(Map.of("SentTimestamp", Long.toString(System.currentTimeMillis()),
                "ApproximateReceiveCount", Integer.toString(receiveCount), "SenderId", "AIDASTORM"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return handler.handleRequest(event, null).getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /**
     * Per request: its own record is final (or, only while copies sit in the dead-letter queue, failed-transient),
     * and own final record + duplicate records + dead-lettered copies = copies sent. Nothing else is in the ledger.
     */
    private void assertEveryMessageAccountedFor(StormPlan plan, LedgerCensus census, Map<String, Long> deadByRequest) {
        Map<String, LedgerCensus.Record> own = census.ownRecords();
        Map<String, Long> duplicates = census.duplicatesByRequest();
        List<String> problems = new ArrayList<>();
        for (StormRequest request : plan.requests()) {
            LedgerCensus.Record record = own.get(request.requestId());
            long dead = deadByRequest.getOrDefault(request.requestId(), 0L);
            boolean isFinal = record != null && !record.outcome().equals("failed-transient");
            long accounted = (isFinal ? 1 : 0) + duplicates.getOrDefault(request.requestId(), 0L) + dead;
            if (record == null || accounted != request.copies() || (!isFinal && dead == 0)) {
                problems.add(request.requestId() + ": sent " + request.copies() + ", own record "
                        + (record == null ? "missing" : record.outcome()) + ", duplicates "
                        + duplicates.getOrDefault(request.requestId(), 0L) + ", dead-lettered " + dead);
            }
        }
        Set<String> planned = plan.requests().stream().map(StormRequest::requestId).collect(Collectors.toSet());
        census.records().stream().filter(r -> !planned.contains(r.requestId()))
                .forEach(r -> problems.add("ledger record of a request nobody sent: " + r));
        assertThat(problems.stream().limit(20).toList())
                .as(context + ": unaccounted messages (first 20 of " + problems.size() + ")").isEmpty();
        long total = census.ownWithOutcome("applied") + census.ownWithOutcome("ignored")
                + census.ownWithOutcome("rejected") + census.duplicates()
                + deadByRequest.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).as(context + ": applied + ignored + rejected + dead-lettered").isEqualTo(plan.messageCount());
    }

    /** Invalid requests are rejected with the specific reason; valid ones never are, and never stay unfinished. */
    private void assertInvalidRequestsRejectedWithReasons(StormPlan plan, LedgerCensus census) {
        Map<String, LedgerCensus.Record> own = census.ownRecords();
        List<String> problems = new ArrayList<>();
        for (StormRequest request : plan.requests()) {
            LedgerCensus.Record record = own.get(request.requestId());
            boolean ok = request.kind() == Kind.INVALID
                    ? record.outcome().equals("rejected") && record.reason() != null
                            && record.reason().contains(request.expectedRejection())
                    : record.outcome().equals("applied")
                            || record.outcome().equals("ignored") && record.reason().startsWith("stale");
            if (!ok) {
                problems.add(request.requestId() + " " + request.kind() + " " + request.body() + " -> "
                        + record.outcome() + ": " + record.reason());
            }
        }
        assertThat(problems.stream().limit(20).toList()).as(context + ": wrong outcomes (" + problems.size() + ")")
                .isEmpty();
    }

    /** On a difference, shows each differing principal's requests in requestedAt order with how each ended. */
    private void assertStateMatchesTheReferenceModel(StormPlan plan, LedgerCensus census) {
        Map<String, Map<String, Map<String, AccessScope>>> expected = ReferenceModel.expected(plan.requests());
        List<ReferenceModel.Difference> differences = new ArrayList<>();
        for (String cluster : clusterNames) {
            Map<String, Map<String, AccessScope>> actual = ReferenceModel.actual(emulator.accessEntries(cluster),
                    List.of(StormPlan.creatorOf(cluster)));
            differences.addAll(ReferenceModel.differences(cluster, expected.getOrDefault(cluster, Map.of()), actual,
                    20 - differences.size()));
            if (differences.size() >= 20) {
                break;
            }
        }
        Map<String, LedgerCensus.Record> own = census.ownRecords();
        List<String> report = new ArrayList<>();
        for (ReferenceModel.Difference difference : differences) {
            report.add(difference.cluster() + " " + difference.principal() + ": " + difference.text());
            if (report.size() > 40) {
                continue;
            }
            plan.requests().stream().filter(r -> r.clusterName().equals(difference.cluster())
                            && r.principalArn().equals(difference.principal()))
                    .forEach(r -> report.add("    " + r.requestedAt() + " " + r.requestId() + " " + r.kind() + " "
                            + r.policyArn() + " " + r.scope() + " x" + r.copies() + " -> "
                            + own.get(r.requestId()).outcome() + " at " + own.get(r.requestId()).recordedAt() + ": "
                            + own.get(r.requestId()).reason()));
        }
        assertThat(differences).as(context + ": EKS differs from the requests in requestedAt order (first 20):%n%s",
                String.join(System.lineSeparator(), report)).isEmpty();
    }

    private void assertNothingGrantedThatNoRequestAskedFor(StormPlan plan) {
        Set<String> asked = plan.requests().stream().filter(r -> r.kind() == Kind.GRANT)
                .map(r -> association(r.clusterName(), r.principalArn(), r.policyArn(), r.scope()))
                .collect(Collectors.toSet());
        List<String> unasked = new ArrayList<>();
        for (String cluster : clusterNames) {
            for (AccessEntrySnapshot entry : emulator.accessEntries(cluster)) {
                if (entry.principalArn().equals(StormPlan.creatorOf(cluster))) {
                    continue;
                }
                assertThat(entry.tags()).as(context + ": " + entry.principalArn() + " on " + cluster)
                        .containsEntry("managed-by", "eks-access");
                for (PolicyAssociation policy : entry.policies()) {
                    String association = association(cluster, entry.principalArn(), policy.policyArn(), policy.scope());
                    if (!asked.contains(association)) {
                        unasked.add(association);
                    }
                }
            }
        }
        assertThat(unasked).as(context + ": associations no grant request asked for").isEmpty();
    }

    /**
     * The creator's entry is exactly as EKS made it, every cluster keeps a cluster admin, no authentication mode
     * changed, no {@code system:} group reached EKS, and nothing but reads touched a creator.
     */
    private void assertLockoutInvariants(Map<String, AccessEntrySnapshot> creatorsBefore) {
        assertThat(creatorEntries()).as(context + ": creator entries").isEqualTo(creatorsBefore);
        for (String cluster : clusterNames) {
            assertThat(emulator.authenticationMode(cluster)).as(context + ": mode of " + cluster)
                    .isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
            assertThat(emulator.accessEntries(cluster)).as(context + ": cluster admins of " + cluster)
                    .anySatisfy(e -> assertThat(e.hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue());
        }
        List<RecordedCall> calls = emulator.calls();
        assertThat(calls).as(context + ": authentication mode changes")
                .noneMatch(c -> c.operation().equals("UpdateClusterConfig"));
        assertThat(calls).as(context + ": system: groups sent to EKS").noneMatch(c -> c.bodyJson()
                .get("kubernetesGroups") instanceof List<?> groups
                && groups.stream().anyMatch(g -> String.valueOf(g).startsWith("system:")));
        Set<String> creators = clusterNames.stream().map(StormPlan::creatorOf).collect(Collectors.toSet());
        Set<String> reads = Set.of("DescribeCluster", "DescribeAccessEntry", "ListAccessEntries",
                "ListAssociatedAccessPolicies");
        assertThat(calls).as(context + ": changes to a creator's entry").noneMatch(c -> !reads.contains(c.operation())
                && (creators.contains(c.pathParams().get("principalArn"))
                        || creators.contains(String.valueOf(c.bodyJson().get("principalArn")))));
    }

    private Map<String, AccessEntrySnapshot> creatorEntries() {
        Map<String, AccessEntrySnapshot> entries = new HashMap<>();
        for (String cluster : clusterNames) {
            entries.put(cluster, emulator.accessEntry(cluster, StormPlan.creatorOf(cluster)).orElseThrow());
        }
        return entries;
    }

    private LedgerCensus census() {
        List<String> arns = new ArrayList<>(clusterNames.stream().map(StormRequest::clusterArn).toList());
        arns.add(StormRequest.clusterArn(StormPlan.MISSING_CLUSTER));
        return LedgerCensus.read(aws.dynamoDb(), ledgerTable, arns);
    }

    private void send(List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += 10) {
            List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + 10));
            List<SendMessageBatchRequestEntry> entries = IntStream.range(0, chunk.size())
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(chunk.get(i)).build())
                    .toList();
            var result = aws.sqs().sendMessageBatch(r -> r.queueUrl(queue.queueUrl()).entries(entries));
            assertThat(result.failed()).as("messages SQS refused").isEmpty();
        }
    }

    /** Receives every message of a queue, hiding each received one long enough not to see it twice. */
    private List<Message> receiveAll(String queueUrl) {
        Map<String, Message> received = new HashMap<>();
        while (true) {
            List<Message> batch = aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(600).waitTimeSeconds(1)).messages();
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(m -> received.put(m.messageId(), m));
            for (Message message : batch) {
                aws.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return List.copyOf(received.values());
    }

    private static String requestIdOf(String body) {
        try {
            return JSON.readTree(body).path("requestId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String association(String cluster, String principal, String policyArn, AccessScope scope) {
        return cluster + " " + principal + " " + policyArn + " " + ReferenceModel.normalized(scope);
    }
}
