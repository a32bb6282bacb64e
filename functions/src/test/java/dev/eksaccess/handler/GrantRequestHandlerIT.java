package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.emulator.eks.AccessEntrySnapshot;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.eks.Fault;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.RepoFiles;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.EmulatedAws;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The grant processor end to end: messages sent through SQS (ElasticMQ) by the senders of {@link TestSenders} (roles
 * in the IAM emulator, each message with its sender's SenderId), received as Lambda's event source mapping would,
 * authorized by the built-in eligibility document with the senders resolved through IAM, applied to the EKS
 * emulator over HTTP with the real SDK client, recorded in DynamoDB (dynalite).
 */
@ExtendWith(EmulatedAws.class)
class GrantRequestHandlerIT {

    static final String ACCOUNT = "111122223333";
    static final String CLUSTER = "payments-prod";
    static final String CLUSTER_ARN = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod";
    static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    static final String ADMIN = "arn:aws:iam::111122223333:role/break-glass";
    static final String DEV = "arn:aws:iam::111122223333:role/payments-dev";
    static final String DEPLOYER = "arn:aws:iam::111122223333:role/teams/payments-deployer";

    private final AwsBackend aws;
    private final MutableClock clock = new MutableClock(Instant.now());
    private GrantPipeline pipeline;
    private SqsLambdaPoller poller;

    GrantRequestHandlerIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        pipeline = GrantPipeline.start(aws, clock,
                new GrantPipeline.Settings(EksEmulator.Options.defaults(), RetryMode.STANDARD, 3));
        poller = poller(false);
    }

    private SqsLambdaPoller poller(boolean allowAuthModeSwitch) {
        return pipeline.processor().admins(List.of(new AdminGrant(ADMIN, AccessPolicies.CLUSTER_ADMIN)))
                .allowAuthModeSwitch(allowAuthModeSwitch).poller();
    }

    /** Checks the lockout invariants; clusters started with no admin at all are judged by this system's calls only. */
    @AfterEach
    void invariantsHold_andStop() {
        pipeline.close();
    }

    /** The approver approves request {@code requestId} of the team sender, which waits for approval. */
    private List<String> approve(String requestId) {
        return poller.sendAndPoll(pipeline.senders.approver, "{\"action\":\"approve\",\"pendingRequestId\":\"" + requestId
                + "\"}");
    }

    private void activeCluster(boolean creatorAdmin) {
        if (!creatorAdmin) {
            pipeline.startedWithoutAdmin(CLUSTER);
        }
        pipeline.emulator.createCluster(ClusterSpec.builder(CLUSTER).accountId(ACCOUNT).region("eu-west-1")
                .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                .bootstrapClusterCreatorAdminPermissions(creatorAdmin).creatorPrincipalArn(CREATOR).build());
        registered(AuthenticationMode.API_AND_CONFIG_MAP, creatorAdmin);
    }

    /** A CONFIG_MAP cluster: no access entry, so no admin either. */
    private void configMapCluster() {
        pipeline.startedWithoutAdmin(CLUSTER);
        pipeline.emulator.createCluster(ClusterSpec.builder(CLUSTER).accountId(ACCOUNT).region("eu-west-1")
                .authenticationMode(AuthenticationMode.CONFIG_MAP).creatorPrincipalArn(CREATOR).build());
    }

    /** The cluster as the cluster-creation function registers it, its bootstrap pending. */
    private void registered(AuthenticationMode mode, boolean creatorAdmin) {
        pipeline.registry.putIfAbsent(new ClusterRecord(CLUSTER_ARN, CLUSTER, ACCOUNT, "eu-west-1", CREATOR,
                "AssumedRole", "s", null, "evt-1", clock.instant(), "aws-cli", mode.name(), creatorAdmin,
                BootstrapStatus.PENDING, "queued", clock.instant()));
    }

    private AccessEntrySnapshot entry(String principal) {
        return pipeline.emulator.accessEntry(CLUSTER, principal).orElseThrow(() -> new AssertionError("no entry for " + principal));
    }

    private AuditRecord record(String requestId) {
        return pipeline.ledger.find(CLUSTER_ARN, TestSenders.TEAM, requestId).orElseThrow(() -> new AssertionError("no ledger record " + requestId));
    }

    /** Sends {@code body} as the team sender and processes the queue once; returns the message id. */
    private String processed(String body) {
        String id = poller.send(body);
        poller.pollOnce();
        return id;
    }

    private void assertRecorded(String requestId, Outcome outcome, String reason) {
        AuditRecord record = record(requestId);
        assertThat(record.outcome()).as(record.outcomeReason()).isEqualTo(outcome);
        assertThat(record.outcomeReason()).contains(reason);
    }

    private AuditRecord onlyRecord(String messageId) {
        return pipeline.ledger.find(CLUSTER_ARN, TestSenders.TEAM, messageId).or(() -> pipeline.ledger.find(null, TestSenders.TEAM, messageId))
                .orElseThrow(() -> new AssertionError("no ledger record " + messageId));
    }

    @Test
    void grant_createsTheEntryAndPolicy_andRecordsItQueryablyByClusterAndPrincipal() {
        activeCluster(true);

        String id = poller.send(RepoFiles.request("grant-cluster-view.json"));
        assertThat(poller.pollOnce()).isEmpty();

        AccessEntrySnapshot entry = entry(DEV);
        assertThat(entry.type()).isEqualTo("STANDARD");
        assertThat(entry.tags()).containsEntry("managed-by", "eks-access");
        assertThat(entry.hasClusterScoped(AccessPolicies.VIEW)).isTrue();
        AuditRecord record = record(id);
        assertThat(record.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(record.senderId()).isNotBlank();
        assertThat(record.requestedBy()).isEqualTo("alice@example.com");
        assertThat(record.after()).contains("AmazonEKSViewPolicy");
        var byCluster = aws.dynamoDb().query(q -> q.tableName(pipeline.ledgerTable)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :audit)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("CLUSTER#" + CLUSTER_ARN),
                        ":audit", AttributeValue.fromS("REQUEST#")))).items();
        var byPrincipal = aws.dynamoDb().query(q -> q.tableName(pipeline.ledgerTable).indexName(Tables.LEDGER_BY_PRINCIPAL_INDEX)
                .keyConditionExpression("principalArn = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(DEV)))).items();
        assertThat(byCluster).extracting(i -> i.get("requestId").s()).containsExactly(id);
        assertThat(byPrincipal).extracting(i -> i.get("outcome").s()).containsExactly("applied");
    }

    @Test
    void namespaceGrantWithWildcard_thenRegrantWithANewScope_replacesTheScope() {
        activeCluster(true);

        assertThat(poller.sendAndPoll(RepoFiles.request("grant-namespace-wildcard.json"))).isEmpty();
        assertThat(entry(DEPLOYER).policy(AccessPolicies.EDIT).orElseThrow().scope().namespaces())
                .containsExactly("payments", "payments-*");

        poller.sendAndPoll(RepoFiles.request("grant-namespace-wildcard.json").replace(
                "[\"payments\", \"payments-*\"]", "[\"payments-v2-*\"]"));

        assertThat(entry(DEPLOYER).policy(AccessPolicies.EDIT).orElseThrow().scope().namespaces())
                .containsExactly("payments-v2-*");
    }

    @Test
    void revoke_removesThePolicy_andTheEntryThisSystemCreated() {
        activeCluster(true);
        poller.sendAndPoll(RepoFiles.request("grant-cluster-view.json"));

        String id = processed(RepoFiles.request("revoke-policy.json"));

        assertThat(pipeline.emulator.accessEntry(CLUSTER, DEV)).isEmpty();
        assertRecorded(id, Outcome.APPLIED, "deleted the access entry");
    }

    @Test
    void revokeOfTheCreator_isRefused_andRecorded() {
        activeCluster(true);

        String id = processed("{\"action\":\"revoke\",\"clusterName\":\"payments-prod\",\"principalArn\":\""
                + CREATOR + "\"}");

        assertThat(entry(CREATOR).hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
        assertRecorded(id, Outcome.REJECTED, "created the cluster");
    }

    @Test
    void revokeOfTheLastClusterAdmin_isRefused() {
        activeCluster(false);
        // Admin-class: only for a time, and only once approved.
        String grant = processed("{\"action\":\"grant\",\"clusterName\":\"payments-prod\",\"principalArn\":\""
                + DEV + "\",\"accessPolicy\":\"AmazonEKSClusterAdminPolicy\",\"accessScope\":{\"type\":\"cluster\"},"
                + "\"duration\":\"PT8H\"}");
        assertThat(record(grant).outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
        assertThat(pipeline.emulator.accessEntry(CLUSTER, DEV)).as("nothing applied before the approval").isEmpty();
        approve(grant);
        assertThat(record(grant).outcome()).isEqualTo(Outcome.APPLIED);

        String id = processed("{\"action\":\"revoke\",\"clusterName\":\"payments-prod\",\"principalArn\":\"" + DEV
                + "\",\"accessPolicy\":\"AmazonEKSClusterAdminPolicy\"}");

        assertThat(entry(DEV).hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
        assertThat(record(id).outcomeReason()).contains("last one holding AmazonEKSClusterAdminPolicy");
    }

    @Test
    void duplicateRequest_changesNothingTheSecondTime() {
        activeCluster(true);
        String body = RepoFiles.request("grant-with-groups-username.json");
        poller.sendAndPoll(body);
        pipeline.emulator.clearCalls();

        poller.sendAndPoll(body);

        assertThat(pipeline.emulator.calls()).isEmpty();
        assertThat(record("CHG-2026-1142").outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(pipeline.logs).anySatisfy(l -> assertThat(l).contains("\"outcome\":\"ignored\"", "duplicate of request CHG-2026-1142"));
    }

    @Test
    void grantOlderThanAnAppliedRevoke_isIgnoredAsStale() {
        activeCluster(true);
        Instant now = clock.instant();
        poller.sendAndPoll(RepoFiles.request("revoke-policy.json").replaceFirst("\\{",
                "{\"requestedAt\":\"" + now + "\","));

        String lateGrant = processed(RepoFiles.request("grant-cluster-view.json").replaceFirst("\\{",
                "{\"requestedAt\":\"" + now.minusSeconds(60) + "\","));

        assertThat(pipeline.emulator.accessEntry(CLUSTER, DEV)).isEmpty();
        assertThat(record(lateGrant).outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(record(lateGrant).outcomeReason()).startsWith("stale");
    }

    @Test
    void malformedJson_isAcknowledgedAndRecordedAsRejected() {
        activeCluster(true);

        String id = poller.send(RepoFiles.request("invalid-malformed-json.json"));
        List<String> failed = poller.pollOnce();

        assertThat(failed).isEmpty();
        assertThat(onlyRecord(id).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(onlyRecord(id).outcomeReason()).startsWith("message: is not valid JSON");
        assertThat(aws.sqs().receiveMessage(r -> r.queueUrl(pipeline.queue.queueUrl()).waitTimeSeconds(0)).messages()).isEmpty();
    }

    @Test
    void unknownCluster_isRejected() {
        activeCluster(true);

        String id = processed(RepoFiles.request("grant-cluster-view.json").replace("payments-prod", "no-such-cluster"));

        AuditRecord record = pipeline.ledger.find("arn:aws:eks:eu-west-1:111122223333:cluster/no-such-cluster", TestSenders.TEAM, id).orElseThrow();
        assertThat(record.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(record.outcomeReason()).contains("does not exist");
    }

    @Test
    void configMapCluster_isRejectedWithAClearReason() {
        configMapCluster();

        String id = processed(RepoFiles.request("grant-cluster-view.json"));

        assertRecorded(id, Outcome.REJECTED, "authentication mode CONFIG_MAP");
        assertThat(pipeline.emulator.accessEntries(CLUSTER)).isEmpty();
    }

    @Test
    void throttling_isRetriedThroughTheQueue_thenSucceeds() {
        activeCluster(true);
        // More throttles than the SDK's own three attempts, so the message itself must come back.
        pipeline.emulator.inject(Fault.throttling().onOperation("AssociateAccessPolicy").forNextCalls(3));

        String id = poller.send(RepoFiles.request("grant-cluster-view.json"));
        List<String> first = poller.pollOnce();
        AuditRecord afterFirst = record(id);
        List<String> second = poller.pollOnce();

        assertThat(first).containsExactly(id);
        assertThat(afterFirst.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(second).isEmpty();
        assertThat(record(id).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(entry(DEV).hasClusterScoped(AccessPolicies.VIEW)).isTrue();
    }

    /**
     * EKS answers 403 when the deployment's permissions are wrong: no retry can help, so the request is rejected on
     * its first delivery (not after an hour of retries and the dead-letter queue), with a reason that says what to
     * fix, and its log line is an ERROR, which the stack's logged-errors alarm counts.
     */
    @Test
    void accessDeniedByEks_rejectsTheRequestAtOnce_asAConfigurationError() {
        activeCluster(true);
        pipeline.emulator.inject(Fault.accessDenied().onOperation("DescribeCluster"));

        String id = poller.send(RepoFiles.request("grant-cluster-view.json"));
        List<String> retried = poller.pollOnce();

        assertThat(retried).isEmpty();
        assertThat(record(id).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(record(id).outcomeReason()).startsWith("configuration error: the grant processor may not make this "
                + "call on ").contains("is not authorized to perform: eks:DescribeCluster");
        assertThat(pipeline.emulator.accessEntry(CLUSTER, DEV)).isEmpty();
        assertThat(pipeline.logs).anySatisfy(line -> assertThat(line).contains("\"level\":\"ERROR\"",
                "\"outcome\":\"rejected\"", "\"errorType\":\"AccessDenied\"", "\"requestId\":\"" + id + "\""));
    }

    @Test
    void repeatedTransientFailure_endsInTheDeadLetterQueue() {
        activeCluster(true);
        pipeline.emulator.inject(Fault.serverError().onOperation("DescribeCluster"));

        String id = poller.send(RepoFiles.request("grant-cluster-view.json"));
        for (int receive = 0; receive < pipeline.queue.maxReceiveCount() + 1; receive++) {
            poller.pollOnce();
        }

        var dead = aws.sqs().receiveMessage(r -> r.queueUrl(pipeline.queue.deadLetterQueueUrl()).waitTimeSeconds(1)).messages();
        assertThat(dead).extracting(m -> m.messageId()).containsExactly(id);
        assertThat(record(id).outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(pipeline.emulator.accessEntry(CLUSTER, DEV)).isEmpty();
    }

    @Test
    void timeBoundGrant_isRevokedByTheExpirySweepThroughTheQueue() {
        activeCluster(true);
        poller.send(RepoFiles.request("grant-time-bound-duration.json").replace("PT8H", "PT2M"));
        String grant = "INC-7781-carol-admin";
        poller.pollOnce();
        String carol = "arn:aws:iam::111122223333:user/carol";
        assertThat(pipeline.emulator.accessEntry(CLUSTER, carol)).as("admin-class: held for approval").isEmpty();
        approve(grant);
        assertThat(entry(carol).policy(AccessPolicies.ADMIN)).isPresent();
        // The sweep sends its revokes as the expiry sweep's role, the only sender whose expiry: ids are accepted.
        ExpirySweepHandler sweep = new ExpirySweepHandler(pipeline.states, pipeline.pending,
                new SqsGrantQueue(pipeline.senders.expirySweep.sqs(), pipeline.queue.queueUrl()), clock,
                pipeline.logs::add);

        assertThat(sweep.handleRequest(null, null)).contains("\"revocationsQueued\":0");
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(sweep.handleRequest(null, null)).contains("\"revocationsQueued\":1");
        poller.pollOnce();

        assertThat(pipeline.emulator.accessEntry(CLUSTER, carol)).isEmpty();
        assertThat(sweep.handleRequest(null, null)).contains("\"revocationsQueued\":0");
    }

    @Test
    void bootstrap_grantsTheConfiguredAdmin_andMarksTheRegistryDone() {
        activeCluster(true);

        poller.sendAndPoll(pipeline.senders.clusterCreation, BootstrapRequest.forEvent(CLUSTER_ARN, "evt-1", clock.instant()).toJson());

        assertThat(entry(ADMIN).hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
        assertThat(pipeline.registry.find(CLUSTER_ARN).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.DONE);
        assertThat(entry(CREATOR).hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
    }

    @Test
    void bootstrapOfAConfigMapCluster_withTheOptIn_switchesToApiAndConfigMap_thenGrantsTheAdmin() {
        configMapCluster();
        registered(AuthenticationMode.CONFIG_MAP, true);
        SqsLambdaPoller switching = poller(true);

        String id = switching.send(pipeline.senders.clusterCreation,
                BootstrapRequest.forEvent(CLUSTER_ARN, "evt-1", clock.instant()).toJson());
        List<String> first = switching.pollOnce();
        BootstrapStatus whileSwitching = pipeline.registry.find(CLUSTER_ARN).orElseThrow().bootstrapStatus();
        List<String> second = switching.pollOnce();

        assertThat(first).containsExactly(id);
        assertThat(whileSwitching).isEqualTo(BootstrapStatus.PENDING);
        assertThat(second).isEmpty();
        assertThat(pipeline.emulator.authenticationMode(CLUSTER)).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(entry(ADMIN).hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
        assertThat(pipeline.registry.find(CLUSTER_ARN).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.DONE);
    }

    @Test
    void bootstrapOfAConfigMapCluster_withoutTheOptIn_isBlocked() {
        configMapCluster();
        registered(AuthenticationMode.CONFIG_MAP, true);

        assertThat(poller.sendAndPoll(pipeline.senders.clusterCreation,
                BootstrapRequest.forEvent(CLUSTER_ARN, "evt-1", clock.instant()).toJson())).isEmpty();

        assertThat(pipeline.emulator.authenticationMode(CLUSTER)).isEqualTo(AuthenticationMode.CONFIG_MAP);
        ClusterRecord record = pipeline.registry.find(CLUSTER_ARN).orElseThrow();
        assertThat(record.bootstrapStatus()).isEqualTo(BootstrapStatus.BLOCKED);
        assertThat(record.bootstrapReason()).contains("ALLOW_AUTH_MODE_SWITCH=true");
    }
}
