package dev.eksaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eksaccess.aws.CrossAccountEks;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.SdkAdoptionSources;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.config.AdoptionConfig;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.handler.AdoptionHandler;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.CloudTrailEmulator;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.LambdaInvokeEmulator;
import dev.eksaccess.testsupport.TestEksClients;
import dev.eksaccess.testsupport.UniqueNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code eks-access adopt} end to end: the CLI invokes the adoption function with the SDK's Lambda client over HTTP
 * ({@link LambdaInvokeEmulator}), which runs the real {@link AdoptionHandler} against the EKS emulator (ListClusters,
 * DescribeCluster), emulated CloudTrail, the registry in emulated DynamoDB and the grant queue in emulated SQS.
 */
@Tag("integration")
@ExtendWith(EmulatedAws.class)
class CliAdoptIT {

    private static final String ACCOUNT = "111122223333";
    private static final String REGION = "eu-west-1";
    private static final String FUNCTION = "eks-access-Adoption";
    private static final String ADMIN = "arn:aws:iam::111122223333:role/platform-admin";
    private static final String LEGACY = "arn:aws:eks:eu-west-1:111122223333:cluster/legacy";

    private final AwsBackend aws;
    private final Clock clock = Clock.systemUTC();
    private final List<String> logs = new ArrayList<>();
    private EksEmulator eks;
    private CloudTrailEmulator cloudTrail;
    private LambdaInvokeEmulator lambda;
    private String registryTable;
    private String queueUrl;
    private CliContext context;

    CliAdoptIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void deploy() throws IOException {
        eks = EksEmulator.start();
        cloudTrail = CloudTrailEmulator.start(clock);
        lambda = LambdaInvokeEmulator.start(REGION, ACCOUNT, logs::add);
        registryTable = DynamoDbTables.createUnique(aws.dynamoDb(), "registry", Tables.REGISTRY);
        queueUrl = aws.sqs().createQueue(r -> r.queueName(UniqueNames.unique("adopt-grants"))).queueUrl();
        lambda.register(FUNCTION, handler(registryTable));
        context = new CliContext(CliHarness.CLOCK, Map.of(), CliHarness.NO_SQS, CliHarness.NO_DYNAMODB,
                CliHarness.NO_STS, ClusterConnector.NONE, LambdaConnector.withCredentials(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("operator", "operator"))));
        // A cluster made three hours ago, before the deployment: no CreateCluster event reached the system.
        eks.createCluster(ClusterSpec.builder("legacy").accountId(ACCOUNT).region(REGION)
                .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                .createdAt(Instant.now().minus(Duration.ofHours(3))).build());
    }

    @AfterEach
    void stop() {
        lambda.close();
        cloudTrail.close();
        eks.close();
    }

    /** The adoption function as the stack deploys it, with the registry table {@code table}. */
    private AdoptionHandler handler(String table) throws IOException {
        Path deployment = Files.createTempFile("eks-access-deployment", ".json");
        deployment.toFile().deleteOnExit();
        Files.writeString(deployment, "{\"version\":1,\"adminPrincipals\":[{\"principalArn\":\"" + ADMIN
                + "\",\"policy\":\"AmazonEKSClusterAdminPolicy\"}],\"allowedPolicies\":[\"AmazonEKSViewPolicy\"],"
                + "\"memberAccounts\":[]}");
        AdoptionConfig config = AdoptionConfig.from(new Environment(Map.of(
                Setting.REGISTRY_TABLE.variable(), table,
                Setting.GRANT_QUEUE_URL.variable(), queueUrl,
                Setting.DEPLOYMENT_FILE.variable(), deployment.toString())), REGION);
        SdkAdoptionSources sources = new SdkAdoptionSources(
                region -> eksClient(region),
                region -> CloudTrailClient.builder().endpointOverride(cloudTrail.endpoint()).region(region)
                        .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(cloudTrail.credentials(ACCOUNT))
                        .build(),
                account -> Optional.empty());
        CrossAccountEks describe = new CrossAccountEks(ACCOUNT, Optional.empty(), this::eksClient,
                (roleArn, session) -> {
                    throw new AssertionError("no member account here: " + roleArn);
                });
        return new AdoptionHandler(config, new DynamoClusterRegistry(aws.dynamoDb(), table, clock),
                new SqsBootstrapQueue(aws.sqs(), queueUrl), sources, sources, describe, clock, logs::add);
    }

    private EksClient eksClient(Region region) {
        return TestEksClients.ofAccount(eks.endpoint(), region, ACCOUNT);
    }

    private CliHarness.Run adopt(String... extra) {
        List<String> args = new ArrayList<>(List.of("adopt", "--function-name", lambda.functionArn(FUNCTION),
                "--lambda-endpoint-url", lambda.endpoint().toString()));
        args.addAll(List.of(extra));
        return CliHarness.run(context, args.toArray(String[]::new));
    }

    private List<Message> drainQueue() {
        List<Message> all = new ArrayList<>();
        List<Message> batch;
        do {
            batch = aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            all.addAll(batch);
            batch.forEach(m -> aws.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        } while (!batch.isEmpty());
        return all;
    }

    private boolean registered(String clusterArn) {
        return aws.dynamoDb().getItem(r -> r.tableName(registryTable).consistentRead(true).key(Map.of(
                "clusterArn", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(clusterArn))))
                .hasItem();
    }

    @Test
    void plan_thenAdopt_thenAgain_throughTheFunction() {
        CliHarness.Run plan = adopt("--plan");

        assertThat(plan.err()).isEmpty();
        assertThat(plan.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(plan.out()).startsWith("Adoption plan (nothing registered or sent): 1 account/region(s), "
                + "1 cluster(s)").contains("111122223333 eu-west-1: 1 cluster(s)")
                .containsPattern("would-adopt +" + LEGACY + " +\\(unknown\\) +PENDING +would register it and send its "
                        + "admin bootstrap");
        assertThat(lambda.calls()).extracting(LambdaInvokeEmulator.Call::payload).containsExactly("{\"plan\":true}");
        assertThat(registered(LEGACY)).isFalse();
        assertThat(drainQueue()).isEmpty();

        CliHarness.Run adopted = adopt("--json");

        assertThat(adopted.exitCode()).as(adopted.err()).isEqualTo(ExitCodes.OK);
        JsonNode report = JsonOutput.read(adopted.out());
        assertThat(report.get("plan").asBoolean()).isFalse();
        JsonNode cluster = report.get("clusters").get(0);
        assertThat(cluster.get("action").asText()).isEqualTo("adopted");
        assertThat(cluster.get("clusterArn").asText()).isEqualTo(LEGACY);
        assertThat(cluster.get("bootstrapStatus").asText()).isEqualTo("PENDING");
        assertThat(cluster.get("source").asText()).startsWith("eks-access adopt");
        String eventId = cluster.get("eventId").asText();
        assertThat(registered(LEGACY)).isTrue();
        List<Message> sent = drainQueue();
        assertThat(sent).hasSize(1);
        JsonNode bootstrap = JsonOutput.read(sent.get(0).body());
        assertThat(bootstrap.get("requestId").asText()).isEqualTo("bootstrap:" + eventId);
        assertThat(bootstrap.get("requestedBy").asText()).isEqualTo("adoption");
        assertThat(bootstrap.get("clusterArn").asText()).isEqualTo(LEGACY);

        // Again: nothing registered anew; the still-PENDING bootstrap goes again under the same request id.
        CliHarness.Run again = adopt("--json");

        assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode second = JsonOutput.read(again.out()).get("clusters").get(0);
        assertThat(second.get("action").asText()).isEqualTo("bootstrap-sent-again");
        assertThat(second.get("eventId").asText()).isEqualTo(eventId);
        assertThat(drainQueue()).extracting(m -> JsonOutput.read(m.body()).get("requestId").asText())
                .containsExactly("bootstrap:" + eventId);
        assertThat(lambda.calls()).extracting(LambdaInvokeEmulator.Call::payload)
                .containsExactly("{\"plan\":true}", "{}", "{}");
    }

    @Test
    void aFailedCluster_makesTheRunIncomplete_exit4_withTheReportPrinted() throws IOException {
        lambda.register(FUNCTION, handler("no-such-registry-table"));

        CliHarness.Run run = adopt();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(run.out()).contains("failed").contains(LEGACY);
        assertThat(run.err()).contains("the run was incomplete");
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void anUnknownFunction_isExit4_namingIt() {
        CliHarness.Run run = CliHarness.run(context, "adopt", "--plan", "--function-name", "nope", "--region", REGION,
                "--lambda-endpoint-url", lambda.endpoint().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(run.err()).contains("could not invoke the adoption function nope").contains("Function not found");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aFunctionError_isExit4_withItsMessage() {
        lambda.register(FUNCTION, (input, output, ctx) -> {
            throw new IllegalStateException("EKS_ACCESS_REGISTRY_TABLE is not set");
        });

        CliHarness.Run run = adopt("--plan");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(run.err()).contains("the adoption function " + lambda.functionArn(FUNCTION) + " failed (Unhandled)")
                .contains("EKS_ACCESS_REGISTRY_TABLE is not set");
    }

    /**
     * {@code --account} names the accounts to look in; the function refuses one the deployment does not manage (this
     * one lists no member accounts), before looking anywhere: exit 3, nothing registered or sent.
     */
    @Test
    void anAccountThatIsNotAMember_isRefusedByTheFunction_exit3_nothingLookedAt() {
        CliHarness.Run run = adopt("--account", "444455556666");

        assertThat(lambda.calls()).extracting(LambdaInvokeEmulator.Call::payload)
                .containsExactly("{\"accounts\":[\"444455556666\"]}");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
        assertThat(run.out()).contains("REFUSED: account 444455556666 is not a member account of this deployment");
        assertThat(run.err()).contains("the adoption function refused the request, nothing was looked at");
        assertThat(registered(LEGACY)).isFalse();
        assertThat(drainQueue()).isEmpty();
    }

    @Test
    void theHubNamedAsAnAccount_isLookedInAsUsual_andAMalformedOneIsAUsageError() {
        CliHarness.Run hub = adopt("--plan", "--account", ACCOUNT);

        assertThat(hub.exitCode()).as(hub.err()).isEqualTo(ExitCodes.OK);
        assertThat(hub.out()).contains(ACCOUNT + " eu-west-1: 1 cluster(s)");
        assertThat(lambda.calls()).extracting(LambdaInvokeEmulator.Call::payload)
                .containsExactly("{\"plan\":true,\"accounts\":[\"" + ACCOUNT + "\"]}");

        CliHarness.Run malformed = adopt("--account", "4444");

        assertThat(malformed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(malformed.err()).contains("--account 4444 is not a 12-digit AWS account id");
        assertThat(lambda.calls()).hasSize(1);
    }
}
