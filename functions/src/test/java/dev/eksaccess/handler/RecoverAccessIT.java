package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.RepoFiles;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.SenderIdentities.Sender;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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

    private final MutableClock clock = new MutableClock(Instant.now());
    private GrantPipeline pipeline;
    private Sender onCall;
    private Sender lead;
    private Sender platformLead;
    private Sender paymentsCi;

    @BeforeEach
    void start(AwsBackend aws) {
        pipeline = GrantPipeline.start(aws, clock, 5);
        onCall = pipeline.senders.role(ON_CALL, "incident-4711");
        lead = pipeline.senders.role(LEAD, "lead");
        platformLead = pipeline.senders.role(PLATFORM_LEAD, "lead");
        paymentsCi = pipeline.senders.role(PAYMENTS_CI, "github-actions");
        // A CONFIG_MAP cluster whose aws-auth no longer lets anyone in, and with no access entry: nobody can reach it.
        pipeline.emulator.createCluster(ClusterSpec.builder(CLUSTER).accountId(ACCOUNT).region(REGION)
                .authenticationMode(AuthenticationMode.CONFIG_MAP).creatorPrincipalArn(CREATOR).build());
        pipeline.startedWithoutAdmin(CLUSTER);
    }

    @AfterEach
    void invariantsHold_andStop() {
        pipeline.close();
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
        return pipeline.processor().authorizedBy(document()).allowAuthModeSwitch(allowModeSwitch)
                .defaultSender(onCall).poller();
    }

    private static void drain(SqsLambdaPoller poller) {
        MigrationApplyIT.drain(poller);
    }

    private AuditRecord record(String senderArn, String requestId) {
        return pipeline.ledger.find(CLUSTER_REF.arn(), AuditRecord.senderKeyOf(senderArn), requestId).orElseThrow(
                () -> new AssertionError("no ledger record " + requestId + "; log: " + pipeline.logs));
    }

    private boolean holdsClusterAdmin(String principal) {
        return pipeline.emulator.accessEntry(CLUSTER, principal).map(entry -> entry.hasClusterScoped(
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
        assertThat(applied.outcome()).as(applied.outcomeReason() + "; log: " + pipeline.logs).isEqualTo(Outcome.APPLIED);
        assertThat(applied.action()).isEqualTo("recover");
        assertThat(applied.ruleId()).isEqualTo("recover-break-glass");
        assertThat(pipeline.emulator.cluster(CLUSTER).authenticationMode()).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(pipeline.emulator.calls("UpdateClusterConfig")).filteredOn(call -> call.succeeded()).hasSize(1);
        assertThat(holdsClusterAdmin(RECOVERY)).isTrue();
        assertThat(pipeline.emulator.accessEntry(CLUSTER, RECOVERY).orElseThrow().policies()).hasSize(1);
        assertThat(pipeline.logs).anyMatch(line -> line.contains("\"errorType\":\"BreakGlassUsed\"")
                && line.contains("recover-payments-prod-1"));
        GrantState state = pipeline.states.findByPrincipal(CLUSTER_REF.arn(), RECOVERY).getFirst();
        assertThat(state.granted()).isTrue();
        assertThat(state.expiresAt()).isEqualTo(state.lastRequestedAt().plus(Duration.ofHours(1)));

        // The recovered principal repairs access for good: a permanent admin of the platform team's.
        pipeline.emulator.seedAccessEntry(CLUSTER, PLATFORM_ADMIN);
        pipeline.emulator.seedPolicyAssociation(CLUSTER, PLATFORM_ADMIN, ADMIN_ARN, AccessScope.cluster());
        clock.advance(Duration.ofHours(1).plusMinutes(1));
        new ExpirySweepHandler(pipeline.states, pipeline.pending,
                new SqsGrantQueue(pipeline.senders.expirySweep.sqs(), pipeline.queue.queueUrl()), clock,
                pipeline.logs::add).handleRequest(null, null);
        drain(poller);

        assertThat(holdsClusterAdmin(RECOVERY)).as("log: " + pipeline.logs).isFalse();
        assertThat(pipeline.emulator.accessEntry(CLUSTER, RECOVERY)).as("the entry eks-access created is deleted").isEmpty();
        assertThat(holdsClusterAdmin(PLATFORM_ADMIN)).isTrue();
        assertThat(pipeline.states.findByPrincipal(CLUSTER_REF.arn(), RECOVERY)).allMatch(s -> !s.granted());
    }

    @Test
    void recoverWithApproval_isHeld_changingNothing_andAppliedOnApproval() throws Exception {
        SqsLambdaPoller poller = processor(true);

        poller.send(lead, recover(LEAD, ",\"duration\":\"PT1H\",\"requestId\":\"lead-recover\""));
        drain(poller);

        assertThat(record(LEAD, "lead-recover").outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
        assertThat(record(LEAD, "lead-recover").ruleId()).isEqualTo("recover-with-approval");
        assertThat(pipeline.emulator.cluster(CLUSTER).authenticationMode()).isEqualTo(AuthenticationMode.CONFIG_MAP);
        assertThat(pipeline.emulator.accessEntries(CLUSTER)).isEmpty();

        poller.send(platformLead, "{\"action\":\"approve\",\"pendingRequestId\":\"lead-recover\","
                + "\"requestId\":\"approve-lead-recover\"}");
        drain(poller);

        assertThat(record(PLATFORM_LEAD, "approve-lead-recover").outcomeReason()).as("log: " + pipeline.logs)
                .contains("completed request lead-recover");
        assertThat(pipeline.emulator.cluster(CLUSTER).authenticationMode()).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(holdsClusterAdmin(LEAD)).isTrue();
        assertThat(pipeline.states.findByPrincipal(CLUSTER_REF.arn(), LEAD).getFirst().expiresAt()).isNotNull();
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
        pipeline.emulator.clearCalls();

        // A sender whose only rule allows cluster admin as a grant, and no recovery rule, recovers.
        poller.send(paymentsCi, recover(RECOVERY, ",\"duration\":\"PT1H\",\"requestId\":\"ci-recover\""));
        // A sender no rule names at all.
        poller.send(pipeline.senders.stranger, recover(TestSenders.STRANGER, ",\"duration\":\"PT1H\","
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
        assertThat(pipeline.emulator.calls()).filteredOn(call -> !call.operation().startsWith("Describe")
                && !call.operation().startsWith("List")).as("EKS changes").isEmpty();
        assertThat(pipeline.emulator.accessEntries(CLUSTER)).isEmpty();
        assertThat(pipeline.emulator.cluster(CLUSTER).authenticationMode()).isEqualTo(AuthenticationMode.CONFIG_MAP);
    }

    @Test
    void aRecover_withTheModeSwitchSettingOff_isRefused_namingTheSetting() throws Exception {
        SqsLambdaPoller poller = processor(false);

        poller.send(onCall, RepoFiles.request("recover/recover-break-glass.json"));
        drain(poller);

        assertRefusedWithoutEksChange(ON_CALL, "recover-payments-prod-1", "cluster uses authentication mode "
                + "CONFIG_MAP", "set ALLOW_AUTH_MODE_SWITCH=true", "send the recover request again");
        assertThat(pipeline.emulator.calls("UpdateClusterConfig")).isEmpty();
        assertThat(pipeline.emulator.accessEntries(CLUSTER)).isEmpty();
    }
}
