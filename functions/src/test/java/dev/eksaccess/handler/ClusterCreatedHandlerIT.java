package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.aws.CrossAccountEks;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.EksClusterLookup;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.DeploymentFiles;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.eks.EksAccessDeniedException;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.eks.Fault;
import dev.eksaccess.emulator.eks.ManualClock;
import dev.eksaccess.emulator.eks.RecordedCall;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.TestEksClients;
import dev.eksaccess.testsupport.UniqueNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The cluster-creation handler with the real DynamoDB, SQS and EKS adapters, against emulated AWS over HTTP: every
 * event is verified with DescribeCluster on the EKS emulator, through {@link CrossAccountEks} as deployed. The
 * emulator's clock stands at each event's time when it creates the event's cluster, so that {@code createdAt} is
 * what EKS would report.
 *
 * <p>The attacks on the function (forged and replayed CreateCluster events, and the redrive of FailedEvents, which
 * comes through the same entry point) are the tests named after them.
 */
@ExtendWith(EmulatedAws.class)
class ClusterCreatedHandlerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWN_ACCOUNT = "111122223333";
    private static final String ADMIN = "arn:aws:iam::111122223333:role/platform/EksAdmin";

    private static final Instant BEFORE_EVERY_SAMPLE = Instant.parse("2026-11-28T08:00:00Z");
    private static final List<String> MUTATING = List.of("CreateAccessEntry", "UpdateAccessEntry", "DeleteAccessEntry",
            "AssociateAccessPolicy", "DisassociateAccessPolicy", "UpdateClusterConfig");

    private final AwsBackend aws;
    private final ManualClock eksTime = new ManualClock(BEFORE_EVERY_SAMPLE);
    private final List<String> assumedRoles = new CopyOnWriteArrayList<>();
    private final List<CrossAccountEks.Session> sessions = new CopyOnWriteArrayList<>();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private EksEmulator emulator;
    private EksClient eksClient;
    private String table;
    private String queueUrl;

    ClusterCreatedHandlerIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTableQueueAndEks() {
        table = DynamoDbTables.createUnique(aws.dynamoDb(), "registry", Tables.REGISTRY);
        queueUrl = aws.sqs().createQueue(q -> q.queueName(UniqueNames.unique("grants"))).queueUrl();
        emulator = EksEmulator.start(EksEmulator.Options.defaults().withClock(eksTime));
        eksClient = TestEksClients.eks(emulator.endpoint(), Region.EU_WEST_1, RetryMode.STANDARD);
    }

    @AfterEach
    void stopEks() {
        eksClient.close();
        emulator.close();
    }

    private ClusterCreatedHandler handler(Map<String, String> extraSettings) {
        return handlerSendingTo(queueUrl, extraSettings);
    }

    private ClusterCreatedHandler handlerSendingTo(String grantQueueUrl, Map<String, String> extraSettings) {
        Map<String, String> variables = new HashMap<>(Map.of(
                "REGISTRY_TABLE", table,
                "GRANT_QUEUE_URL", grantQueueUrl,
                "DEPLOYMENT_FILE", DeploymentFiles.withAdmins(ADMIN),
                "CREATOR_ADMIN", "true"));
        variables.putAll(extraSettings);
        ClusterCreationConfig config = ClusterCreationConfig.from(new Environment(variables));
        Clock clock = Clock.systemUTC();
        // As deployed: the function's own credentials at home, its read-only role elsewhere; every account's
        // clusters are in the one emulator.
        EksClusterLookup clusters = new EksClusterLookup(home -> new CrossAccountEks(home,
                config.clusterReaderRoleName(), region -> eksClient,
                (roleArn, session) -> {
                    assumedRoles.add(roleArn);
                    sessions.add(session);
                    return StaticCredentialsProvider.create(AwsBasicCredentials.create("assumed", "assumed"));
                }));
        return new ClusterCreatedHandler(config, new DynamoClusterRegistry(aws.dynamoDb(), config.registryTable(), clock),
                new SqsBootstrapQueue(aws.sqs(), config.grantQueueUrl()), clusters, clock, logs::add);
    }

    /**
     * The cluster {@code event} describes, as EKS holds it when CloudTrail reports the call: created at the event's
     * time (the emulator's clock is moved there), in the event's account, region, mode and bootstrap flag.
     */
    private void clusterAsEksCreatesIt(JsonNode event) {
        Instant at = Instant.parse(event.at("/detail/eventTime").asText());
        eksTime.advance(Duration.between(eksTime.instant(), at));
        JsonNode accessConfig = event.at("/detail/responseElements/cluster/accessConfig");
        String[] arn = event.at("/detail/responseElements/cluster/arn").asText().split(":");
        emulator.createCluster(ClusterSpec.builder(arn[5].substring("cluster/".length())).accountId(arn[4])
                .region(arn[3]).authenticationMode(AuthenticationMode.valueOf(accessConfig.get("authenticationMode")
                        .asText()))
                .bootstrapClusterCreatorAdminPermissions(
                        accessConfig.get("bootstrapClusterCreatorAdminPermissions").asBoolean())
                .creatorPrincipalArn(null).build());
    }

    private JsonNode lastLogLine() throws IOException {
        return JSON.readTree(logs.getLast());
    }

    /** EKS was only asked, never changed. */
    private void assertNothingChangedInEks() {
        assertThat(emulator.calls()).extracting(RecordedCall::operation).doesNotContainAnyElementsOf(MUTATING);
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
            "other-account-and-region.json, PENDING, arn:aws:iam::444455556666:role/platform/eks-provisioner",
            "root.json,                     PENDING, arn:aws:iam::111122223333:root",
            "federated-user.json,           PENDING, arn:aws:sts::111122223333:federated-user/bob-cli",
            "identity-center-user.json,     PENDING, -",
            "aws-service.json,              PENDING, -"})
    void eachSample_isRecordedInDynamoDb_andOnlyPendingOnesPutABootstrapRequestOnTheQueue(
            String sample, BootstrapStatus expectedStatus, String expectedCreator) throws IOException {
        JsonNode event = EventFiles.json("cloudtrail/create-cluster/" + sample);
        String clusterArn = event.at("/detail/responseElements/cluster/arn").asText();
        clusterAsEksCreatesIt(event);

        JsonNode result = invoke(handler(Map.of("CROSS_ACCOUNT_ROLE_NAME", "eks-access-bootstrap")), sample(sample));

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
        assertThat(emulator.calls()).extracting(RecordedCall::operation).containsExactly("DescribeCluster");
    }

    @Test
    void duplicateEvent_leavesTheItemUnchanged_resendsTheSameRequestWhilePending_andNothingOnceDone() throws IOException {
        ClusterCreatedHandler handler = handler(Map.of());
        JsonNode event = EventFiles.json("cloudtrail/create-cluster/assumed-role-with-path.json");
        String clusterArn = event.at("/detail/responseElements/cluster/arn").asText();
        clusterAsEksCreatesIt(event);
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
        clusterAsEksCreatesIt(EventFiles.json("cloudtrail/create-cluster/config-map-mode.json"));
        invoke(handler(Map.of()), sample("config-map-mode.json"));

        Map<String, AttributeValue> item = item("arn:aws:eks:eu-west-1:111122223333:cluster/legacy-batch");
        assertThat(item.get("bootstrapStatus").s()).isEqualTo("BLOCKED");
        assertThat(item.get("bootstrapReason").s()).contains("CONFIG_MAP").contains("ALLOW_AUTH_MODE_SWITCH=true");
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void configMapCluster_withOptIn_isPendingTheSwitch_andSendsTheBootstrapRequest() throws IOException {
        clusterAsEksCreatesIt(EventFiles.json("cloudtrail/create-cluster/config-map-mode.json"));
        invoke(handler(Map.of("ALLOW_AUTH_MODE_SWITCH", "true")), sample("config-map-mode.json"));

        Map<String, AttributeValue> item = item("arn:aws:eks:eu-west-1:111122223333:cluster/legacy-batch");
        assertThat(item.get("bootstrapStatus").s()).isEqualTo("PENDING");
        assertThat(item.get("bootstrapReason").s()).contains("from CONFIG_MAP to API_AND_CONFIG_MAP (never API)");
        assertThat(drainQueue()).containsExactly(bootstrapBody(EventFiles.json("cloudtrail/create-cluster/config-map-mode.json")));
    }

    @Test
    void otherAccount_withCrossAccountRole_isVerifiedThroughThatRole_andPending() throws IOException {
        clusterAsEksCreatesIt(EventFiles.json("cloudtrail/create-cluster/other-account-and-region.json"));

        invoke(handler(Map.of("CROSS_ACCOUNT_ROLE_NAME", "eks-access-bootstrap")), sample("other-account-and-region.json"));

        // its own read-only role, never the grant processor's; the session names the function and the event
        assertThat(assumedRoles).containsExactly("arn:aws:iam::444455556666:role/eks-access-bootstrap-reader");
        assertThat(sessions).containsExactly(new CrossAccountEks.Session("eks-access.cluster-creation",
                EventFiles.json("cloudtrail/create-cluster/other-account-and-region.json").at("/detail/eventID")
                        .asText()));

        assertThat(item("arn:aws:eks:us-east-2:444455556666:cluster/ml-training").get("bootstrapStatus").s())
                .isEqualTo("PENDING");
        assertThat(drainQueue()).hasSize(1);
    }

    @Test
    void queueOutageAfterTheWrite_failsTheInvocation_andTheRetrySendsTheRequest() throws IOException {
        String missingQueue = queueUrl + "-deleted";
        JsonNode event = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        clusterAsEksCreatesIt(event);

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
        clusterAsEksCreatesIt(EventFiles.json("cloudtrail/create-cluster/iam-user.json"));

        assertThatThrownBy(() -> invoke(handler(Map.of()), sample("iam-user.json")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void otherAccount_withoutCrossAccountRole_cannotBeVerified_soTheInvocationFails_andNothingIsRecorded() {
        clusterAsEksCreatesIt(EventFiles.json("cloudtrail/create-cluster/other-account-and-region.json"));

        assertThatThrownBy(() -> invoke(handler(Map.of()), sample("other-account-and-region.json")))
                .isInstanceOf(CrossAccountNotConfiguredException.class)
                .hasMessageContaining("CROSS_ACCOUNT_ROLE_NAME is not set");
        assertThat(itemCount()).isZero();
        assertThat(drainQueue()).isEmpty();
        assertThat(emulator.calls()).isEmpty();
    }

    // ------------------------------------------------------------------ attacks: forged and replayed events

    @Test
    void forgedCreateCluster_forAClusterThatDoesNotExist_isRejected_andNothingIsBootstrapped() throws IOException {
        JsonNode result = invoke(handler(Map.of()), sample("iam-user.json"));

        assertThat(result.get("outcome").asText()).isEqualTo("rejected");
        assertThat(result.get("level").asText()).isEqualTo("ERROR");
        assertThat(result.get("errorType").asText()).isEqualTo("ClusterNotFound");
        assertThat(result.get("reason").asText()).contains("EKS has no cluster payments-dev");
        assertThat(lastLogLine()).isEqualTo(result);
        assertThat(itemCount()).isZero();
        assertThat(drainQueue()).isEmpty();
        assertThat(emulator.calls("DescribeCluster")).singleElement()
                .satisfies(call -> assertThat(call.status()).isEqualTo(404));
        assertNothingChangedInEks();
    }

    @Test
    void replayedCreateCluster_ofAnOlderClusterWithTheSameName_isRejected() throws IOException {
        // GIVEN payments-dev was created (the sample), deleted, and created again 40 minutes later by someone else,
        // and the new cluster's own event has not arrived yet
        ObjectNode original = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        clusterAsEksCreatesIt(original);
        emulator.deleteCluster("payments-dev");
        ObjectNode recreated = recreatedLater(original, Duration.ofMinutes(40));
        clusterAsEksCreatesIt(recreated);

        // WHEN the original event is replayed
        JsonNode result = invoke(handler(Map.of()), EventFiles.bytes(original));

        // THEN it is refused for its time: nothing recorded for the new cluster, nothing bootstrapped
        assertThat(result.get("outcome").asText()).isEqualTo("rejected");
        assertThat(result.get("level").asText()).isEqualTo("ERROR");
        assertThat(result.get("errorType").asText()).isEqualTo("ClusterCreatedAtMismatch");
        assertThat(result.get("describedCreatedAt").asText()).isEqualTo("2026-11-28T08:52:03Z");
        assertThat(itemCount()).isZero();
        assertThat(drainQueue()).isEmpty();
        assertNothingChangedInEks();

        // AND the new cluster's own event is recorded as usual
        assertThat(invoke(handler(Map.of()), EventFiles.bytes(recreated)).get("outcome").asText())
                .isEqualTo("recorded");
    }

    @Test
    void replayedCreateCluster_ofAnOlderClusterWithTheSameName_leavesTheNewClustersRecordAsItIs() throws IOException {
        ObjectNode original = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        clusterAsEksCreatesIt(original);
        invoke(handler(Map.of()), EventFiles.bytes(original));
        emulator.deleteCluster("payments-dev");
        ObjectNode recreated = recreatedLater(original, Duration.ofMinutes(40));
        clusterAsEksCreatesIt(recreated);
        assertThat(invoke(handler(Map.of()), EventFiles.bytes(recreated)).get("outcome").asText())
                .isEqualTo("replaced");
        Map<String, AttributeValue> current = item("arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev");
        drainQueue();

        JsonNode result = invoke(handler(Map.of()), EventFiles.bytes(original));

        assertThat(result.get("outcome").asText()).isEqualTo("rejected");
        assertThat(result.get("errorType").asText()).isEqualTo("ClusterCreatedAtMismatch");
        assertThat(item("arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev")).isEqualTo(current);
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void forgedCreateCluster_withAFutureEventTime_isRejected_soItCannotMakeTheRealEventStale() throws IOException {
        ObjectNode real = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        clusterAsEksCreatesIt(real);
        ObjectNode forged = real.deepCopy();
        ((ObjectNode) forged.get("detail")).put("eventID", "forged-0001").put("eventTime", "2030-01-01T00:00:00Z");

        JsonNode rejected = invoke(handler(Map.of()), EventFiles.bytes(forged));
        JsonNode recorded = invoke(handler(Map.of()), EventFiles.bytes(real));

        assertThat(rejected.get("outcome").asText()).isEqualTo("rejected");
        assertThat(rejected.get("errorType").asText()).isEqualTo("ClusterCreatedAtMismatch");
        assertThat(recorded.get("outcome").asText()).isEqualTo("recorded");
        assertThat(item("arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev").get("eventId").s())
                .isEqualTo(real.at("/detail/eventID").asText());
        assertThat(drainQueue()).containsExactly(bootstrapBody(real));
    }

    @Test
    void forgedCreateCluster_forAClusterWhoseArnEksDoesNotReport_isRejected() throws IOException {
        // GIVEN EKS answers for payments-dev with a cluster in another region than the event claims
        ObjectNode event = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        ObjectNode elsewhere = event.deepCopy();
        ((ObjectNode) elsewhere.at("/detail/responseElements/cluster"))
                .put("arn", "arn:aws:eks:us-east-1:111122223333:cluster/payments-dev");
        clusterAsEksCreatesIt(elsewhere);

        JsonNode result = invoke(handler(Map.of()), EventFiles.bytes(event));

        assertThat(result.get("outcome").asText()).isEqualTo("rejected");
        assertThat(result.get("errorType").asText()).isEqualTo("ClusterArnMismatch");
        assertThat(result.get("describedArn").asText())
                .isEqualTo("arn:aws:eks:us-east-1:111122223333:cluster/payments-dev");
        assertThat(itemCount()).isZero();
        assertThat(drainQueue()).isEmpty();
        assertNothingChangedInEks();
    }

    @Test
    void createClusterStillCreatingInEks_isVerified() throws IOException {
        eksClient.close();
        emulator.close();
        emulator = EksEmulator.start(EksEmulator.Options.defaults().withClock(eksTime)
                .withActivationDelay(Duration.ofMinutes(12)));
        eksClient = TestEksClients.eks(emulator.endpoint(), Region.EU_WEST_1);
        clusterAsEksCreatesIt(EventFiles.json("cloudtrail/create-cluster/iam-user.json"));

        JsonNode result = invoke(handler(Map.of()), sample("iam-user.json"));

        assertThat(emulator.clusterStatus("payments-dev").name()).isEqualTo("CREATING");
        assertThat(result.get("outcome").asText()).isEqualTo("recorded");
    }

    // ------------------------------------------------------------------ EKS failing, and the redrive

    @Test
    void describeClusterFailingTransiently_failsTheInvocation_soTheEventIsRetried_andNothingIsRecordedMeanwhile() {
        clusterAsEksCreatesIt(EventFiles.json("cloudtrail/create-cluster/iam-user.json"));
        // Every attempt of the SDK's standard retry is throttled.
        emulator.inject(Fault.throttling().onOperation("DescribeCluster").forNextCalls(3));

        assertThatThrownBy(() -> invoke(handler(Map.of()), sample("iam-user.json")))
                .isInstanceOf(EksTransientException.class);

        assertThat(logs).singleElement().satisfies(line -> assertThat(line)
                .contains("\"level\":\"ERROR\"", "\"outcome\":\"error\"", "\"errorType\":\"EksTransientException\"",
                        "\"retried\":true"));
        assertThat(itemCount()).isZero();
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void describeClusterAccessDenied_failsTheInvocation_soTheEventIsKeptForTheRedrive_andNothingIsRecorded() {
        clusterAsEksCreatesIt(EventFiles.json("cloudtrail/create-cluster/iam-user.json"));
        emulator.inject(Fault.accessDenied().onOperation("DescribeCluster").forNextCalls(1));

        assertThatThrownBy(() -> invoke(handler(Map.of()), sample("iam-user.json")))
                .isInstanceOf(EksAccessDeniedException.class);
        assertThat(itemCount()).isZero();
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void redrivenCreateCluster_fromFailedEvents_isVerifiedAgain_andRecordedWhenEksConfirmsIt() throws IOException {
        JsonNode event = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        clusterAsEksCreatesIt(event);
        firstDeliveryFailsOnEksServerErrors("iam-user.json");
        int describedBefore = emulator.calls("DescribeCluster").size();

        // The documented redrive replays the event to the function, through the same entry point.
        JsonNode redriven = invoke(handler(Map.of()), sample("iam-user.json"));

        assertThat(emulator.calls("DescribeCluster")).hasSize(describedBefore + 1).last()
                .satisfies(call -> assertThat(call.succeeded()).isTrue());
        assertThat(redriven.get("outcome").asText()).isEqualTo("recorded");
        assertThat(drainQueue()).containsExactly(bootstrapBody(event));
    }

    @Test
    void redrivenCreateCluster_ofAClusterDeletedAndCreatedAgainSince_isRejected() throws IOException {
        ObjectNode event = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        clusterAsEksCreatesIt(event);
        firstDeliveryFailsOnEksServerErrors("iam-user.json");
        emulator.deleteCluster("payments-dev");
        clusterAsEksCreatesIt(recreatedLater(event, Duration.ofHours(3)));

        JsonNode redriven = invoke(handler(Map.of()), sample("iam-user.json"));

        assertThat(redriven.get("outcome").asText()).isEqualTo("rejected");
        assertThat(redriven.get("errorType").asText()).isEqualTo("ClusterCreatedAtMismatch");
        assertThat(itemCount()).isZero();
        assertThat(drainQueue()).isEmpty();
    }

    /**
     * EKS answers 500 to every attempt of the SDK's standard retry: the invocation fails, Lambda retries it and parks
     * the event in FailedEvents, from where the documented redrive replays it.
     */
    private void firstDeliveryFailsOnEksServerErrors(String sample) {
        emulator.inject(Fault.serverError().onOperation("DescribeCluster").forNextCalls(3));
        assertThatThrownBy(() -> invoke(handler(Map.of()), sample(sample))).isInstanceOf(EksTransientException.class);
        assertThat(itemCount()).isZero();
    }

    /** {@code event}'s cluster created again {@code later}: another event id and time, the same ARN. */
    private static ObjectNode recreatedLater(ObjectNode event, Duration later) {
        ObjectNode again = event.deepCopy();
        Instant at = Instant.parse(event.at("/detail/eventTime").asText()).plus(later);
        ((ObjectNode) again.get("detail")).put("eventID", "recreated-" + later.toMinutes())
                .put("eventTime", at.toString());
        return again;
    }
}
