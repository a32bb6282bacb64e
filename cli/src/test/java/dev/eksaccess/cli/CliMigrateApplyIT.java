package dev.eksaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.kubernetes.KubernetesApiServer;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.IamEmulator;
import dev.eksaccess.testsupport.TestEksClients;
import dev.eksaccess.testsupport.UniqueNames;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessScopeType;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code eks-access migrate --apply} and {@code --compare} with the SDK: aws-auth from the emulated Kubernetes API,
 * migrate requests to SQS (ElasticMQ), access entries read from the EKS emulator.
 */
@Tag("integration")
@ExtendWith(EmulatedAws.class)
class CliMigrateApplyIT {

    private static final String ACCOUNT = "111122223333";
    private static final String READER = "arn:aws:iam::111122223333:role/eks-access-reader";
    private static final String ADMIN = "arn:aws:iam::111122223333:role/platform-admin";
    private static final String NODE =
            "arn:aws:iam::111122223333:role/eksctl-demo-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F";

    private final AwsBackend aws;
    private final EksEmulator eks = EksEmulator.start();
    private final IamEmulator iam = IamEmulator.start();
    private final String queueUrl;
    private final CliContext context;

    CliMigrateApplyIT(AwsBackend aws) throws Exception {
        this.aws = aws;
        eks.createCluster(ClusterSpec.builder("legacy").accountId(ACCOUNT).region("us-east-1")
                .authenticationMode(AuthenticationMode.CONFIG_MAP).build());
        KubernetesApiServer api = eks.kubernetesApi("legacy");
        MigrateFixture.roleArns().forEach(iam::createRole);
        AwsCredentialsProvider keys = iam.credentials(ACCOUNT);
        AwsCredentials resolved = keys.resolveCredentials();
        api.registerCaller(resolved.accessKeyId(), resolved.secretAccessKey(), READER);
        api.allowRead(READER);
        api.putAwsAuth(data("eksctl.yaml"));
        queueUrl = aws.sqs().createQueue(r -> r.queueName(UniqueNames.unique("cli-migrate"))).queueUrl();
        CliHarness.exposeToDefaultChain(aws);
        context = new CliContext(CliHarness.CLOCK, Map.of(CliContext.QUEUE_URL_VARIABLE, queueUrl),
                SqsConnector.defaultChain(), CliHarness.NO_DYNAMODB, region -> READER,
                ClusterConnector.sdk(keys, Clock.systemUTC(), region -> READER));
    }

    @AfterEach
    void stop() {
        CliHarness.forgetDefaultChainCredentials();
        iam.close();
        eks.close();
    }

    @Test
    void apply_sendsOneMigrateRequestPerMigratingMapping_printsTheChecklist_andAgainTheSameIds() {
        CliHarness.Run run = run("--apply");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Sending 3 migrate requests for cluster "
                        + "arn:aws:eks:us-east-1:111122223333:cluster/legacy to " + queueUrl)
                .contains("EC2_LINUX  " + NODE + "  from mapRoles[0] (line 1)")
                .contains("STANDARD  " + ADMIN + "  AmazonEKSClusterAdminPolicy (cluster)  from mapRoles[1] (line 6)")
                .contains("Before moving legacy to authentication mode API (by hand; eks-access never does")
                .contains("aws eks update-cluster-config --name legacy --access-config authenticationMode=API")
                .contains("Once the grant processor has applied them: eks-access migrate --cluster legacy --compare");
        List<JsonNode> sent = receiveAll();
        assertThat(sent).extracting(m -> m.get("action").asText()).containsOnly("migrate");
        assertThat(sent).extracting(m -> m.get("entryType").asText())
                .containsExactlyInAnyOrder("EC2_LINUX", "STANDARD", "STANDARD");
        assertThat(eks.cluster("legacy").accessEntries()).as("the CLI changes nothing itself").isEmpty();

        run("--apply");
        assertThat(receiveAll()).extracting(m -> m.get("requestId").asText())
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(m -> m.get("requestId").asText()).toList());
    }

    @Test
    void compare_saysWhatAwsAuthGrantsThatEntriesDoNot() throws Exception {
        eks.setAuthenticationMode("legacy", AuthenticationMode.API_AND_CONFIG_MAP);
        try (EksClient client = TestEksClients.eks(eks.endpoint(), Region.US_EAST_1)) {
            client.createAccessEntry(r -> r.clusterName("legacy").principalArn(NODE).type("EC2_LINUX"));
            client.createAccessEntry(r -> r.clusterName("legacy").principalArn(ADMIN).username("admin"));
            client.associateAccessPolicy(r -> r.clusterName("legacy").principalArn(ADMIN)
                    .policyArn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")
                    .accessScope(a -> a.type(AccessScopeType.CLUSTER)));
        }

        CliHarness.Run run = run("--compare", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode result = JsonOutput.read(run.out());
        assertThat(result.get("counts").get("EQUIVALENT").asInt()).isEqualTo(2);
        assertThat(result.get("counts").get("MISSING").asInt()).isEqualTo(1);
        assertThat(result.get("mappings").get(2).get("gap").asText())
                .isEqualTo("no access entry for arn:aws:iam::111122223333:user/alice");
        assertThat(result.get("migratableCovered").asBoolean()).isFalse();
    }

    private List<JsonNode> receiveAll() {
        List<JsonNode> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (Message message : messages) {
                bodies.add(JsonOutput.read(message.body()));
                aws.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }

    private CliHarness.Run run(String... extra) {
        List<String> args = new ArrayList<>(List.of("migrate", "--cluster", "legacy", "--region", "us-east-1",
                "--eks-endpoint-url", eks.endpoint().toString(), "--iam-endpoint-url", iam.endpoint().toString(),
                "--sqs-endpoint-url", aws.sqsEndpoint().toString()));
        args.addAll(List.of(extra));
        return CliHarness.run(context, args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> data(String sample) throws Exception {
        Map<String, Object> document = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(MigrateFixture.sample(sample)));
        return new LinkedHashMap<>((Map<String, String>) document.get("data"));
    }
}
