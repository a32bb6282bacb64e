package dev.eksaccess.emulator.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.EksException;

/** The control API over HTTP, as a sandbox outside the JVM would drive it. */
class ControlApiIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private EksEmulator emulator;
    private EksClient eks;

    @BeforeEach
    void start() {
        emulator = EksEmulator.start();
        eks = SdkClients.eksWithoutRetries(emulator);
    }

    @AfterEach
    void stop() {
        eks.close();
        emulator.close();
        http.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/_emulator" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createdClusters_areServedToTheSdk() throws Exception {
        HttpResponse<String> created = send("POST", "/clusters", """
                {"name": "sandbox", "accountId": "123456789012", "region": "eu-central-1",
                 "authenticationMode": "API_AND_CONFIG_MAP",
                 "creatorPrincipalArn": "arn:aws:iam::123456789012:user/me"}""");

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).contains("\"arn\":\"arn:aws:eks:eu-central-1:123456789012:cluster/sandbox\"");
        Cluster cluster = eks.describeCluster(r -> r.name("sandbox")).cluster();
        assertThat(cluster.accessConfig().authenticationModeAsString()).isEqualTo("API_AND_CONFIG_MAP");
        assertThat(eks.listAccessEntries(r -> r.clusterName("sandbox")).accessEntries())
                .containsExactly("arn:aws:iam::123456789012:user/me");
    }

    @Test
    void faults_canBeInjectedAndCleared() throws Exception {
        emulator.createCluster(ClusterSpec.builder("sandbox").build());

        assertThat(send("POST", "/faults", "{\"kind\": \"THROTTLING\", \"operation\": \"DescribeCluster\"}")
                .statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> eks.describeCluster(r -> r.name("sandbox")))
                .isInstanceOfSatisfying(EksException.class, e -> assertThat(e.isThrottlingException()).isTrue());

        send("DELETE", "/faults", null);
        assertThat(eks.describeCluster(r -> r.name("sandbox")).cluster()).isNotNull();
        assertThat(send("GET", "/calls", null).body()).contains("\"operation\":\"DescribeCluster\"");
    }

    @Test
    void badControlRequests_areAnsweredWithAMessage() throws Exception {
        HttpResponse<String> noName = send("POST", "/clusters", "{}");
        HttpResponse<String> unknown = send("GET", "/clusters/missing", null);

        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body()).contains("name is required");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
