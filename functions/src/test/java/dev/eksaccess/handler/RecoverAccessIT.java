package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.eksaccess.contract.Tables;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.testing.EmulatedSenders;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.RecordingOutcomes;
import dev.eksaccess.testing.RepoFiles;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.LockoutInvariants;
import dev.eksaccess.testsupport.QueuePair;
import dev.eksaccess.testsupport.SenderIdentities.Sender;
import dev.eksaccess.testsupport.SqsQueues;
import dev.eksaccess.testsupport.TestEksClients;
import dev.eksaccess.testsupport.UniqueNames;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * {@code recover} end to end: messages sent to SQS (ElasticMQ) with the senders' own credentials, the real grant
 * processor (sender through IAM, the sample eligibility document {@code events/eligibility/recovery.json}, leases,
 * pending approvals, grant states and ledger in DynamoDB on dynalite, the EKS emulator over HTTP), on a CONFIG_MAP
 * cluster that no access entry reaches. Break-glass recovery switches the mode and gives time-bound cluster admin,
 * which the expiry sweep revokes; recovery with approval is held, then applied; the attacks change nothing.
 */
@ExtendWith(EmulatedAws.class)
class RecoverAccessIT {

    static final String ACCOUNT = "111122223333";
    static final String REGION = "eu-west-1";
    static final String CLUSTER = "payments-prod";
    static final ClusterRef CLUSTER_REF = new ClusterRef("aws", REGION, ACCOUNT, CLUSTER);
    static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    static final String ON_CALL = "arn:aws:iam::111122223333:role/platform/on-call";
    static final String RECOVERY = "arn:aws:iam::111122223333:role/platform/recovery";
    static final String LEAD = "arn:aws:iam::111122223333:role/teams/payments-lead";
    static final String PLATFORM_LEAD = "arn:aws:iam::111122223333:role/platform/lead";
    static final String PAYMENTS_CI = "arn:aws:iam::111122223333:role/teams/payments-ci";
    static final String PLATFORM_ADMIN = "arn:aws:iam::111122223333:role/platform-admin";
    static final String ADMIN_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

    private final AwsBackend aws;
    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final Set<String> startedWithoutAdmin = new HashSet<>();
    private EksEmulator emulator;
    private EksClient eksClient;
    private QueuePair queue;
    private String ledgerTable;
    private DynamoLedger ledger;
    private EmulatedSenders senders;
    private Sender onCall;
    private Sender lead;
    private Sender platformLead;
    private Sender paymentsCi;

    RecoverAccessIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        emulator = EksEmulator.start();
        eksClient = TestEksClients.eks(emulator.endpoint(), Region.of(REGION));
        queue = SqsQueues.createWithDeadLetterQueue(aws.sqs(), UniqueNames.unique("grants"), 5, Duration.ofSeconds(30));
        ledgerTable = DynamoDbTables.createUnique(aws.dynamoDb(), "ledger", Tables.LEDGER);
        ledger = new DynamoLedger(aws.dynamoDb(), ledgerTable);
        senders = EmulatedSenders.start(aws);
        onCall = senders.role(ON_CALL, "incident-4711");
        lead = senders.role(LEAD, "lead");
        platformLead = senders.role(PLATFORM_LEAD, "lead");
        paymentsCi = senders.role(PAYMENTS_CI, "github-actions");
        // A CONFIG_MAP cluster whose aws-auth no longer lets anyone in, and with no access entry: nobody can reach it.
        emulator.createCluster(ClusterSpec.builder(CLUSTER).accountId(ACCOUNT).region(REGION)
                .authenticationMode(AuthenticationMode.CONFIG_MAP).creatorPrincipalArn(CREATOR).build());
        startedWithoutAdmin.add(CLUSTER);
    }

    @AfterEach
    void invariantsHold_andStop() {
        try {
            LockoutInvariants.assertHold(emulator, startedWithoutAdmin);
        } finally {
            senders.close();
            eksClient.close();
            emulator.close();
        }
    }

    /** The sample recovery document, and a grant rule for payments-ci that would allow cluster admin as a grant. */
    private static EligibilityDocument document() throws IOException {
        String sample = Files.readString(RepoFiles.root().resolve("events/eligibility/recovery.json"));
        int end = sample.lastIndexOf(']');
        return EligibilityDocument.parse(sample.substring(0, end) + ",{\"id\":\"ci-admin\",\"senders\":[\""
                + PAYMENTS_CI + "\"],\"clusters\":{\"names\":[\"*\"]},\"principals\":{\"arns\":[\"" + RECOVERY
                + "\"]},\"policies\":[\"AmazonEKSClusterAdminPolicy\"],\"scopes\":{\"cluster\":true},"
                + "\"maxDuration\":\"PT4H\",\"breakGlass\":true}" + sample.substring(end));
    }

    private SqsLambdaPoller processor(boolean allowModeSwitch) throws IOException {
        GrantProcessorConfig config = new GrantProcessorConfig(ledgerTable, "registry", queue.queueUrl(), ACCOUNT,
                List.of(), false, allowModeSwitch, Optional.empty(), AccessPolicies.DEFAULT_ALLOWED, Duration.ofDays(7))
                .withAuthorization(document(), TestSenders.INTERNAL);
        SqsRetryScheduler sqsRetries = new SqsRetryScheduler(aws.sqs(), queue.queueUrl());
        String registryTable = DynamoDbTables.createUnique(aws.dynamoDb(), "registry", Tables.REGISTRY);
        GrantRequestHandler handler = GrantRequestHandler.builder(config, REGION)
                .withEks((cluster, actingFor) -> new SdkEksAccess(eksClient))
                .withRegistry(new DynamoClusterRegistry(aws.dynamoDb(), registryTable, clock))
                .withLedger(ledger).withStates(states())
                .withLeases(new DynamoLeases(aws.dynamoDb(), ledgerTable))
                .withRetries((receiptHandle, delay) -> sqsRetries.retryAfter(receiptHandle, Duration.ZERO))
                .withPrincipalIds(senders.principalIds())
                .withPendingApprovals(pending())
                .withOutcomes(new RecordingOutcomes()).withClock(clock).withLogSink(logs::add).build();
        return new SqsLambdaPoller(aws.sqs(), queue.queueUrl(), handler, senders.identities(), onCall);
    }

    private DynamoGrantStates states() {
        return new DynamoGrantStates(aws.dynamoDb(), ledgerTable);
    }

    private DynamoPendingApprovals pending() {
        return new DynamoPendingApprovals(aws.dynamoDb(), ledgerTable);
    }

    private static void drain(SqsLambdaPoller poller) {
        MigrationApplyIT.drain(poller);
    }

    private AuditRecord record(String senderArn, String requestId) {
        return ledger.find(CLUSTER_REF.arn(), AuditRecord.senderKeyOf(senderArn), requestId).orElseThrow(
                () -> new AssertionError("no ledger record " + requestId + "; log: " + logs));
    }

    private boolean holdsClusterAdmin(String principal) {
        return emulator.accessEntry(CLUSTER, principal).map(entry -> entry.hasClusterScoped(
                AccessPolicies.CLUSTER_ADMIN)).orElse(false);
    }

    private static String recover(String principal, String extra) {
        return "{\"action\":\"recover\",\"clusterArn\":\"" + CLUSTER_REF.arn() + "\",\"principalArn\":\"" + principal
                + "\",\"reason\":\"INC-4711\"" + extra + "}";
    }

    // ------------------------------------------------------------------ recovery

    @Test
    void breakGlassRecover_switchesTheMode_givesTimeBoundClusterAdmin_alarms_andTheSweepRevokesIt() throws Exception {
        SqsLambdaPoller poller = processor(true);

        poller.send(onCall, RepoFiles.request("recover/recover-break-glass.json"));
        drain(poller);

        AuditRecord applied = record(ON_CALL, "recover-payments-prod-1");
        assertThat(applied.outcome()).as(applied.outcomeReason() + "; log: " + logs).isEqualTo(Outcome.APPLIED);
        assertThat(applied.action()).isEqualTo("recover");
        assertThat(applied.ruleId()).isEqualTo("recover-break-glass");
        assertThat(emulator.cluster(CLUSTER).authenticationMode()).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(emulator.calls("UpdateClusterConfig")).filteredOn(call -> call.succeeded()).hasSize(1);
        assertThat(holdsClusterAdmin(RECOVERY)).isTrue();
        assertThat(emulator.accessEntry(CLUSTER, RECOVERY).orElseThrow().policies()).hasSize(1);
        assertThat(logs).anyMatch(line -> line.contains("\"errorType\":\"BreakGlassUsed\"")
                && line.contains("recover-payments-prod-1"));
        GrantState state = states().findByPrincipal(CLUSTER_REF.arn(), RECOVERY).getFirst();
        assertThat(state.granted()).isTrue();
        assertThat(state.expiresAt()).isEqualTo(state.lastRequestedAt().plus(Duration.ofHours(1)));

        // The recovered principal repairs access for good: a permanent admin of the platform team's.
        emulator.seedAccessEntry(CLUSTER, PLATFORM_ADMIN);
        emulator.seedPolicyAssociation(CLUSTER, PLATFORM_ADMIN, ADMIN_ARN, AccessScope.cluster());
        clock.advance(Duration.ofHours(1).plusMinutes(1));
        new ExpirySweepHandler(states(), pending(), new SqsGrantQueue(senders.expirySweep.sqs(), queue.queueUrl()),
                clock, logs::add).handleRequest(null, null);
        drain(poller);

        assertThat(holdsClusterAdmin(RECOVERY)).as("log: " + logs).isFalse();
        assertThat(emulator.accessEntry(CLUSTER, RECOVERY)).as("the entry eks-access created is deleted").isEmpty();
        assertThat(holdsClusterAdmin(PLATFORM_ADMIN)).isTrue();
        assertThat(states().findByPrincipal(CLUSTER_REF.arn(), RECOVERY)).allMatch(s -> !s.granted());
    }

    @Test
    void recoverWithApproval_isHeld_changingNothing_andAppliedOnApproval() throws Exception {
        SqsLambdaPoller poller = processor(true);

        poller.send(lead, recover(LEAD, ",\"duration\":\"PT1H\",\"requestId\":\"lead-recover\""));
        drain(poller);

        assertThat(record(LEAD, "lead-recover").outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
        assertThat(record(LEAD, "lead-recover").ruleId()).isEqualTo("recover-with-approval");
        assertThat(emulator.cluster(CLUSTER).authenticationMode()).isEqualTo(AuthenticationMode.CONFIG_MAP);
        assertThat(emulator.accessEntries(CLUSTER)).isEmpty();

        poller.send(platformLead, "{\"action\":\"approve\",\"pendingRequestId\":\"lead-recover\","
                + "\"requestId\":\"approve-lead-recover\"}");
        drain(poller);

        assertThat(record(PLATFORM_LEAD, "approve-lead-recover").outcomeReason()).as("log: " + logs)
                .contains("completed request lead-recover");
        assertThat(emulator.cluster(CLUSTER).authenticationMode()).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(holdsClusterAdmin(LEAD)).isTrue();
        assertThat(states().findByPrincipal(CLUSTER_REF.arn(), LEAD).getFirst().expiresAt()).isNotNull();
    }

    // ------------------------------------------------------------------ attacks

    private void assertRefusedWithoutEksChange(String senderArn, String requestId, String... reason) {
        AuditRecord record = record(senderArn, requestId);
        assertThat(record.outcome()).as(record.outcomeReason()).isEqualTo(Outcome.REJECTED);
        assertThat(record.outcomeReason()).contains(reason);
    }

    @Test
    void attacks_onRecovery_areRefused_withTheirReasons_andChangeNothing() throws Exception {
        SqsLambdaPoller poller = processor(true);
        emulator.clearCalls();

        // A sender whose only rule allows cluster admin as a grant, and no recovery rule, recovers.
        poller.send(paymentsCi, recover(RECOVERY, ",\"duration\":\"PT1H\",\"requestId\":\"ci-recover\""));
        // A sender no rule names at all.
        poller.send(senders.stranger, recover(TestSenders.STRANGER, ",\"duration\":\"PT1H\","
                + "\"requestId\":\"stranger-recover\""));
        // The on-call role, for a principal its recovery rule does not name.
        poller.send(onCall, recover(PLATFORM_ADMIN, ",\"duration\":\"PT1H\",\"requestId\":\"other-principal\""));
        // The on-call role, for longer than its recovery rule allows.
        poller.send(onCall, recover(RECOVERY, ",\"duration\":\"PT3H\",\"requestId\":\"too-long\""));
        // Recovery without a duration, and for a policy other than cluster admin: refused by the parser.
        poller.send(onCall, RepoFiles.request("recover/invalid-no-duration.json"));
        poller.send(onCall, RepoFiles.request("recover/invalid-other-policy.json"));
        drain(poller);

        assertRefusedWithoutEksChange(PAYMENTS_CI, "ci-recover", "is named by no recovery rule",
                "no other rule allows a recover");
        assertRefusedWithoutEksChange(null, "stranger-recover", "unknown sender");
        assertRefusedWithoutEksChange(ON_CALL, "other-principal", "rule 'recover-break-glass': principal "
                + PLATFORM_ADMIN);
        assertRefusedWithoutEksChange(ON_CALL, "too-long", "duration PT3H is longer than PT2H");
        assertRefusedWithoutEksChange(ON_CALL, "recover-forever", "duration: is required for recover");
        assertRefusedWithoutEksChange(ON_CALL, "recover-edit", "'AmazonEKSEditPolicy' is not what a recover gives");
        assertThat(emulator.calls()).filteredOn(call -> !call.operation().startsWith("Describe")
                && !call.operation().startsWith("List")).as("EKS changes").isEmpty();
        assertThat(emulator.accessEntries(CLUSTER)).isEmpty();
        assertThat(emulator.cluster(CLUSTER).authenticationMode()).isEqualTo(AuthenticationMode.CONFIG_MAP);
    }

    @Test
    void aRecover_withTheModeSwitchSettingOff_isRefused_namingTheSetting() throws Exception {
        SqsLambdaPoller poller = processor(false);

        poller.send(onCall, RepoFiles.request("recover/recover-break-glass.json"));
        drain(poller);

        assertRefusedWithoutEksChange(ON_CALL, "recover-payments-prod-1", "cluster uses authentication mode "
                + "CONFIG_MAP", "set ALLOW_AUTH_MODE_SWITCH=true", "send the recover request again");
        assertThat(emulator.calls("UpdateClusterConfig")).isEmpty();
        assertThat(emulator.accessEntries(CLUSTER)).isEmpty();
    }
}
