package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.DeploymentFiles;
import dev.eksaccess.config.Environment;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeClusterLookup;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testing.InMemoryCreationRegistry;
import dev.eksaccess.testing.RecordingBootstrapQueue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCreatedHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T08:12:05Z"), ZoneOffset.UTC);

    private final InMemoryCreationRegistry registry = new InMemoryCreationRegistry(CLOCK);
    private final RecordingBootstrapQueue queue = new RecordingBootstrapQueue();
    private final FakeLambdaContext context = new FakeLambdaContext("111122223333");
    private final List<String> logs = new ArrayList<>();
    private final FakeClusterLookup eks = FakeClusterLookup.holdingEverySample();
    private final ClusterCreatedHandler handler = new ClusterCreatedHandler(
            ClusterCreationConfig.from(new Environment(Map.of(
                    "REGISTRY_TABLE", "eks-access-registry",
                    "GRANT_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/111122223333/eks-access-grants",
                    "DEPLOYMENT_FILE", DeploymentFiles.withAdmins("arn:aws:iam::111122223333:role/platform/EksAdmin")))),
            registry, queue, eks, CLOCK, logs::add);

    private JsonNode invoke(byte[] event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), output, context);
        return JSON.readTree(output.toByteArray());
    }

    private JsonNode onlyLogLine() throws IOException {
        assertThat(logs).hasSize(1);
        return JSON.readTree(logs.get(0));
    }

    @Test
    void newCluster_logsOneJsonLineSayingRecorded_andReturnsIt() throws IOException {
        JsonNode result = invoke(EventFiles.bytes("cloudtrail/create-cluster/sso-role.json"));

        JsonNode line = onlyLogLine();
        assertThat(line).isEqualTo(result);
        assertThat(line.get("function").asText()).isEqualTo("cluster-creation");
        assertThat(line.get("outcome").asText()).isEqualTo("recorded");
        assertThat(line.get("clusterArn").asText()).isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/search-prod");
        assertThat(line.get("creatorPrincipalArn").asText()).isEqualTo(
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_3f1c2a9b7d6e5f40");
        assertThat(line.get("bootstrapStatus").asText()).isEqualTo("PENDING");
        assertThat(line.get("bootstrapRequestSent").asBoolean()).isTrue();
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void failedCall_logsIgnoredWithTheErrorCode_andRecordsNothing() throws IOException {
        invoke(EventFiles.bytes("cloudtrail/create-cluster/failed-call-error-code.json"));

        JsonNode line = onlyLogLine();
        assertThat(line.get("outcome").asText()).isEqualTo("ignored");
        assertThat(line.get("errorCode").asText()).isEqualTo("ResourceInUseException");
        assertThat(registry.size()).isZero();
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void duplicate_logsDuplicate() throws IOException {
        byte[] event = EventFiles.bytes("cloudtrail/create-cluster/config-map-mode.json");
        invoke(event);

        JsonNode second = invoke(event);

        assertThat(second.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(second.get("bootstrapStatus").asText()).isEqualTo(BootstrapStatus.BLOCKED.name());
        assertThat(second.get("bootstrapRequestSent").asBoolean()).isFalse();
        assertThat(registry.writes()).isEqualTo(1);
    }

    @Test
    void malformedEvent_isRejectedWithItsReason_withoutThrowing_soThatItIsNotRetried() throws IOException {
        invoke(EventFiles.bytes("cloudtrail/other/delete-cluster.json"));

        JsonNode line = onlyLogLine();
        assertThat(line.get("outcome").asText()).isEqualTo("rejected");
        assertThat(line.get("reason").asText()).contains("detail.eventName is 'DeleteCluster'");
        assertThat(line.get("eventId").asText()).isEqualTo("9fa0b1c2-d3e4-4f56-8b78-c9d0e1f2a3b4");
        assertThat(registry.size()).isZero();
    }

    @Test
    void bytesThatAreNotJson_areRejected_asOneLogLineWithoutStackTrace() throws IOException {
        invoke("not json".getBytes(StandardCharsets.UTF_8));

        JsonNode line = onlyLogLine();
        assertThat(line.get("outcome").asText()).isEqualTo("rejected");
        assertThat(line.get("reason").asText()).startsWith("the event is not valid JSON");
        assertThat(line.get("eventId").isNull()).isTrue();
        assertThat(logs.get(0)).doesNotContain("\tat ");
    }

    @Test
    void queueOutage_isLoggedAsError_andRethrown_soThatEventBridgeRetries() {
        queue.failNext(1);

        assertThatThrownBy(() -> invoke(EventFiles.bytes("cloudtrail/create-cluster/iam-user.json")))
                .hasMessageContaining("SQS is unavailable");

        assertThat(logs).singleElement().satisfies(line -> {
            JsonNode json = JSON.readTree(line);
            assertThat(json.get("outcome").asText()).isEqualTo("error");
            assertThat(json.get("retried").asBoolean()).isTrue();
        });
    }

    @Test
    void clusterOfAnotherAccount_isBlocked_becauseNoCrossAccountRoleIsConfigured() throws IOException {
        JsonNode line = invoke(EventFiles.bytes("cloudtrail/create-cluster/other-account-and-region.json"));

        assertThat(line.get("bootstrapStatus").asText()).isEqualTo("BLOCKED");
        assertThat(line.get("bootstrapReason").asText()).contains("CROSS_ACCOUNT_ROLE_NAME");
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void functionAccount_isReadFromTheInvokedFunctionArn() {
        assertThat(ClusterCreatedHandler.accountOf(new FakeLambdaContext("444455556666"))).isEqualTo("444455556666");
    }

    @Test
    void priming_parsesAndPlansARepresentativeEvent_withoutRecordingSendingOrLogging() throws IOException {
        handler.priming().beforeCheckpoint(null);

        assertThat(registry.writes()).isZero();
        assertThat(registry.size()).isZero();
        assertThat(queue.sent()).isEmpty();
        assertThat(logs).isEmpty();

        JsonNode line = JSON.readTree(handler.priming().prime());
        assertThat(line.get("outcome").asText()).isEqualTo("recorded");
        assertThat(line.get("clusterArn").asText()).isEqualTo("arn:aws:eks:us-east-1:000000000000:cluster/priming");
        assertThat(line.get("creatorPrincipalArn").asText()).isEqualTo("arn:aws:iam::000000000000:role/aws-reserved/"
                + "sso.amazonaws.com/AWSReservedSSO_Priming_0123456789abcdef");
        assertThat(line.get("bootstrapStatus").asText())
                .as("the configured admin makes the planner take its full path, up to a PENDING bootstrap")
                .isEqualTo("PENDING");
        assertThat(line.get("bootstrapRequestSent").asBoolean()).isFalse();
        assertThat(registry.writes()).isZero();
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void logLines_carryTheEnvelope_thenTheirOwnFieldsInAFixedOrder() throws IOException {
        byte[] event = EventFiles.bytes("cloudtrail/create-cluster/sso-role.json");
        invoke(event);
        invoke(event);
        invoke(EventFiles.bytes("cloudtrail/create-cluster/failed-call-error-code.json"));
        invoke("{\"source\":\"aws.eks\",\"id\":\"e-\\\"1\\\"\"}".getBytes(StandardCharsets.UTF_8));
        queue.failNext(1);
        assertThatThrownBy(() -> invoke(EventFiles.bytes("cloudtrail/create-cluster/iam-user.json")));

        String record = ssoRoleRecord("6e1f9a2b-3c4d-4e5f-8a6b-7c8d9e0f1a23");
        assertThat(logs).containsExactly(
                envelope("INFO", true) + "\"outcome\":\"recorded\",\"reason\":\"" + RECORDED_REASON + "\"," + record
                        + ",\"bootstrapRequestSent\":true}",
                envelope("INFO", false) + """
                        "outcome":"duplicate","reason":"event already recorded; bootstrap still PENDING, so its \
                        (idempotent) request was sent again",""" + record + ",\"bootstrapRequestSent\":true}",
                envelope("INFO", false) + """
                        "outcome":"ignored","reason":"the CreateCluster call failed (ResourceInUseException), so there \
                        is no cluster; nothing recorded","eventId":"f7a8b9c0-d1e2-4f30-8a4b-5c6d7e8f9a0b",\
                        "clusterName":"payments-dev","errorCode":"ResourceInUseException",\
                        "errorMessage":"Cluster already exists with name: payments-dev"}""",
                envelope("WARN", false) + """
                        "outcome":"rejected","reason":"not a CloudTrail CreateCluster event from EKS: detail-type is \
                        missing, expected 'AWS API Call via CloudTrail'","eventId":"e-\\"1\\""}""",
                envelope("ERROR", false) + """
                        "outcome":"error","reason":"SQS is unavailable (simulated)","errorType":"IllegalStateException",\
                        "retried":true}""");
    }

    @Test
    void replacedAndStaleLines_carryTheEnvelope_thenTheirOwnFieldsInAFixedOrder() throws IOException {
        ObjectNode newer = EventFiles.json("cloudtrail/create-cluster/sso-role.json");
        ((ObjectNode) newer.get("detail")).put("eventID", "evt-newer").put("eventTime", "2026-11-28T09:00:00Z");
        invoke(EventFiles.bytes("cloudtrail/create-cluster/sso-role.json"));
        eks.holding(newer);
        invoke(EventFiles.bytes(newer));
        // EKS confirms the older event too (a record from before events were verified), so the registry calls it stale.
        eks.holding(EventFiles.json("cloudtrail/create-cluster/sso-role.json"));
        invoke(EventFiles.bytes("cloudtrail/create-cluster/sso-role.json"));

        assertThat(logs).containsExactly(
                envelope("INFO", true) + "\"outcome\":\"recorded\",\"reason\":\"" + RECORDED_REASON + "\","
                        + ssoRoleRecord("6e1f9a2b-3c4d-4e5f-8a6b-7c8d9e0f1a23") + ",\"bootstrapRequestSent\":true}",
                envelope("INFO", false) + """
                        "outcome":"replaced","reason":"a newer CreateCluster for a recorded ARN: the cluster was deleted \
                        and created again; the record now describes the new cluster",""" + ssoRoleRecord("evt-newer")
                        + """
                        ,"bootstrapRequestSent":true,"previousEventId":"6e1f9a2b-3c4d-4e5f-8a6b-7c8d9e0f1a23",\
                        "previousEventTime":"2026-11-28T08:21:55Z"}""",
                envelope("INFO", false) + """
                        "outcome":"stale","reason":"the registry holds a record from a newer CreateCluster for this ARN; \
                        this older event changed nothing",""" + ssoRoleRecord("evt-newer") + """
                        ,"staleEventId":"6e1f9a2b-3c4d-4e5f-8a6b-7c8d9e0f1a23","staleEventTime":"2026-11-28T08:21:55Z"}\
                        """);
    }

    private static final String RECORDED_REASON = "a new cluster; bootstrap PENDING: waiting for the cluster to become "
            + "ACTIVE; will bootstrap 1 admin principal(s)";

    /** The envelope of this test's lines, up to the outcome. */
    private String envelope(String level, boolean coldStart) {
        return "{\"timestamp\":\"2026-11-28T08:12:05.000Z\",\"level\":\"" + level + "\","
                + "\"function\":\"cluster-creation\",\"awsRequestId\":\"" + context.getAwsRequestId() + "\","
                + "\"coldStart\":" + coldStart + ",";
    }

    /** The registry record's fields in a log line, for the cluster of sso-role.json recorded from {@code eventId}. */
    private static String ssoRoleRecord(String eventId) {
        return """
                "eventId":"%s",\
                "clusterArn":"arn:aws:eks:eu-west-1:111122223333:cluster/search-prod",\
                "creatorPrincipalArn":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/\
                AWSReservedSSO_PlatformAdmin_3f1c2a9b7d6e5f40","creatorIdentityType":"AssumedRole",\
                "creatorSessionName":"jane.doe@example.com","creatorNote":null,"source":"AWS Internal",\
                "authenticationMode":"API_AND_CONFIG_MAP","bootstrapCreatorAdmin":true,"bootstrapStatus":"PENDING",\
                "bootstrapReason":"waiting for the cluster to become ACTIVE; will bootstrap 1 admin principal(s)"\
                """.formatted(eventId);
    }

    @Test
    void eventEksDoesNotConfirm_logsRejectedAtErrorWithTheCheckAsErrorType_andWhatEksSaid() throws IOException {
        ObjectNode replayed = EventFiles.json("cloudtrail/create-cluster/sso-role.json");
        ((ObjectNode) replayed.get("detail")).put("eventID", "evt-replayed").put("eventTime", "2026-11-28T07:00:00Z");

        JsonNode result = invoke(EventFiles.bytes(replayed));

        assertThat(logs).containsExactly(envelope("ERROR", true) + """
                "outcome":"rejected","reason":"not verified with EKS DescribeCluster: EKS created \
                arn:aws:eks:eu-west-1:111122223333:cluster/search-prod at 2026-11-28T08:21:55Z, PT1H21M55S from the \
                event's time 2026-11-28T07:00:00Z (tolerance PT5M): the event is about another cluster of the same \
                name (an earlier one, replayed) or was forged; nothing recorded, nothing queued for bootstrap",\
                "errorType":"ClusterCreatedAtMismatch","eventId":"evt-replayed",\
                "clusterArn":"arn:aws:eks:eu-west-1:111122223333:cluster/search-prod",\
                "eventTime":"2026-11-28T07:00:00Z","creatorPrincipalArn":"arn:aws:iam::111122223333:role/aws-reserved/\
                sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_3f1c2a9b7d6e5f40","creatorIdentityType":"AssumedRole",\
                "describedArn":"arn:aws:eks:eu-west-1:111122223333:cluster/search-prod",\
                "describedCreatedAt":"2026-11-28T08:21:55Z","describedStatus":"CREATING"}""");
        assertThat(result.get("outcome").asText()).isEqualTo("rejected");
        assertThat(registry.size()).isZero();
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void eksFailingTransiently_failsTheInvocationAsAnError_andTheRetryRecords() throws IOException {
        eks.failNext(1);

        assertThatThrownBy(() -> invoke(EventFiles.bytes("cloudtrail/create-cluster/sso-role.json")))
                .hasMessageContaining("throttling");
        assertThat(JSON.readTree(logs.get(0)).get("outcome").asText()).isEqualTo("error");
        assertThat(registry.size()).isZero();
        assertThat(queue.sent()).isEmpty();

        JsonNode retry = invoke(EventFiles.bytes("cloudtrail/create-cluster/sso-role.json"));

        assertThat(retry.get("outcome").asText()).isEqualTo("recorded");
        assertThat(queue.sent()).hasSize(1);
    }
}
