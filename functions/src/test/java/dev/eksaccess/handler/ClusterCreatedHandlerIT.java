package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.UniqueNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** The cluster-creation handler with the real DynamoDB and SQS adapters, against emulated AWS over HTTP. */
@ExtendWith(EmulatedAws.class)
class ClusterCreatedHandlerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWN_ACCOUNT = "111122223333";
    private static final String ADMIN = "arn:aws:iam::111122223333:role/platform/EksAdmin";

    private final AwsBackend aws;
    private String table;
    private String queueUrl;

    ClusterCreatedHandlerIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTableAndQueue() {
        table = DynamoDbTables.createUnique(aws.dynamoDb(), "registry", Tables.REGISTRY);
        queueUrl = aws.sqs().createQueue(q -> q.queueName(UniqueNames.unique("grants"))).queueUrl();
    }

    private ClusterCreatedHandler handler(Map<String, String> extraSettings) {
        return handlerSendingTo(queueUrl, extraSettings);
    }

    private ClusterCreatedHandler handlerSendingTo(String grantQueueUrl, Map<String, String> extraSettings) {
        Map<String, String> variables = new HashMap<>(Map.of(
                "REGISTRY_TABLE", table,
                "GRANT_QUEUE_URL", grantQueueUrl,
                "ADMIN_PRINCIPALS", ADMIN,
                "CREATOR_ADMIN", "true"));
        variables.putAll(extraSettings);
        ClusterCreationConfig config = ClusterCreationConfig.from(new Environment(variables));
        Clock clock = Clock.systemUTC();
        return new ClusterCreatedHandler(config, new DynamoClusterRegistry(aws.dynamoDb(), config.registryTable(), clock),
                new SqsBootstrapQueue(aws.sqs(), config.grantQueueUrl()), clock, line -> { });
    }

    private static JsonNode invoke(ClusterCreatedHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), output, new FakeLambdaContext(OWN_ACCOUNT));
        return JSON.readTree(output.toByteArray());
    }

    private static byte[] sample(String name) {
        return EventFiles.bytes("cloudtrail/create-cluster/" + name);
    }

    /** The registry item as stored, read with the SDK rather than through the adapter under test. */
    private Map<String, AttributeValue> item(String clusterArn) {
        return aws.dynamoDb().getItem(get -> get.tableName(table).consistentRead(true)
                .key(Map.of(Tables.REGISTRY_PARTITION_KEY, AttributeValue.fromS(clusterArn)))).item();
    }

    private int itemCount() {
        return aws.dynamoDb().scan(scan -> scan.tableName(table)).count();
    }

    /** Receives and deletes what is on the grant queue. */
    private List<String> drainQueue() {
        List<Message> messages = aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(1)).messages();
        messages.forEach(m -> aws.sqs().deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        return messages.stream().map(Message::body).toList();
    }

    private static String bootstrapBody(JsonNode event) {
        return BootstrapRequest.forEvent(event.at("/detail/responseElements/cluster/arn").asText(),
                event.at("/detail/eventID").asText(), Instant.parse(event.at("/detail/eventTime").asText())).toJson();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "iam-user.json,                 PENDING, arn:aws:iam::111122223333:user/alice",
            "assumed-role-with-path.json,   PENDING, arn:aws:iam::111122223333:role/platform/teams/eks-provisioner",
            "sso-role.json,                 PENDING, arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_3f1c2a9b7d6e5f40",
            "sso-role-regional-path.json,   PENDING, arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_EksOperators_a1b2c3d4e5f60718",
            "cloudformation.json,           PENDING, arn:aws:iam::111122223333:role/cfn-exec/CloudFormationEksDeployRole",
            "config-map-mode.json,          BLOCKED, arn:aws:iam::111122223333:role/service/cluster-factory",
            "bootstrap-flag-false.json,     PENDING, arn:aws:iam::111122223333:role/ci/github-actions-deployer",
            "api-only-mode.json,            PENDING, arn:aws:iam::111122223333:role/platform/teams/eks-provisioner",
            "other-account-and-region.json, BLOCKED, arn:aws:iam::444455556666:role/platform/eks-provisioner",
            "root.json,                     PENDING, arn:aws:iam::111122223333:root",
            "federated-user.json,           PENDING, arn:aws:sts::111122223333:federated-user/bob-cli",
            "identity-center-user.json,     PENDING, -",
            "aws-service.json,              PENDING, -"})
    void eachSample_isRecordedInDynamoDb_andOnlyPendingOnesPutABootstrapRequestOnTheQueue(
            String sample, BootstrapStatus expectedStatus, String expectedCreator) throws IOException {
        JsonNode event = EventFiles.json("cloudtrail/create-cluster/" + sample);
        String clusterArn = event.at("/detail/responseElements/cluster/arn").asText();

        JsonNode result = invoke(handler(Map.of()), sample(sample));

        Map<String, AttributeValue> item = item(clusterArn);
        assertThat(result.get("outcome").asText()).isEqualTo("recorded");
        assertThat(item.get("bootstrapStatus").s()).isEqualTo(expectedStatus.name());
        assertThat(item.get("eventId").s()).isEqualTo(event.at("/detail/eventID").asText());
        assertThat(item.get("eventTime").s()).isEqualTo(event.at("/detail/eventTime").asText());
        assertThat(item.get("creatorIdentityType").s()).isEqualTo(event.at("/detail/userIdentity/type").asText());
        assertThat(item.get("authenticationMode").s())
                .isEqualTo(event.at("/detail/responseElements/cluster/accessConfig/authenticationMode").asText());
        assertThat(item.get("bootstrapCreatorAdmin").bool()).isEqualTo(
                event.at("/detail/responseElements/cluster/accessConfig/bootstrapClusterCreatorAdminPermissions").asBoolean());
        assertThat(item.get("bootstrapReason").s()).isNotBlank();
        if (expectedCreator == null) {
            assertThat(item).doesNotContainKey("creatorPrincipalArn");
        } else {
            assertThat(item.get("creatorPrincipalArn").s()).isEqualTo(expectedCreator);
        }
        assertThat(drainQueue()).isEqualTo(expectedStatus == BootstrapStatus.PENDING
                ? List.of(bootstrapBody(event)) : List.of());
    }

    @Test
    void duplicateEvent_leavesTheItemUnchanged_resendsTheSameRequestWhilePending_andNothingOnceDone() throws IOException {
        ClusterCreatedHandler handler = handler(Map.of());
        JsonNode event = EventFiles.json("cloudtrail/create-cluster/assumed-role-with-path.json");
        String clusterArn = event.at("/detail/responseElements/cluster/arn").asText();
        invoke(handler, sample("assumed-role-with-path.json"));
        Map<String, AttributeValue> first = item(clusterArn);
        assertThat(drainQueue()).containsExactly(bootstrapBody(event));

        JsonNode second = invoke(handler, sample("assumed-role-with-path.json"));

        assertThat(second.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(item(clusterArn)).isEqualTo(first);
        assertThat(drainQueue()).containsExactly(bootstrapBody(event));

        new DynamoClusterRegistry(aws.dynamoDb(), table, Clock.systemUTC())
                .updateBootstrap(clusterArn, BootstrapStatus.DONE, "1 admin principal(s) bootstrapped");
        Map<String, AttributeValue> done = item(clusterArn);

        JsonNode third = invoke(handler, sample("assumed-role-with-path.json"));

        assertThat(third.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(third.get("bootstrapRequestSent").asBoolean()).isFalse();
        assertThat(item(clusterArn)).isEqualTo(done);
        assertThat(itemCount()).isEqualTo(1);
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void failedCall_recordsNothing_andSendsNothing() throws IOException {
        JsonNode result = invoke(handler(Map.of()), sample("failed-call-error-code.json"));

        assertThat(result.get("outcome").asText()).isEqualTo("ignored");
        assertThat(itemCount()).isZero();
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void configMapCluster_withoutOptIn_isBlockedNamingTheSetting_andSendsNothing() throws IOException {
        invoke(handler(Map.of()), sample("config-map-mode.json"));

        Map<String, AttributeValue> item = item("arn:aws:eks:eu-west-1:111122223333:cluster/legacy-batch");
        assertThat(item.get("bootstrapStatus").s()).isEqualTo("BLOCKED");
        assertThat(item.get("bootstrapReason").s()).contains("CONFIG_MAP").contains("ALLOW_AUTH_MODE_SWITCH=true");
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void configMapCluster_withOptIn_isPendingTheSwitch_andSendsTheBootstrapRequest() throws IOException {
        invoke(handler(Map.of("ALLOW_AUTH_MODE_SWITCH", "true")), sample("config-map-mode.json"));

        Map<String, AttributeValue> item = item("arn:aws:eks:eu-west-1:111122223333:cluster/legacy-batch");
        assertThat(item.get("bootstrapStatus").s()).isEqualTo("PENDING");
        assertThat(item.get("bootstrapReason").s()).contains("from CONFIG_MAP to API_AND_CONFIG_MAP (never API)");
        assertThat(drainQueue()).containsExactly(bootstrapBody(EventFiles.json("cloudtrail/create-cluster/config-map-mode.json")));
    }

    @Test
    void otherAccount_withCrossAccountRole_isPending() throws IOException {
        invoke(handler(Map.of("CROSS_ACCOUNT_ROLE_NAME", "eks-access-bootstrap")), sample("other-account-and-region.json"));

        assertThat(item("arn:aws:eks:us-east-2:444455556666:cluster/ml-training").get("bootstrapStatus").s())
                .isEqualTo("PENDING");
        assertThat(drainQueue()).hasSize(1);
    }

    @Test
    void queueOutageAfterTheWrite_failsTheInvocation_andTheRetrySendsTheRequest() throws IOException {
        String missingQueue = queueUrl + "-deleted";
        JsonNode event = EventFiles.json("cloudtrail/create-cluster/iam-user.json");

        assertThatThrownBy(() -> invoke(handlerSendingTo(missingQueue, Map.of()), sample("iam-user.json")))
                .isInstanceOf(QueueDoesNotExistException.class);
        assertThat(item("arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev").get("bootstrapStatus").s())
                .isEqualTo("PENDING");

        JsonNode retry = invoke(handler(Map.of()), sample("iam-user.json"));

        assertThat(retry.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(retry.get("bootstrapRequestSent").asBoolean()).isTrue();
        assertThat(drainQueue()).containsExactly(bootstrapBody(event));
    }

    @Test
    void missingRegistryTable_failsTheInvocation_ratherThanBeingTakenForANewCluster() {
        table = UniqueNames.unique("missing-registry");

        assertThatThrownBy(() -> invoke(handler(Map.of()), sample("iam-user.json")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(drainQueue()).isEmpty();
    }
}
