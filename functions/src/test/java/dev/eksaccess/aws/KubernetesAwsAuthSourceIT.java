package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthParser;
import dev.eksaccess.awsauth.AwsAuthSamplesTest;
import dev.eksaccess.awsauth.AwsAuthUnavailableException;
import dev.eksaccess.awsauth.BrokenAwsAuthException;
import dev.eksaccess.awsauth.MigrationPlanner;
import dev.eksaccess.awsauth.SampleRoles;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.kubernetes.KubernetesApiServer;
import dev.eksaccess.testsupport.IamEmulator;
import dev.eksaccess.testsupport.SdkClients;
import dev.eksaccess.testsupport.TestEksClients;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * aws-auth read through an emulated cluster's Kubernetes API over HTTPS, with the production adapter: the EKS SDK
 * client for DescribeCluster (endpoint and CA), {@link EksTokens} for the bearer token, the JDK HttpClient trusting
 * only the cluster's CA, and IAM GetRole (emulated) for the role paths of the plan.
 */
class KubernetesAwsAuthSourceIT {

    private static final String CLUSTER = "legacy";
    private static final String REGION = "us-east-1";
    private static final String READER = "arn:aws:iam::111122223333:role/eks-access-reader";
    private static final AwsBasicCredentials READER_KEYS = AwsBasicCredentials.create("AKIDREADER0000000001",
            "reader-secret");

    private final EksEmulator eks = EksEmulator.start();
    private final IamEmulator iam = IamEmulator.start();
    private final Map<String, IamClient> iamClients = new ConcurrentHashMap<>();
    private final EksClient eksClient = TestEksClients.eks(eks.endpoint(), Region.of(REGION));
    private final KubernetesApiServer api;

    KubernetesAwsAuthSourceIT() {
        eks.createCluster(ClusterSpec.builder(CLUSTER).build());
        api = eks.kubernetesApi(CLUSTER);
        api.registerCaller(READER_KEYS.accessKeyId(), READER_KEYS.secretAccessKey(), READER);
        api.allowRead(READER);
        SampleRoles.arns().forEach(iam::createRole);
    }

    @AfterEach
    void stop() {
        eksClient.close();
        iamClients.values().forEach(IamClient::close);
        iam.close();
        eks.close();
    }

    @Test
    void everySample_readThroughTheApi_plansAsPinnedFromItsFile() throws Exception {
        MigrationPlanner overHttp = new MigrationPlanner(new IamRoleDirectory(this::iamOf));
        MigrationPlanner fromFile = new MigrationPlanner(SampleRoles.load());
        for (String sample : SampleRoles.readableSamples()) {
            api.putAwsAuth(SampleRoles.sampleData(sample));

            AwsAuth read = source(Clock.systemUTC()).read(CLUSTER).orElseThrow();

            assertThat(read.resourceVersion()).as(sample).contains(api.resourceVersion());
            assertThat(AwsAuthSamplesTest.lines(overHttp.plan(read))).as(sample).isEqualTo(
                    AwsAuthSamplesTest.lines(fromFile.plan(AwsAuthParser.parseConfigMap(SampleRoles.sample(sample)))));
        }
        assertThat(api.calls()).allSatisfy(call -> assertThat(call.status()).isEqualTo(200));
    }

    @Test
    void aClusterWithoutAwsAuth_hasNothingToMigrate() throws Exception {
        assertThat(source(Clock.systemUTC()).read(CLUSTER)).isEmpty();
        assertThat(api.calls()).extracting(KubernetesApiServer.Call::status).containsExactly(404);
    }

    @Test
    void aBrokenAwsAuth_isReportedWithItsPlace() {
        api.putAwsAuth(SampleRoles.sampleData("broken-typo.yaml"));

        assertThatThrownBy(() -> source(Clock.systemUTC()).read(CLUSTER))
                .isInstanceOf(BrokenAwsAuthException.class)
                .hasMessageContaining("mapRoles[0].grups, line 3");
    }

    @Test
    void aTokenMadeForAnotherCluster_isRefused() {
        api.putAwsAuth(SampleRoles.sampleData("eksctl.yaml"));
        KubernetesAwsAuthSource other = new KubernetesAwsAuthSource(describing(), (cluster, access) ->
                EksTokens.token(READER_KEYS, REGION, "another-cluster", Clock.systemUTC()), Duration.ofSeconds(5));

        assertThatThrownBy(() -> other.read(CLUSTER))
                .isInstanceOf(AwsAuthUnavailableException.class)
                .hasMessageContaining("refused the token (401 Unauthorized)");
        assertThat(lastRefusal()).contains("SignatureDoesNotMatch");
    }

    @Test
    void aTokenOlderThanFifteenMinutes_isRefused_oneJustYoungerIsNot() throws Exception {
        api.putAwsAuth(SampleRoles.sampleData("eksctl.yaml"));
        Instant now = Instant.now();

        assertThatThrownBy(() -> source(Clock.fixed(now.minus(Duration.ofMinutes(16)), ZoneOffset.UTC)).read(CLUSTER))
                .isInstanceOf(AwsAuthUnavailableException.class).hasMessageContaining("401");
        assertThat(lastRefusal()).contains("X-Amz-Date parameter is expired");
        assertThat(source(Clock.fixed(now.minus(Duration.ofMinutes(14)), ZoneOffset.UTC)).read(CLUSTER)).isPresent();
    }

