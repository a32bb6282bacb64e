package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.model.ClusterRef;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@link CrossAccountEks} through the real SDK clients against one local HTTP endpoint that answers STS AssumeRole
 * (recording the form the SDK sent, and handing out credentials whose access key numbers the session) and EKS
 * DescribeCluster (recording which access key signed each call).
 */
class CrossAccountEksTest {

    private static final String HOME = "111122223333";
    private static final String MEMBER = "444455556666";
    private static final String TEAM_A = "arn:aws:iam::111122223333:role/teams/payments-deployer";
    private static final String TEAM_B = "arn:aws:iam::111122223333:role/teams/search-deployer";
    private static final ClusterRef REMOTE = new ClusterRef("aws", "eu-central-1", MEMBER, "a");

    /** The AssumeRole requests, each as its form parameters. */
    private final List<Map<String, String>> assumeRoles = new CopyOnWriteArrayList<>();
    /** The access key id that signed each EKS call. */
    private final List<String> eksCallsSignedBy = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI endpoint;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String response;
        String type;
        if (exchange.getRequestURI().getPath().startsWith("/clusters/")) {
            Matcher credential = Pattern.compile("Credential=([^/]+)/").matcher(
                    exchange.getRequestHeaders().getFirst("Authorization"));
            eksCallsSignedBy.add(credential.find() ? credential.group(1) : "unsigned");
            String name = exchange.getRequestURI().getPath().substring("/clusters/".length());
            response = "{\"cluster\":{\"name\":\"" + name + "\",\"arn\":\"arn:aws:eks:eu-central-1:" + MEMBER
                    + ":cluster/" + name + "\",\"status\":\"ACTIVE\",\"createdAt\":1764000000,"
                    + "\"accessConfig\":{\"authenticationMode\":\"API\"},\"tags\":{}}}";
            type = "application/json";
        } else {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            assumeRoles.add(form);
            response = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                    + "<AssumedRoleUser><Arn>arn:aws:sts::" + MEMBER + ":assumed-role/x/" + form.get("RoleSessionName")
                    + "</Arn><AssumedRoleId>AROAEXAMPLE:" + form.get("RoleSessionName") + "</AssumedRoleId>"
                    + "</AssumedRoleUser><Credentials><AccessKeyId>ASIASESSION" + assumeRoles.size()
                    + "</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>"
                    + "<Expiration>" + Instant.now().plusSeconds(3600) + "</Expiration></Credentials>"
                    + "</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                    + "</AssumeRoleResponse>";
            type = "text/xml";
        }
        byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** As {@link CrossAccountEks#from} wires it, with the SDK's clients pointed at the local endpoint. */
    private CrossAccountEks realClients(Optional<String> roleName) {
        StsClient sts = StsClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("HUBKEY", "s")))
                .build();
        return new CrossAccountEks(HOME, roleName, Set.of(MEMBER),
                region -> EksClient.builder().endpointOverride(endpoint).region(region)
                        .httpClient(UrlConnectionHttpClient.create())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("HUBKEY", "s")))
                        .build(),
                CrossAccountEks.assumeWith(() -> sts, Optional.of("external-1")));
    }

    private void describe(CrossAccountEks eks, ClusterRef cluster, ActingFor actingFor) {
        eks.forCluster(cluster, actingFor).describeCluster(cluster);
    }

    @Test
    void theAssumeRoleRequest_namesTheSenderAndTheRequest_andTheEksCallUsesThatSession() {
        describe(realClients(Optional.of("eks-access")), REMOTE, ActingFor.sender(TEAM_A, "req-1"));

        assertThat(assumeRoles).singleElement().satisfies(form -> {
            assertThat(form).containsEntry("Action", "AssumeRole")
                    .containsEntry("RoleArn", "arn:aws:iam::" + MEMBER + ":role/eks-access")
                    .containsEntry("SourceIdentity", "payments-deployer." + SessionIdentity.hash(TEAM_A))
                    .containsEntry("RoleSessionName", "req-1")
                    .containsEntry("ExternalId", "external-1");
        });
        assertThat(eksCallsSignedBy).containsExactly("ASIASESSION1");
    }

    @Test
    void twoSenders_neverShareASession_evenWithTheSameRequestId_andOneRequestKeepsItsOwn() {
        CrossAccountEks eks = realClients(Optional.of("eks-access"));

        describe(eks, REMOTE, ActingFor.sender(TEAM_A, "req-1"));
        describe(eks, REMOTE, ActingFor.sender(TEAM_B, "req-1"));
        describe(eks, REMOTE, ActingFor.sender(TEAM_A, "req-2"));
        // the same request again (the engine after the authorizer, a retry): its own session, no new AssumeRole
        describe(eks, new ClusterRef("aws", "eu-central-1", MEMBER, "b"), ActingFor.sender(TEAM_A, "req-1"));

        assertThat(assumeRoles).extracting(form -> form.get("SourceIdentity") + " " + form.get("RoleSessionName"))
                .containsExactly(SessionIdentity.ofPrincipal(TEAM_A) + " req-1",
                        SessionIdentity.ofPrincipal(TEAM_B) + " req-1",
                        SessionIdentity.ofPrincipal(TEAM_A) + " req-2");
        assertThat(eksCallsSignedBy).containsExactly("ASIASESSION1", "ASIASESSION2", "ASIASESSION3", "ASIASESSION1");
    }

    @Test
    void theSystemsOwnRequests_nameTheFunction_andTheirIdMadeValidForSts() {
        String expiry = "expiry:arn:aws:eks:eu-central-1:444455556666:cluster/a/payments-dev";
        describe(realClients(Optional.of("eks-access")), REMOTE, ActingFor.function("expiry-sweep", expiry));

        assertThat(assumeRoles).singleElement().satisfies(form -> {
            assertThat(form).containsEntry("SourceIdentity", "eks-access.expiry-sweep");
            assertThat(form.get("RoleSessionName")).isEqualTo(SessionIdentity.sessionName(expiry))
                    .matches(SessionIdentity.STS_VALUE).endsWith("." + SessionIdentity.hash(expiry));
        });
    }

    @Test
    void atHome_noRoleIsAssumed_andTheFunctionsOwnCredentialsSign() {
        ClusterRef home = new ClusterRef("aws", "eu-west-1", HOME, "home");
        describe(realClients(Optional.of("eks-access")), home, ActingFor.sender(TEAM_A, "req-1"));

        assertThat(assumeRoles).isEmpty();
        assertThat(eksCallsSignedBy).containsExactly("HUBKEY");
    }

    @Test
    void theClusterCreationFunction_describesThroughItsReadOnlyRole_inASessionNamingItAndTheEvent() {
        ClusterCreationConfig config = ClusterCreationConfig.from(new Environment(Map.of(
                "REGISTRY_TABLE", "registry", "GRANT_QUEUE_URL",
                "https://sqs.eu-west-1.amazonaws.com/111122223333/grants", "CROSS_ACCOUNT_ROLE_NAME", "eks-access",
                "MEMBER_ACCOUNTS", MEMBER)));
        // as EksClusterLookup.from wires it: the configuration's reader role, never the grant processor's
        EksClusterLookup lookup = new EksClusterLookup(home -> realClients(config.clusterReaderRoleName()));

        assertThat(lookup.describe(REMOTE, "event-1", HOME)).isPresent();

        assertThat(assumeRoles).singleElement().satisfies(form -> {
            assertThat(form).containsEntry("RoleArn", "arn:aws:iam::" + MEMBER + ":role/eks-access-reader")
                    .containsEntry("SourceIdentity", "eks-access.cluster-creation")
                    .containsEntry("RoleSessionName", "event-1");
        });
    }

    // ------------------------------------------------------------------ which accounts and roles

    private final List<String> assumed = new ArrayList<>();

    private CrossAccountEks recording(Optional<String> roleName, Set<String> members) {
        return new CrossAccountEks(HOME, roleName, members, region -> EksClient.builder().region(region)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(AnonymousCredentialsProvider.create())
                .build(), (roleArn, session) -> {
            assumed.add(roleArn);
            return AnonymousCredentialsProvider.create();
        });
    }

    private static final ActingFor TEAM = ActingFor.sender(TEAM_A, "req-1");

    @Test
    void clustersInOtherAccounts_useTheConfiguredRoleInTheirPartitionAndAccount() {
        CrossAccountEks eks = recording(Optional.of("platform/eks-access"), null);

        eks.forCluster(REMOTE, TEAM);
        eks.forCluster(new ClusterRef("aws-cn", "cn-north-1", MEMBER, "c"), TEAM);

        assertThat(assumed).containsExactly("arn:aws:iam::" + MEMBER + ":role/platform/eks-access",
                "arn:aws-cn:iam::" + MEMBER + ":role/platform/eks-access");
    }

    @Test
    void theHomeRegionsClient_builtAheadForTheColdStart_isTheOneItsClustersUse_builtOnce() {
        List<String> built = new ArrayList<>();
        CrossAccountEks eks = new CrossAccountEks(HOME, Optional.of("eks-access"), Set.of(MEMBER), region -> {
            built.add(region.id());
            return EksClient.builder().region(region).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        }, (roleArn, session) -> AnonymousCredentialsProvider.create());

        EksClient ahead = eks.clientFor("eu-west-1");
        eks.forCluster(new ClusterRef("aws", "eu-west-1", HOME, "home"), TEAM);
        eks.forCluster(new ClusterRef("aws", "eu-west-1", MEMBER, "member"), TEAM);
        eks.forCluster(REMOTE, TEAM);

        assertThat(built).as("one client per region, whatever the account").containsExactly("eu-west-1",
                REMOTE.region());
        assertThat(eks.clientFor("eu-west-1")).isSameAs(ahead);
    }

    @Test
    void clustersInOtherAccounts_withoutARole_cannotBeReached() {
        assertThatThrownBy(() -> recording(Optional.empty(), null).forCluster(REMOTE, TEAM))
                .isInstanceOf(CrossAccountNotConfiguredException.class)
                .hasMessageContaining("CROSS_ACCOUNT_ROLE_NAME is not set");
    }

    @Test
    void aClusterOfAnAccountThatIsNotAMember_isRefusedBeforeAnyStsCall() {
        CrossAccountEks eks = recording(Optional.of("eks-access"), Set.of(MEMBER));

        assertThatThrownBy(() -> eks.forCluster(new ClusterRef("aws", "eu-west-1", "999988887777", "elsewhere"), TEAM))
                .isInstanceOf(CrossAccountNotConfiguredException.class)
                .hasMessageContaining("999988887777, which is not one of the member accounts (memberAccounts: "
                        + MEMBER + ")");
        assertThat(assumed).as("no STS call").isEmpty();

        eks.forCluster(REMOTE, TEAM);
        eks.forCluster(new ClusterRef("aws", "eu-west-1", HOME, "home"), TEAM);
        assertThat(assumed).containsExactly("arn:aws:iam::" + MEMBER + ":role/eks-access");
    }

    @Test
    void stsDenyingTheAssumeRole_reachesTheEngineAsAccessDenied_throughTheRealSdkClient() {
        // the real SDK resolves the assumed role's credentials before any HTTP call; STS refuses the AssumeRole
        CrossAccountEks eks = new CrossAccountEks(HOME, Optional.of("eks-access"),
                region -> EksClient.builder().region(region).endpointOverride(URI.create("http://127.0.0.1:9"))
                        .httpClient(UrlConnectionHttpClient.create())
                        .credentialsProvider(AnonymousCredentialsProvider.create()).build(),
                (roleArn, session) -> () -> {
                    throw software.amazon.awssdk.services.sts.model.StsException.builder().statusCode(403)
                            .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                    .errorCode("AccessDenied").errorMessage("not authorized to perform: sts:AssumeRole "
                                            + "on resource: " + roleArn).build()).build();
                });

        assertThatThrownBy(() -> eks.forCluster(REMOTE, TEAM).describeCluster(REMOTE))
                .isInstanceOf(dev.eksaccess.eks.EksAccessDeniedException.class)
                .hasMessageContaining("sts:AssumeRole on resource: arn:aws:iam::444455556666:role/eks-access")
                .satisfies(e -> assertThat(((dev.eksaccess.eks.EksAccessException) e).retryable()).isFalse());
    }
}
