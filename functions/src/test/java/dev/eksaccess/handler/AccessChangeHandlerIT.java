package dev.eksaccess.handler;

import static dev.eksaccess.testing.DriftFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoExternalChangeLog;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.drift.ChangeClass.Severity;
import dev.eksaccess.drift.ExternalChange;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.EksAccessException;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.eks.Fault;
import dev.eksaccess.emulator.eks.RecordedCall;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeRegistry;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.TestEksClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * The access-change function over real HTTP: the EKS emulator (changed by hand through the SDK, as a person would,
 * then read by the function) and dynalite (registry, grant states, the ledger's external changes). One test per
 * classification, own calls, redelivery, and an EKS failure. Every test ends by checking the function only read EKS.
 */
@ExtendWith(EmulatedAws.class)
class AccessChangeHandlerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:05Z");
    private static final List<String> READS = List.of("ListAccessEntries", "ListAssociatedAccessPolicies",
            "DescribeAccessEntry");

    private final AwsBackend aws;
    private final MutableClock clock = new MutableClock(NOW);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<ExternalChange> published = new CopyOnWriteArrayList<>();
    private EksEmulator emulator;
    private EksClient eksClient;
    /** A person with the console: the changes the function is told about are made through this. */
    private SdkEksAccess person;
    private DynamoExternalChangeLog ledger;
    private AccessChangeHandler handler;

    AccessChangeHandlerIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void aClusterWithTwoAdminsAndATeamViewerGrantedByEksAccess() {
        emulator = EksEmulator.start();
        eksClient = TestEksClients.eks(emulator.endpoint(), Region.EU_WEST_1, RetryMode.STANDARD);
        person = new SdkEksAccess(eksClient);
        emulator.createCluster(ClusterSpec.builder(PAYMENTS.name()).accountId(PAYMENTS.accountId())
                .region(PAYMENTS.region()).authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                .bootstrapClusterCreatorAdminPermissions(true).creatorPrincipalArn(CREATOR).build());
        emulator.completePendingChanges(PAYMENTS.name());
        for (String principal : List.of(PLATFORM, TEAM)) {
            emulator.registerIamPrincipal(principal);
        }
        person.createAccessEntry(PAYMENTS, new NewAccessEntry(PLATFORM, List.of(), null, Map.of(), null));
        person.associateAccessPolicy(PAYMENTS, PLATFORM, ADMIN, AccessScope.cluster());
        person.createAccessEntry(PAYMENTS, new NewAccessEntry(TEAM, List.of(), null,
                Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE), null));
        person.associateAccessPolicy(PAYMENTS, TEAM, VIEW, AccessScope.cluster());

        DynamoClusterRegistry registry = new DynamoClusterRegistry(aws.dynamoDb(),
                DynamoDbTables.createUnique(aws.dynamoDb(), "registry", Tables.REGISTRY), clock);
        registry.putIfAbsent(FakeRegistry.record(PAYMENTS.arn(), CREATOR, "API_AND_CONFIG_MAP", true));
        String ledgerTable = DynamoDbTables.createUnique(aws.dynamoDb(), "ledger", Tables.LEDGER);
        DynamoGrantStates grants = new DynamoGrantStates(aws.dynamoDb(), ledgerTable);
        grants.save(new GrantState(PAYMENTS.arn(), TEAM, VIEW, true, NOW.minusSeconds(3600), "req-1", null));
        ledger = new DynamoExternalChangeLog(aws.dynamoDb(), ledgerTable);
        handler = new AccessChangeHandler(AccessChangeHandlerTest.CONFIG, (cluster, actingFor) -> person, registry,
                grants, ledger, published::add, dev.eksaccess.drift.DriftResponse.NONE, clock, lines::add);
        emulator.clearCalls();
    }

    @AfterEach
    void theFunctionOnlyRead_andStop() {
        try {
            assertThat(emulator.calls()).extracting(RecordedCall::operation)
                    .as("the access-change function changes nothing in EKS").allMatch(READS::contains);
        } finally {
            eksClient.close();
            emulator.close();
        }
    }

    /** The sample event, its principal (if any) replaced by {@code principal}. */
    private static byte[] event(String sample, String principal) {
        String text = new String(EventFiles.bytes("cloudtrail/access-changes/" + sample), StandardCharsets.UTF_8);
        return (principal == null ? text : text.replace(TEAM, principal)).getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode handle(byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /** What the ledger holds for the cluster: one record per event, with its severity. */
    private Map<String, Severity> recorded() {
        return ledger.find(PAYMENTS.arn()).stream().collect(java.util.stream.Collectors.toMap(
                change -> change.change().eventId(), change -> change.judged().severity()));
    }

    @Test
    void harmless_aNewEntryForAPrincipalEksAccessDoesNotManage() throws IOException {
        String newcomer = "arn:aws:iam::111122223333:role/data-science";
        emulator.registerIamPrincipal(newcomer);
        person.createAccessEntry(PAYMENTS, new NewAccessEntry(newcomer, List.of(), null, Map.of(), null));
        emulator.clearCalls();

        JsonNode line = handle(new String(event("create-access-entry.json", null), StandardCharsets.UTF_8)
                .replace("arn:aws:iam::111122223333:role/platform/teams/eks-provisioner", newcomer)
                .getBytes(StandardCharsets.UTF_8));

        assertThat(line.get("severity").asText()).isEqualTo("harmless");
        assertThat(recorded()).containsExactly(Map.entry("a0b1c2d3-e4f5-4a67-9c89-d0e1f2a3b4c5", Severity.HARMLESS));
        assertThat(published).hasSize(1);
    }

    /** Also: a redelivered event is recorded once; the ledger keeps the first record. */
    @Test
    void conflictsWithAGrant_theTeamsGrantedEntryDeletedByHand_recordedOnceThoughDeliveredTwice() throws IOException {
        person.deleteAccessEntry(PAYMENTS, TEAM);
        emulator.clearCalls();

        JsonNode first = handle(event("delete-access-entry.json", null));
        JsonNode again = handle(event("delete-access-entry.json", null));

        assertThat(first.get("outcome").asText()).isEqualTo("recorded");
        assertThat(first.get("severity").asText()).isEqualTo("conflicts-with-grant");
        assertThat(again.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(recorded()).containsExactly(Map.entry("a0b1c2d3-e4f5-4a67-9c89-000000000001",
                Severity.CONFLICTS_WITH_GRANT));
        ExternalChange kept = ledger.find(PAYMENTS.arn()).getFirst();
        assertThat(kept.change().actor().principalArn()).endsWith("AWSReservedSSO_AdministratorAccess_0123456789abcdef");
        assertThat(kept.judged().reason()).contains(VIEW);
    }

    @Test
    void lockoutRisk_theCreatorsEntryDeleted() throws IOException {
        person.deleteAccessEntry(PAYMENTS, CREATOR);
        emulator.clearCalls();

        JsonNode line = handle(event("delete-access-entry.json", CREATOR));

        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("severity").asText()).isEqualTo("lockout-risk");
        assertThat(line.get("severityReason").asText()).contains("creator's entry");
        assertThat(recorded()).containsValue(Severity.LOCKOUT_RISK);
    }

    @Test
    void lockoutRisk_clusterAdminTakenFromThePlatformRole_leavesOnlyTheCreator() throws IOException {
        person.disassociateAccessPolicy(PAYMENTS, PLATFORM, ADMIN);
        emulator.clearCalls();

        JsonNode line = handle(event("disassociate-cluster-admin.json", PLATFORM));

        assertThat(line.get("severity").asText()).isEqualTo("lockout-risk");
        assertThat(line.get("severityReason").asText()).isEqualTo("cluster admin was taken from " + PLATFORM
                + "; only " + CREATOR + " holds it at cluster scope now");
    }

    @Test
    void lockoutRisk_theLastClusterAdminDisassociated_noneLeft() throws IOException {
        person.disassociateAccessPolicy(PAYMENTS, PLATFORM, ADMIN);
        person.disassociateAccessPolicy(PAYMENTS, CREATOR, ADMIN);
        emulator.clearCalls();

        JsonNode line = handle(event("disassociate-cluster-admin.json", PLATFORM));

        assertThat(line.get("severityReason").asText())
                .isEqualTo("no principal holds AmazonEKSClusterAdminPolicy at cluster scope any more");
    }

    @Test
    void lockoutRisk_theClusterMovedToApi() throws IOException {
        emulator.setAuthenticationMode(PAYMENTS.name(), AuthenticationMode.API);

        JsonNode line = handle(event("update-cluster-config-api.json", null));

        assertThat(line.get("severity").asText()).isEqualTo("lockout-risk");
        assertThat(line.get("authenticationMode").asText()).isEqualTo("API");
        assertThat(recorded()).containsExactly(Map.entry("a0b1c2d3-e4f5-4a67-9c89-000000000007", Severity.LOCKOUT_RISK));
    }

    @Test
    void ownCall_ofTheGrantProcessorsRole_isSkipped_withoutReadingEksOrRecording() throws IOException {
        JsonNode line = handle(event("associate-by-eks-access.json", null));

        assertThat(line.get("outcome").asText()).isEqualTo("own-call");
        assertThat(emulator.calls()).isEmpty();
        assertThat(recorded()).isEmpty();
        assertThat(published).isEmpty();
    }

    /** Nothing lost: EKS failing, the handler throws (EventBridge retries, then the DLQ); the retry records it. */
    @Test
    void anEksReadFailure_throws_recordsNothing_andTheRetryRecordsIt() throws IOException {
        person.deleteAccessEntry(PAYMENTS, TEAM);
        emulator.inject(Fault.serverError().onOperation("ListAccessEntries"));
        emulator.clearCalls();

        assertThatThrownBy(() -> handle(event("delete-access-entry.json", null)))
                .isInstanceOf(EksAccessException.class);
        assertThat(recorded()).isEmpty();
        assertThat(published).isEmpty();
        assertThat(lines.getLast()).contains("\"outcome\":\"error\"");

        emulator.clearFaults();
        assertThat(handle(event("delete-access-entry.json", null)).get("outcome").asText()).isEqualTo("recorded");
        assertThat(recorded()).containsExactly(Map.entry("a0b1c2d3-e4f5-4a67-9c89-000000000001",
                Severity.CONFLICTS_WITH_GRANT));
    }
}
