package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.delivery.OutcomeEvent;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * {@link EventBridgeOutcomes} with the real SDK {@code EventBridgeClient} over HTTP against a stand-in for
 * EventBridge's {@code PutEvents}: a JDK {@code HttpServer} that speaks what the SDK's EventBridge client speaks
 * (AWS JSON 1.1, {@code POST /} with {@code X-Amz-Target: AWSEvents.PutEvents}, as its generated marshaller and
 * client state), records each request, and answers with the {@code PutEvents} response shape
 * ({@code FailedEntryCount}, {@code Entries} with {@code EventId} or {@code ErrorCode}/{@code ErrorMessage}). No
 * emulator: what is tested is the entries the adapter builds and how it reads the answer, not EventBridge.
 */
class EventBridgeOutcomesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUS = "arn:aws:events:eu-west-1:111122223333:event-bus/eks-access";
    private static final String CLUSTER = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod";
    private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

    private record Request(Map<String, List<String>> headers, JsonNode body) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String answer;
    private HttpServer server;
    private EventBridgeClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                requests.add(new Request(Map.copyOf(exchange.getRequestHeaders()),
                        JSON.readTree(exchange.getRequestBody().readAllBytes())));
                byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        server.start();
        client = EventBridgeClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private static OutcomeEvent event(String requestId, OutcomeEvents.State state, ClusterRef cluster) {
        return new OutcomeEvent(requestId, state, "because", AT, "grant",
                new OutcomeEvent.SenderRef("arn:aws:iam::111122223333:role/teams/payments-ci", "ci",
                        "AROAEXAMPLE000000001:ci"), "alice@example.com", cluster,
                "arn:aws:iam::111122223333:role/teams/payments-dev", "AmazonEKSViewPolicy", AccessScope.cluster(),
                null, "payments-view", false, Optional.empty(), null, null);
    }

    @Test
    void publish_putsOneEntryPerEvent_onTheBus_withSourceDetailTypeTimeDetailAndTheClusterAsResource() {
        answer = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"},{\"EventId\":\"e-2\"}]}";
        OutcomeEvent received = event("CHG-1", OutcomeEvents.State.RECEIVED, ClusterRef.parseArn(CLUSTER).orElseThrow());
        OutcomeEvent unreadable = event("m-1", OutcomeEvents.State.REJECTED, null);

        new EventBridgeOutcomes(() -> client, BUS).publish(List.of(received, unreadable));

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.headers().get("X-amz-target")).containsExactly("AWSEvents.PutEvents");
            assertThat(request.headers().get("Content-type")).singleElement().asString()
                    .startsWith("application/x-amz-json-1.1");
            JsonNode entries = request.body().get("Entries");
            assertThat(entries).hasSize(2);
            JsonNode first = entries.get(0);
            assertThat(first.get("EventBusName").asText()).isEqualTo(BUS);
            assertThat(first.get("Source").asText()).isEqualTo(OutcomeEvents.SOURCE);
            assertThat(first.get("DetailType").asText()).isEqualTo(OutcomeEvents.DETAIL_TYPE);
            assertThat(first.get("Time").asLong()).as("epoch seconds").isEqualTo(AT.getEpochSecond());
            assertThat(first.get("Resources")).extracting(JsonNode::asText).containsExactly(CLUSTER);
            assertThat(readTree(first.get("Detail").asText())).isEqualTo(readTree(received.detailJson()));
            assertThat(entries.get(1).has("Resources")).as("no cluster, no resource").isFalse();
            assertThat(readTree(entries.get(1).get("Detail").asText())).isEqualTo(readTree(unreadable.detailJson()));
        });
    }

    @Test
    void anExternalChange_isOneEntry_ofItsOwnDetailType_validAgainstItsSchema() {
        answer = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}";
        dev.eksaccess.drift.AccessChange change = ((dev.eksaccess.drift.AccessChangeParser.Change)
                new dev.eksaccess.drift.AccessChangeParser().parse(dev.eksaccess.testing.EventFiles.bytes(
                        "cloudtrail/access-changes/associate-view-namespaces.json"))).change();
        dev.eksaccess.drift.ExternalChange external = new dev.eksaccess.drift.ExternalChange(change,
                new dev.eksaccess.drift.ChangeClass(dev.eksaccess.drift.ChangeClass.Severity.HARMLESS, "why"), AT);

        new EventBridgeOutcomes(() -> client, BUS).publish(external);

        assertThat(requests).singleElement().satisfies(request -> {
            JsonNode entry = request.body().get("Entries").get(0);
            assertThat(request.body().get("Entries")).hasSize(1);
            assertThat(entry.get("Source").asText()).isEqualTo(OutcomeEvents.SOURCE);
            assertThat(entry.get("DetailType").asText()).isEqualTo(OutcomeEvents.EXTERNAL_CHANGE_DETAIL_TYPE);
            assertThat(entry.get("Resources")).extracting(JsonNode::asText).containsExactly(change.cluster().arn());
            JsonNode detail = readTree(entry.get("Detail").asText());
            assertThat(detail.get("eventId").asText()).isEqualTo(change.eventId());
            assertThat(detail.get("scope").get("namespaces")).extracting(JsonNode::asText)
                    .containsExactlyElementsOf(change.scope().namespaces());
            assertThat(new dev.eksaccess.contract.JsonSchemaFile(
                    "dev/eksaccess/contract/external-change-event-v1.schema.json").errors(detail)).isEmpty();
        });
    }

    @Test
    void refusedEntries_becomeAnError_namingTheFirstErrorCode() {
        answer = "{\"FailedEntryCount\":1,\"Entries\":[{\"EventId\":\"e-1\"},"
                + "{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"try again\"}]}";
        EventBridgeOutcomes outcomes = new EventBridgeOutcomes(() -> client, BUS);
        ClusterRef cluster = ClusterRef.parseArn(CLUSTER).orElseThrow();

        assertThatThrownBy(() -> outcomes.publish(List.of(event("CHG-1", OutcomeEvents.State.RECEIVED, cluster),
                event("CHG-1", OutcomeEvents.State.APPLIED, cluster))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("1 of 2 outcome events were refused by EventBridge: InternalFailure try again");
    }

    @Test
    void nothingToPublish_makesNoCall() {
        new EventBridgeOutcomes(() -> {
            throw new AssertionError("no client needed");
        }, BUS).publish(List.of());

        assertThat(requests).isEmpty();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