    @Test
    void aTokenWithoutTheSignedClusterHeader_orForAnotherAction_orOfAnUnknownKey_isRefused() {
        api.putAwsAuth(SampleRoles.sampleData("eksctl.yaml"));

        assertRefused(url -> url.replace("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id", "X-Amz-SignedHeaders=host"),
                "client did not sign the x-k8s-aws-id header");
        assertRefused(url -> url.replace("Action=GetCallerIdentity", "Action=AssumeRole"),
                "unexpected action parameter");
        assertRefused(url -> url + "&X-Amz-Extra=1", "non-whitelisted query parameter");
        assertRefused(url -> url.replace(READER_KEYS.accessKeyId(), "AKIDUNKNOWN000000000"), "InvalidClientTokenId");
        assertRefused(url -> url.replaceFirst("X-Amz-Signature=[0-9a-f]{4}", "X-Amz-Signature=0000"),
                "SignatureDoesNotMatch");
    }

    @Test
    void aCallerNotAllowedToRead_getsAClearForbidden() {
        api.putAwsAuth(SampleRoles.sampleData("eksctl.yaml"));
        AwsBasicCredentials stranger = AwsBasicCredentials.create("AKIDSTRANGER00000001", "stranger-secret");
        api.registerCaller(stranger.accessKeyId(), stranger.secretAccessKey(),
                "arn:aws:iam::111122223333:role/stranger");
        KubernetesAwsAuthSource source = new KubernetesAwsAuthSource(describing(), (cluster, access) ->
                EksTokens.token(stranger, REGION, cluster, Clock.systemUTC()), Duration.ofSeconds(5));

        assertThatThrownBy(() -> source.read(CLUSTER))
                .isInstanceOf(AwsAuthUnavailableException.class)
                .hasMessageContaining("may not (403 configmaps \"aws-auth\" is forbidden: User "
                        + "\"arn:aws:iam::111122223333:role/stranger\"")
                .hasMessageContaining("AmazonEKSViewPolicy scoped to the namespace kube-system");
    }

    @Test
    void aPrivateEndpoint_isAClearNetworkError() {
        api.putAwsAuth(SampleRoles.sampleData("eksctl.yaml"));
        eks.makeEndpointPrivate(CLUSTER);

        assertThatThrownBy(() -> source(Clock.systemUTC()).read(CLUSTER))
                .isInstanceOf(AwsAuthUnavailableException.class)
                .hasMessageContaining("cannot reach the Kubernetes API of cluster legacy at " + api.endpoint())
                .hasMessageContaining("Its endpoint is private only: " + KubernetesAwsAuthSource.NETWORK_REQUIREMENT);
    }

    @Test
    void aServerWithoutACertificateOfTheClustersCa_isNeverSentTheToken() throws Exception {
        api.putAwsAuth(SampleRoles.sampleData("eksctl.yaml"));
        String otherCa = Base64.getEncoder().encodeToString(someOtherCaPem().getBytes(StandardCharsets.US_ASCII));
        KubernetesAwsAuthSource source = new KubernetesAwsAuthSource(cluster -> new KubernetesAwsAuthSource.ApiAccess(
                Optional.of(api.endpoint()), Optional.of(otherCa), true),
                (cluster, access) -> EksTokens.token(READER_KEYS, REGION, cluster, Clock.systemUTC()),
                Duration.ofSeconds(5));

        assertThatThrownBy(() -> source.read(CLUSTER))
                .isInstanceOf(AwsAuthUnavailableException.class)
                .hasMessageContaining("did not present a certificate of the cluster's CA");
        assertThat(api.calls()).isEmpty();
    }

    private void assertRefused(java.util.function.UnaryOperator<String> tamper, String reason) {
        KubernetesAwsAuthSource source = new KubernetesAwsAuthSource(describing(), (cluster, access) -> {
            String token = EksTokens.token(READER_KEYS, REGION, cluster, Clock.systemUTC());
            String url = new String(Base64.getUrlDecoder().decode(token.substring(EksTokens.PREFIX.length())),
                    StandardCharsets.UTF_8);
            return EksTokens.PREFIX + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(tamper.apply(url).getBytes(StandardCharsets.UTF_8));
        }, Duration.ofSeconds(5));
        assertThatThrownBy(() -> source.read(CLUSTER)).isInstanceOf(AwsAuthUnavailableException.class)
                .hasMessageContaining("401");
        assertThat(lastRefusal()).contains(reason);
    }

    private String lastRefusal() {
        return api.calls().getLast().reason();
    }

    private KubernetesAwsAuthSource source(Clock tokenClock) {
        return KubernetesAwsAuthSource.of(eksClient, StaticCredentialsProvider.create(READER_KEYS), REGION,
                tokenClock, Duration.ofSeconds(5));
    }

    private KubernetesAwsAuthSource.ClusterApis describing() {
        return cluster -> {
            var described = eksClient.describeCluster(r -> r.name(cluster)).cluster();
            return new KubernetesAwsAuthSource.ApiAccess(Optional.of(URI.create(described.endpoint())),
                    Optional.of(described.certificateAuthority().data()), true);
        };
    }

    /** As production: the samples' account is asked directly; another account has no cross-account role here. */
    private IamClient iamOf(String accountId) {
        if (!accountId.equals(SampleRoles.SAMPLE_ACCOUNT)) {
            throw new IllegalStateException("IAM of account " + accountId + " cannot be asked: no cross-account role");
        }
        return iamClients.computeIfAbsent(accountId, account -> SdkClients.iamBuilder(iam, account).build());
    }

    /** A real CA certificate that did not sign the emulator's: the first of the JDK's trust store. */
    private static String someOtherCaPem() throws Exception {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security",
                "cacerts"))) {
            cacerts.load(in, null);
        }
        Certificate certificate = cacerts.getCertificate(cacerts.aliases().nextElement());
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
