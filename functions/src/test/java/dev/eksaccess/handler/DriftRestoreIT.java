package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.aws.DynamoExternalChangeLog;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.aws.SqsRestoreQueue;
import dev.eksaccess.config.AccessChangeConfig;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.creation.Creator;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.drift.AccessChange;
import dev.eksaccess.drift.AccessChange.Kind;
import dev.eksaccess.drift.ClusterAccessReader;
import dev.eksaccess.drift.DriftResponder;
import dev.eksaccess.drift.ExternalChange;
import dev.eksaccess.drift.ExternalChangeEvents;
import dev.eksaccess.drift.ExternalChanges;
import dev.eksaccess.drift.OwnRoles;
import dev.eksaccess.emulator.eks.AccessEntrySnapshot;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.PolicyAssociation;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.RestoreRequest;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.SenderIdentities.Sender;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * Drift repair end to end: a team's grant applied through the grant queue, a person changing it by hand in EKS (the
 * emulator, over the SDK), the change judged and recorded ({@link ExternalChanges}), the {@link DriftResponder}
 * sending a restore to SQS (ElasticMQ) with the drift function's credentials ({@link SqsRestoreQueue}), and the grant
 * processor, with the production adapters on DynamoDB (dynalite) and IAM, re-applying it. The lockout invariants are
 * checked after each test.
 */
@ExtendWith(EmulatedAws.class)
class DriftRestoreIT {

    static final String ACCOUNT = "111122223333";
    static final String CLUSTER = "payments-prod";
    static final ClusterRef PAYMENTS = new ClusterRef("aws", "eu-west-1", ACCOUNT, CLUSTER);
    static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    static final String PAYMENTS_CI = "arn:aws:iam::111122223333:role/teams/payments-ci";
    static final String PAYMENTS_DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";
    /** Someone with EKS permissions who changes access by hand. */
    static final Creator JANE = new Creator("AssumedRole", "arn:aws:iam::111122223333:role/Admin", "jane", null, true,
            null);
    static final String EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final String ADMIN_VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy";

    private final AwsBackend aws;
    private final MutableClock clock = new MutableClock(Instant.now());
    private final Map<String, ExternalChange> recorded = new ConcurrentHashMap<>();
    private GrantPipeline pipeline;
    /** The pipeline's client, used by the processor and by Jane changing access by hand. */
    private EksClient byHand;
    private Sender paymentsCi;
    private Sender drift;
    private SqsLambdaPoller poller;
    private ExternalChanges changes;
    private DriftResponder responder;

    DriftRestoreIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        pipeline = GrantPipeline.start(aws, clock);
        byHand = pipeline.eksClient;
        pipeline.emulator.createCluster(ClusterSpec.builder(CLUSTER).accountId(ACCOUNT).region("eu-west-1")
                .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                .bootstrapClusterCreatorAdminPermissions(true).creatorPrincipalArn(CREATOR).build());
        paymentsCi = pipeline.senders.role(PAYMENTS_CI, "github-actions");
        drift = pipeline.senders.role(TestSenders.DRIFT_FUNCTION, "access-changes");
        poller = pipeline.processor().authorizedBy(document()).defaultSender(paymentsCi).poller();
        changes = new ExternalChanges(new OwnRoles(Set.of(TestSenders.GRANT_PROCESSOR), "eks-access-member",
                Set.of()), (cluster, actingFor) -> new SdkEksAccess(byHand),
                new ClusterAccessReader(pipeline.registry, pipeline.states),
                change -> recorded.putIfAbsent(change.change().eventId(), change) == null, clock);
        responder = new DriftResponder(pipeline.states, DriftResponder.Modes.of(Optional.of(document()), List.of()),
                new SqsRestoreQueue(drift.sqs(), pipeline.queue.queueUrl()), clock);
    }

    @AfterEach
    void invariantsHold_andStop() {
        pipeline.close();
    }

    static EligibilityDocument document() {
        try (InputStream in = DriftRestoreIT.class.getResourceAsStream("/eligibility/drift-restore-it.json")) {
            return EligibilityDocument.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ steps

    /** payments-ci grants {@code policy} on namespace payments to payments-dev, for 8 hours; returns its request id. */
    private String granted(String policy) {
        String id = poller.send(paymentsCi, "{\"action\":\"grant\",\"clusterName\":\"" + CLUSTER + "\","
                + "\"principalArn\":\"" + PAYMENTS_DEV + "\",\"accessPolicy\":\"" + policy + "\",\"accessScope\":"
                + "{\"type\":\"namespace\",\"namespaces\":[\"payments\"]},\"kubernetesGroups\":[\"payments-editors\"],"
                + "\"duration\":\"PT8H\"}");
        assertThat(poller.pollOnce()).as("no retry").isEmpty();
        AuditRecord record = record(PAYMENTS_CI, id);
        assertThat(record.outcome()).as(record.outcomeReason()).isEqualTo(Outcome.APPLIED);
        return id;
    }

    /** Jane's change, as CloudTrail reports it: judged, recorded and answered; the queue is then processed. */
    private DriftResponder.Response noticed(Kind kind, String principal, String policy,
                                            dev.eksaccess.eks.AccessScope scope) {
        AccessChange change = new AccessChange(UUID.randomUUID().toString(), clock.instant(), PAYMENTS, kind,
                principal, policy, scope, List.of(), null, JANE);
        ExternalChanges.Handled handled = changes.handle(change);
        assertThat(handled).isInstanceOf(ExternalChanges.Recorded.class);
        DriftResponder.Response response = responder.respond(((ExternalChanges.Recorded) handled).recorded());
        assertThat(poller.pollOnce()).as("no retry").isEmpty();
        return response;
    }

    private void deletedByHand(String principal) {
        byHand.deleteAccessEntry(r -> r.clusterName(CLUSTER).principalArn(principal));
    }

    private AuditRecord record(String senderArn, String requestId) {
        return pipeline.ledger.find(PAYMENTS.arn(), AuditRecord.senderKeyOf(senderArn), requestId).orElseThrow(
                () -> new AssertionError("no ledger record " + requestId + " of " + senderArn + "; log: " + pipeline.logs));
    }

    private AuditRecord restoreRecord(DriftResponder.Response response) {
        assertThat(response).as(response.reason()).isInstanceOf(DriftResponder.Restore.class);
        return record(TestSenders.DRIFT_FUNCTION, ((DriftResponder.Restore) response).request().requestId());
    }

    private Optional<AccessEntrySnapshot> entry(String principal) {
        return pipeline.emulator.accessEntry(CLUSTER, principal);
    }

    // ------------------------------------------------------------------ restored

    @Test
    void aDeletedOwnedEntry_isCreatedAgain_withItsGroups_policyAndScope() {
        granted("AmazonEKSEditPolicy");
        deletedByHand(PAYMENTS_DEV);

        AuditRecord restore = restoreRecord(noticed(Kind.DELETE_ENTRY, PAYMENTS_DEV, null, null));

        assertThat(restore.outcome()).as(restore.outcomeReason()).isEqualTo(Outcome.APPLIED);
        assertThat(restore.outcomeReason()).startsWith("restored after CloudTrail event ");
        assertThat(restore.ruleId()).isEqualTo("internal:drift");
        AccessEntrySnapshot entry = entry(PAYMENTS_DEV).orElseThrow();
        assertThat(entry.kubernetesGroups()).containsExactly("payments-editors");
        assertThat(entry.tags()).containsEntry("managed-by", "eks-access");
        PolicyAssociation edit = entry.policy(EDIT).orElseThrow();
        assertThat(edit.scope().isCluster()).isFalse();
        assertThat(edit.scope().namespaces()).containsExactly("payments");
        assertThat(pipeline.outcomes.statesOf(restore.requestId())).containsExactly("received", "applied");
    }

    @Test
    void aDisassociatedOwnedPolicy_isAssociatedAgain_andTheOtherPolicyIsLeftAsItIs() {
        granted("AmazonEKSEditPolicy");
        granted("AmazonEKSViewPolicy");
        byHand.disassociateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(PAYMENTS_DEV).policyArn(VIEW));
        pipeline.emulator.clearCalls();

        AuditRecord restore = restoreRecord(noticed(Kind.DISASSOCIATE_POLICY, PAYMENTS_DEV, VIEW, null));

        assertThat(restore.outcome()).as(restore.outcomeReason()).isEqualTo(Outcome.APPLIED);
        assertThat(entry(PAYMENTS_DEV).orElseThrow().policy(VIEW).orElseThrow().scope().namespaces())
                .containsExactly("payments");
        assertThat(pipeline.emulator.calls("AssociateAccessPolicy")).hasSize(1);
        assertThat(pipeline.emulator.calls("DisassociateAccessPolicy")).isEmpty();
    }

    // ------------------------------------------------------------------ the access-change function

    /**
     * The access-change function as deployed: its configuration read from the environment (grant queue, eligibility
     * file, deployment file), its drift response wired as the no-argument constructor wires it, sending with the
     * drift role's credentials.
     */
    private AccessChangeHandler accessChangeFunction(java.nio.file.Path dir) throws IOException {
        java.nio.file.Path eligibility = dir.resolve("eligibility.json");
        try (InputStream in = DriftRestoreIT.class.getResourceAsStream("/eligibility/drift-restore-it.json")) {
            java.nio.file.Files.write(eligibility, in.readAllBytes());
        }
        AccessChangeConfig config = AccessChangeConfig.from(new Environment(Map.of(
                "LEDGER_TABLE", pipeline.ledgerTable, "REGISTRY_TABLE", pipeline.registryTable,
                "GRANT_PROCESSOR_ROLE_ARN", TestSenders.GRANT_PROCESSOR, "GRANT_QUEUE_URL", pipeline.queue.queueUrl(),
                "ELIGIBILITY_FILE", eligibility.toString())));
        return new AccessChangeHandler(config, (cluster, actingFor) -> new SdkEksAccess(byHand), pipeline.registry, pipeline.states,
                new DynamoExternalChangeLog(aws.dynamoDb(), pipeline.ledgerTable), ExternalChangeEvents.NONE,
                AccessChangeHandler.driftResponse(config, pipeline.states, drift::sqs, clock), clock, pipeline.logs::add);
    }

    /** Jane's DeleteAccessEntry of payments-dev's entry, as the rule delivers it (the sample file, on this cluster). */
    private byte[] deletionEvent(String eventId) {
        com.fasterxml.jackson.databind.node.ObjectNode event =
                EventFiles.json("cloudtrail/access-changes/delete-access-entry.json");
        com.fasterxml.jackson.databind.node.ObjectNode detail = (com.fasterxml.jackson.databind.node.ObjectNode)
                event.get("detail");
        detail.put("eventID", eventId).put("eventTime", clock.instant().toString());
        ((com.fasterxml.jackson.databind.node.ObjectNode) detail.get("requestParameters"))
                .put("clusterName", CLUSTER).put("principalArn", PAYMENTS_DEV);
        return EventFiles.bytes(event);
    }

    private String invoke(AccessChangeHandler function, byte[] event) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        function.handleRequest(new java.io.ByteArrayInputStream(event), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCloudTrailDeletion_deliveredToTheAccessChangeFunction_isRestoredByTheGrantProcessor_once(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        granted("AmazonEKSEditPolicy");
        AccessChangeHandler function = accessChangeFunction(dir);
        deletedByHand(PAYMENTS_DEV);
        pipeline.emulator.clearCalls();
        String eventId = UUID.randomUUID().toString();

        String first = invoke(function, deletionEvent(eventId));
        assertThat(poller.pollOnce()).as("no retry").isEmpty();
        // EventBridge delivers the same event again: recorded once, the same restore sent again, applied once.
        String again = invoke(function, deletionEvent(eventId));
        assertThat(poller.pollOnce()).as("no retry").isEmpty();

        assertThat(first).contains("\"outcome\":\"recorded\"");
        assertThat(again).contains("\"outcome\":\"duplicate\"");
        AuditRecord restore = record(TestSenders.DRIFT_FUNCTION, RestoreRequest.requestIdFor(eventId));
        assertThat(restore.outcome()).as(restore.outcomeReason()).isEqualTo(Outcome.APPLIED);
        assertThat(restore.outcomeReason()).isEqualTo("restored after CloudTrail event " + eventId
                + ": created STANDARD access entry; associated " + EDIT + " at namespace[payments]");
        AccessEntrySnapshot entry = entry(PAYMENTS_DEV).orElseThrow();
        assertThat(entry.kubernetesGroups()).containsExactly("payments-editors");
        assertThat(entry.policy(EDIT).orElseThrow().scope().namespaces()).containsExactly("payments");
        assertThat(pipeline.emulator.calls("CreateAccessEntry")).as("restored once").hasSize(1);
        assertThat(pipeline.emulator.calls("AssociateAccessPolicy")).hasSize(1);
        assertThat(pipeline.outcomes.statesOf(restore.requestId())).containsExactly("received", "applied");
    }

    // ------------------------------------------------------------------ left alone

    @Test
    void aChangeToAnEntryEksAccessDoesNotOwn_isLeftAlone() {
        byHand.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(PAYMENTS_DEV));
        byHand.associateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(PAYMENTS_DEV).policyArn(VIEW)
                .accessScope(s -> s.type("cluster")));
        byHand.disassociateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(PAYMENTS_DEV).policyArn(VIEW));
        pipeline.emulator.clearCalls();

        DriftResponder.Response response = noticed(Kind.DISASSOCIATE_POLICY, PAYMENTS_DEV, VIEW, null);

        assertThat(response).isEqualTo(new DriftResponder.NoRestore(VIEW + " on " + PAYMENTS_DEV
                + " is not granted by eks-access"));
        assertThat(pipeline.emulator.calls("AssociateAccessPolicy")).isEmpty();
        assertThat(entry(PAYMENTS_DEV).orElseThrow().policies()).isEmpty();
    }

    @Test
    void ourGrantOnAnEntrySomeoneElseCreated_isNotRecreatedWhenTheyDeleteTheirEntry() {
        byHand.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(PAYMENTS_DEV)
                .kubernetesGroups("payments-editors"));
        granted("AmazonEKSEditPolicy");
        deletedByHand(PAYMENTS_DEV);

        DriftResponder.Response response = noticed(Kind.DELETE_ENTRY, PAYMENTS_DEV, null, null);

        assertThat(response).isInstanceOf(DriftResponder.NoRestore.class);
        assertThat(response.reason()).contains("was not created by eks-access");
        assertThat(entry(PAYMENTS_DEV)).isEmpty();
    }

    @Test
    void aGrantOfARuleInAlertMode_isReportedNotRestored() {
        granted("AmazonEKSAdminViewPolicy");
        byHand.disassociateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(PAYMENTS_DEV).policyArn(ADMIN_VIEW));

        DriftResponder.Response response = noticed(Kind.DISASSOCIATE_POLICY, PAYMENTS_DEV, ADMIN_VIEW, null);

        assertThat(response.reason()).isEqualTo("drift mode alert for [" + ADMIN_VIEW + " (rule payments-alert)]: "
                + "reported, not restored");
        assertThat(entry(PAYMENTS_DEV).orElseThrow().policy(ADMIN_VIEW)).isEmpty();
        assertThat(recorded.values()).singleElement().satisfies(change ->
                assertThat(change.judged().reason()).contains("is held by an eks-access grant"));
    }

    // ------------------------------------------------------------------ refused

    /** The restore the responder decides on now for Jane's deletion, sent later by {@link #sendAndProcess}. */
    private DriftResponder.Response decidedForDeletion(String eventId) {
        return responder.decide(new AccessChange(eventId, clock.instant(), PAYMENTS, Kind.DELETE_ENTRY, PAYMENTS_DEV,
                null, null, List.of(), null, JANE));
    }

    /** Sends the restore as the drift function does, and processes the queue. */
    private void sendAndProcess(DriftResponder.Response decided) {
        new SqsRestoreQueue(drift.sqs(), pipeline.queue.queueUrl()).send(((DriftResponder.Restore) decided).request());
        assertThat(poller.pollOnce()).as("no retry").isEmpty();
    }

    @Test
    void aRestore_whoseGrantWasRevokedBeforeItArrived_isRefused_withTheReasonStored() {
        granted("AmazonEKSEditPolicy");
        deletedByHand(PAYMENTS_DEV);
        DriftResponder.Response response = decidedForDeletion("ev-revoked");
        // The team revokes before the restore is processed.
        clock.advance(Duration.ofSeconds(1));
        String revoke = poller.send(paymentsCi, "{\"action\":\"revoke\",\"clusterName\":\"" + CLUSTER + "\","
                + "\"principalArn\":\"" + PAYMENTS_DEV + "\",\"accessPolicy\":\"AmazonEKSEditPolicy\"}");
        assertThat(poller.pollOnce()).isEmpty();
        sendAndProcess(response);

        AuditRecord restore = restoreRecord(response);

        assertThat(record(PAYMENTS_CI, revoke).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(restore.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(restore.outcomeReason()).isEqualTo("nothing to restore after CloudTrail event ev-revoked: " + EDIT
                + " was changed by request " + revoke + " since request "
                + ((DriftResponder.Restore) response).request().grants().get(0).grantRequestId() + " granted it");
        assertThat(entry(PAYMENTS_DEV)).isEmpty();
    }

    @Test
    void aRestore_whoseGrantExpiredBeforeItArrived_isRefused_withTheReasonStored() {
        granted("AmazonEKSEditPolicy");
        deletedByHand(PAYMENTS_DEV);
        DriftResponder.Response response = decidedForDeletion("ev-expired");
        clock.advance(Duration.ofHours(9));
        sendAndProcess(response);

        AuditRecord restore = restoreRecord(response);

        assertThat(restore.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(restore.outcomeReason()).startsWith("nothing to restore after CloudTrail event ev-expired: " + EDIT
                + " expired at ");
        assertThat(entry(PAYMENTS_DEV)).isEmpty();
    }

    @Test
    void aForgedRestore_fromATeamSender_orAStranger_isRefused_andEksIsNotCalled() {
        String grant = granted("AmazonEKSEditPolicy");
        deletedByHand(PAYMENTS_DEV);
        pipeline.emulator.clearCalls();
        for (Sender forger : List.of(paymentsCi, pipeline.senders.stranger)) {
            String eventId = "forged-" + forger.senderId().hashCode();
            String body = new RestoreRequest(PAYMENTS, PAYMENTS_DEV, List.of(new RestoreRequest.Grant(EDIT, grant)),
                    eventId, RestoreRequest.requestIdFor(eventId), clock.instant(), "drift").toJson();
            poller.send(forger, body);
            assertThat(poller.pollOnce()).isEmpty();
        }

        AuditRecord team = pipeline.ledger.find(PAYMENTS.arn(), AuditRecord.senderKeyOf(PAYMENTS_CI),
                RestoreRequest.requestIdFor("forged-" + paymentsCi.senderId().hashCode())).orElseThrow();
        assertThat(team.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(team.outcomeReason()).isEqualTo("not allowed: restore messages are accepted only from the drift "
                + "function's role (DRIFT_FUNCTION_ROLE_ARN); " + PAYMENTS_CI + " is not it");
        AuditRecord stranger = pipeline.ledger.find(PAYMENTS.arn(), AuditRecord.senderKeyOf(null),
                RestoreRequest.requestIdFor("forged-" + pipeline.senders.stranger.senderId().hashCode())).orElseThrow();
        assertThat(stranger.outcomeReason()).startsWith("unknown sender");
        assertThat(pipeline.emulator.calls()).as("EKS calls").isEmpty();
        assertThat(entry(PAYMENTS_DEV)).isEmpty();
    }

    // ------------------------------------------------------------------ no loop

    @Test
    void theThirdChangeWithinTheWindow_isNotRestored_butStoppedWithTheAlarm_andOneAfterTheWindowIsRestoredAgain() {
        granted("AmazonEKSEditPolicy");
        for (int i = 0; i < 2; i++) {
            deletedByHand(PAYMENTS_DEV);
            assertThat(restoreRecord(noticed(Kind.DELETE_ENTRY, PAYMENTS_DEV, null, null)).outcome())
                    .isEqualTo(Outcome.APPLIED);
            assertThat(entry(PAYMENTS_DEV)).isPresent();
            clock.advance(Duration.ofMinutes(20));
        }
        deletedByHand(PAYMENTS_DEV);
        pipeline.logs.clear();

        AuditRecord stopped = restoreRecord(noticed(Kind.DELETE_ENTRY, PAYMENTS_DEV, null, null));

        assertThat(stopped.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(stopped.outcomeReason()).startsWith("restore stopped: the entry of " + PAYMENTS_DEV
                + " was restored at ").contains("2 times within PT1H").contains("someone keeps changing it back");
        assertThat(entry(PAYMENTS_DEV)).isEmpty();
        assertThat(pipeline.logs).anySatisfy(line -> assertThat(line).contains("\"level\":\"ERROR\"")
                .contains("\"errorType\":\"DriftRestoreStopped\""));

        // The first restore falls out of the hour: the next change is restored again.
        clock.advance(Duration.ofMinutes(20).plusSeconds(1));
        assertThat(restoreRecord(noticed(Kind.DELETE_ENTRY, PAYMENTS_DEV, null, null)).outcome())
                .isEqualTo(Outcome.APPLIED);
        assertThat(entry(PAYMENTS_DEV)).isPresent();
    }
}
