package dev.eksaccess.handler;

import static dev.eksaccess.testing.DriftFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.config.AccessChangeConfig;
import dev.eksaccess.config.CrossAccountSettings;
import dev.eksaccess.contract.JsonSchemaFile;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.contract.DriftMode;
import dev.eksaccess.drift.DriftResponder;
import dev.eksaccess.drift.DriftResponse;
import dev.eksaccess.drift.ExternalChange;
import dev.eksaccess.request.RestoreRequest;
import dev.eksaccess.drift.ExternalChangeLog;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.testing.DriftFixture;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeEks;
import dev.eksaccess.testing.FakeGrantStates;
import dev.eksaccess.testing.FakeRegistry;
import dev.eksaccess.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The access-change function over fakes: one log line per event, the outcome event, the seam, and failures. */
class AccessChangeHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFile SCHEMA =
            new JsonSchemaFile("dev/eksaccess/contract/external-change-event-v1.schema.json");
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:05Z");
    static final AccessChangeConfig CONFIG = new AccessChangeConfig("ledger", "registry",
            "arn:aws:iam::111122223333:role/eks-access-grant-processor", Optional.of("eks-access-member"),
            new CrossAccountSettings(Set.of("444455556666"), Optional.empty()), Optional.empty());

    private final FakeEks eks = new FakeEks("111122223333");
    private final FakeRegistry registry = new FakeRegistry();
    private final FakeGrantStates grants = new FakeGrantStates();
    private final Map<String, ExternalChange> ledger = new ConcurrentHashMap<>();
    private final ExternalChangeLog log = change -> ledger.putIfAbsent(change.change().eventId(), change) == null;
    private final List<ExternalChange> published = new ArrayList<>();
    private final List<ExternalChange> responded = new ArrayList<>();
    private final List<RestoreRequest> restores = new ArrayList<>();
    /** The deployed responder, every grant's drift mode {@code restore}, its queue a list; it records each change. */
    private final DriftResponse response = new DriftResponse() {
        private final DriftResponder responder = new DriftResponder(grants, (rule, cluster) -> DriftMode.RESTORE,
                restores::add, new MutableClock(NOW));

        @Override
        public DriftResponder.Response respond(ExternalChange change) {
            responded.add(change);
            return responder.respond(change);
        }
    };
    private final List<String> lines = new ArrayList<>();
    private final AccessChangeHandler handler = new AccessChangeHandler(CONFIG, eks, registry, grants, log,
            published::add, response, new MutableClock(NOW), lines::add);

    @BeforeEach
    void aClusterWithTwoAdminsAndATeamViewerGrantedByEksAccess() {
        DriftFixture.twoAdminsAndATeamViewer(registry, eks, grants, NOW);
    }

    private JsonNode handle(byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        JsonNode result = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(JSON.readTree(lines.getLast())).isEqualTo(result);
        return result;
    }

    private JsonNode handle(String sample) throws IOException {
        return handle(EventFiles.bytes("cloudtrail/access-changes/" + sample));
    }

    @Test
    void aManualDeletionOfAGrantedEntry_isRecorded_published_andHandedToTheResponse_once() throws IOException {
        eks.deleteAccessEntry(PAYMENTS, TEAM);

        JsonNode line = handle("delete-access-entry.json");

        assertThat(line.get("function").asText()).isEqualTo("access-changes");
        assertThat(line.get("outcome").asText()).isEqualTo("recorded");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("severity").asText()).isEqualTo("conflicts-with-grant");
        assertThat(line.get("principalArn").asText()).isEqualTo(TEAM);
        assertThat(line.get("actor").get("arn").asText()).endsWith("AWSReservedSSO_AdministratorAccess_0123456789abcdef");
        assertThat(ledger).containsOnlyKeys("a0b1c2d3-e4f5-4a67-9c89-000000000001");
        assertThat(published).containsExactly(ledger.get("a0b1c2d3-e4f5-4a67-9c89-000000000001"));
        assertThat(responded).isEqualTo(published);
        assertThat(SCHEMA.errors(JSON.readTree(published.getFirst().detailJson()))).isEmpty();
    }

    /**
     * The line says what was done about the change: the restore's request id when one was sent, else why none.
     * (Mutation: Recorded.logEvent writing action "none" for every response -> the first assertion fails.)
     */
    @Test
    void theLine_saysWhetherARestoreWasRequested_withItsRequestId_orWhyNot() throws IOException {
        grants.save(new GrantState(PAYMENTS.arn(), TEAM, VIEW, true, NOW.minusSeconds(60), "req-2", null,
                new GrantState.Desired(AccessScope.cluster(), null, null, "team-view", true)));
        eks.deleteAccessEntry(PAYMENTS, TEAM);

        JsonNode deleted = handle("delete-access-entry.json").get("repair");
        JsonNode groups = handle("update-access-entry-groups.json").get("repair");

        assertThat(restores).singleElement().extracting(RestoreRequest::requestId)
                .isEqualTo("eks-access:restore:a0b1c2d3-e4f5-4a67-9c89-000000000001");
        assertThat(deleted.get("action").asText()).isEqualTo("restore-requested");
        assertThat(deleted.get("requestId").asText()).isEqualTo(restores.getFirst().requestId());
        assertThat(deleted.get("reason").asText()).isEqualTo("restore requested ("
                + restores.getFirst().requestId() + "): the deleted entry held 1 grant of eks-access");
        assertThat(groups.get("action").asText()).isEqualTo("none");
        assertThat(groups.has("requestId")).isFalse();
        assertThat(groups.get("reason").asText())
                .isEqualTo("a change of an entry's groups or username is reported, not restored");
    }

    @Test
    void aRedeliveredEvent_isNotRecordedAgain_butPublishedAndHandedOnAgain_andLoggedAsDuplicate() throws IOException {
        eks.deleteAccessEntry(PAYMENTS, TEAM);
        handle("delete-access-entry.json");

        JsonNode again = handle("delete-access-entry.json");

        assertThat(again.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(again.get("severity").asText()).isEqualTo("conflicts-with-grant");
        assertThat(ledger).hasSize(1);
        assertThat(published).hasSize(2).extracting(c -> c.change().eventId()).containsOnly(
                "a0b1c2d3-e4f5-4a67-9c89-000000000001");
        assertThat(responded).hasSize(2);
    }

    /**
     * The last admin but the creator taken away is a lockout risk: logged at WARN with {@code severity}
     * {@code lockout-risk}, what the stack's alarm counts. (Mutation: ChangeClassifier's "left == 1 &amp;&amp;
     * tookAdmin" as "left == 0" -> severity harmless, the test fails.)
     */
    @Test
    void theLastAdminButTheCreatorDisassociated_isALockoutRisk_loggedAtWarn_forTheAlarm() throws IOException {
        eks.disassociateAccessPolicy(PAYMENTS, PLATFORM, ADMIN);
        String event = new String(EventFiles.bytes("cloudtrail/access-changes/disassociate-cluster-admin.json"),
                StandardCharsets.UTF_8);
        String principal = JSON.readTree(event).at("/detail/requestParameters/principalArn").asText();

        JsonNode line = handle(event.replace(principal, PLATFORM).getBytes(StandardCharsets.UTF_8));

        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("severity").asText()).isEqualTo("lockout-risk");
        assertThat(line.get("severityReason").asText()).contains("only " + CREATOR);
    }

    @Test
    void aCallOfTheGrantProcessor_isSkippedAsOwn_withoutReadingEksRecordingOrPublishing() throws IOException {
        JsonNode line = handle("associate-by-eks-access.json");

        assertThat(line.get("outcome").asText()).isEqualTo("own-call");
        assertThat(eks.calls).isEmpty();
        assertThat(ledger).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void aFailedCall_andALoggingChange_areIgnored_withTheirReason() throws IOException {
        assertThat(handle("disassociate-denied.json").get("reason").asText()).contains("AccessDeniedException");
        assertThat(handle("update-cluster-config-logging.json").get("outcome").asText()).isEqualTo("ignored");
        assertThat(ledger).isEmpty();
    }

    @Test
    void aMalformedEvent_isRejectedNamingTheField_andTheInvocationSucceeds() throws IOException {
        String event = new String(EventFiles.bytes("cloudtrail/access-changes/delete-access-entry.json"),
                StandardCharsets.UTF_8).replace("\"principalArn\"", "\"principal\"");

        JsonNode line = handle(event.getBytes(StandardCharsets.UTF_8));

        assertThat(line.get("outcome").asText()).isEqualTo("rejected");
        assertThat(line.get("reason").asText()).contains("principalArn");
        assertThat(line.get("eventId").asText()).isEqualTo("a0b1c2d3-e4f5-4a67-9c89-000000000001");
    }

    /** Nothing is lost: EKS unreadable -> logged as error and thrown, so EventBridge retries, then dead-letters. */
    @Test
    void anEksReadFailure_isLoggedAndThrown_andNothingIsRecorded() {
        eks.failNext(new EksTransientException("Rate exceeded"));

        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(
                EventFiles.bytes("cloudtrail/access-changes/delete-access-entry.json")), new ByteArrayOutputStream(), null))
                .isInstanceOf(EksTransientException.class);

        assertThat(lines.getLast()).contains("\"outcome\":\"error\"").contains("\"retried\":true");
        assertThat(ledger).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void priming_readsAndJudgesARepresentativeEvent_withoutReadingRecordingPublishingOrLogging() throws IOException {
        handler.priming().beforeCheckpoint(null);

        JsonNode line = JSON.readTree(handler.priming().prime());
        assertThat(line.get("outcome").asText()).isEqualTo("recorded");
        assertThat(line.get("severity").asText()).isEqualTo("conflicts-with-grant");
        assertThat(eks.calls).isEmpty();
        assertThat(ledger).isEmpty();
        assertThat(published).isEmpty();
        assertThat(lines).isEmpty();
    }
}
