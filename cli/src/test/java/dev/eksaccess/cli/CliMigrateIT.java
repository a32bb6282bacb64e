package dev.eksaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.kubernetes.KubernetesApiServer;
import dev.eksaccess.testsupport.IamEmulator;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * {@code eks-access migrate --plan} end to end with the SDK: DescribeCluster on the EKS emulator, aws-auth over HTTPS
 * from the cluster's emulated Kubernetes API with a real EKS token, role paths from the IAM emulator.
 */
@Tag("integration")
class CliMigrateIT {

    private static final String ACCOUNT = "111122223333";
    private static final String READER = "arn:aws:iam::111122223333:role/eks-access-reader";

    private final EksEmulator eks = EksEmulator.start();
    private final IamEmulator iam = IamEmulator.start();
    private final KubernetesApiServer api;
    private final CliContext context;

    CliMigrateIT() {
        eks.createCluster(ClusterSpec.builder("legacy").build());
        api = eks.kubernetesApi("legacy");
        MigrateFixture.roleArns().forEach(iam::createRole);
        // One set of keys for IAM (which answers as the account of the key) and STS behind the API server.
        AwsCredentialsProvider keys = iam.credentials(ACCOUNT);
        AwsCredentials resolved = keys.resolveCredentials();
        api.registerCaller(resolved.accessKeyId(), resolved.secretAccessKey(), READER);
        api.allowRead(READER);
        context = new CliContext(CliHarness.CLOCK, Map.of(), CliHarness.NO_SQS, CliHarness.NO_DYNAMODB,
                region -> READER, ClusterConnector.sdk(keys, java.time.Clock.systemUTC(), region -> READER));
    }

    @AfterEach
    void stop() {
        iam.close();
        eks.close();
    }

    @Test
    void plansTheClustersAwsAuth_readOverHttps_withRolePathsFromIam() throws Exception {
        api.putAwsAuth(data("sso.yaml"));

        CliHarness.Run run = run("--json");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode plan = JsonOutput.read(run.out());
        assertThat(plan.get("resourceVersion").asText()).isEqualTo(api.resourceVersion());
        assertThat(plan.get("mappings").get(1).get("entry").get("principalArn").asText()).isEqualTo(
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/"
                        + "AWSReservedSSO_ReadOnly_fedcba9876543210");
        assertThat(plan.get("counts").get("MIGRATE").asInt()).isEqualTo(2);
        assertThat(iam.callCount("GetRole")).isEqualTo(2);
        assertThat(api.calls()).extracting(KubernetesApiServer.Call::status).containsExactly(200);
    }

    @Test
    void aClusterWithoutAwsAuth_saysSo() {
        CliHarness.Run run = run();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).contains("cluster legacy has no kube-system/aws-auth ConfigMap: nothing to migrate");
        assertThat(run.out()).startsWith("aws-auth of cluster legacy: 0 mappings");
    }

    @Test
    void aPrivateEndpoint_isExit4_namingTheNetworkRequirement() throws Exception {
        api.putAwsAuth(data("eksctl.yaml"));
        eks.makeEndpointPrivate("legacy");

        CliHarness.Run run = run();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("could not read aws-auth of cluster legacy: cannot reach the Kubernetes API")
                .contains("Its endpoint is private only: a cluster whose endpoint is private only is reachable only "
                        + "from inside its VPC");
    }

    @Test
    void anUnknownCluster_isExit4() {
        CliHarness.Run run = CliHarness.run(context, "migrate", "--cluster", "nope", "--plan", "--region",
                "us-east-1", "--eks-endpoint-url", eks.endpoint().toString(), "--iam-endpoint-url",
                iam.endpoint().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(run.err()).contains("EKS DescribeCluster nope failed");
    }

    private CliHarness.Run run(String... extra) {
        String[] base = {"migrate", "--cluster", "legacy", "--plan", "--region", "us-east-1",
                "--eks-endpoint-url", eks.endpoint().toString(), "--iam-endpoint-url", iam.endpoint().toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliHarness.run(context, args);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> data(String sample) throws Exception {
        Map<String, Object> document = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(MigrateFixture.sample(sample)));
        return new LinkedHashMap<>((Map<String, String>) document.get("data"));
    }
}
