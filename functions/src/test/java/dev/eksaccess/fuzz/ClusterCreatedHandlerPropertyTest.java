package dev.eksaccess.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.DeploymentFiles;
import dev.eksaccess.config.Environment;
import dev.eksaccess.handler.ClusterCreatedHandler;
import dev.eksaccess.testing.FakeClusterLookup;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testing.InMemoryCreationRegistry;
import dev.eksaccess.testing.RecordingBootstrapQueue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hostile events for the cluster-creation Lambda: whatever arrives, the invocation ends with one outcome (a
 * malformed event is {@code rejected} with a reason, never an exception that EventBridge would retry), and a
 * rejected or ignored event writes nothing to the registry and sends nothing to the grant queue.
 */
class ClusterCreatedHandlerPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T08:12:05Z"), ZoneOffset.UTC);
    private static final ClusterCreationConfig CONFIG = ClusterCreationConfig.from(new Environment(Map.of(
            "REGISTRY_TABLE", "eks-access-registry",
            "GRANT_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/111122223333/eks-access-grants",
            "DEPLOYMENT_FILE", DeploymentFiles.withAdmins("arn:aws:iam::111122223333:role/platform/EksAdmin"),
            "CREATOR_ADMIN", "true")));
    private static final Set<String> OUTCOMES = Set.of("recorded", "duplicate", "replaced", "stale", "ignored", "rejected");

    /** Mutated samples, random trees and noise. */
    static final Gen<byte[]> ANY_EVENT = Gen.oneOf(
            CloudTrailMutations.ANY.map(mutant -> CloudTrailEventParserPropertyTest.utf8(mutant.body())),
            Hostile.trees(Hostile.ODD_TEXT, 3).map(tree -> CloudTrailEventParserPropertyTest.utf8(JsonText.write(tree))),
            Gen.anyChars(0, 200).map(CloudTrailEventParserPropertyTest::utf8));

    @Test
    void malformedEvents_areRejectedWithTheFieldsPath_andWriteOrSendNothing() {
        Property.forAll("cluster-creation handler: malformed events", CloudTrailMutations.REJECTED, mutant -> {
            Invocation invocation = invoke(CloudTrailEventParserPropertyTest.utf8(mutant.body()));

            assertThat(invocation.outcome()).isEqualTo("rejected");
            assertThat(invocation.result().path("reason").asText()).contains(mutant.expectedPath());
            assertThat(invocation.writes()).isZero();
            assertThat(invocation.sends()).isZero();
        });
    }

    @Test
    void anyEvent_endsWithOneOutcome_andOnlyRecordedOnesWriteOrSend() {
        Property.forAll("cluster-creation handler: any event", ANY_EVENT, event -> {
            Invocation invocation = invoke(event);

            assertThat(invocation.outcome()).isIn(OUTCOMES);
            if (invocation.outcome().equals("recorded")) {
                // The registry is empty: a recorded event writes its record once and sends at most its bootstrap.
                assertThat(invocation.writes()).as("registry writes").isEqualTo(1);
                assertThat(invocation.sends()).as("bootstrap sends").isBetween(0, 1);
            } else {
                // Everything else (rejected, ignored, and with an empty registry no event can be a duplicate,
                // a replacement or stale) writes nothing and sends nothing.
                assertThat(invocation.outcome()).as("outcome with an empty registry").isIn("rejected", "ignored");
                assertThat(invocation.result().path("reason").asText()).isNotBlank();
                assertThat(invocation.writes()).as("registry writes").isZero();
                assertThat(invocation.sends()).as("bootstrap sends").isZero();
            }
        });
    }

    @Test
    void changesCloudTrailMayMake_endWithTheSampleOutcome() {
        Property.forAll("cluster-creation handler: neutral changes", CloudTrailMutations.NEUTRAL, mutant -> {
            byte[] original = JsonText.write(CloudTrailMutations.SAMPLES.stream()
                    .filter(s -> s.name().equals(mutant.sample())).findFirst().orElseThrow().json())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Invocation expected = invoke(original);
            Invocation actual = invoke(CloudTrailEventParserPropertyTest.utf8(mutant.body()));

            assertThat(actual.result()).isEqualTo(expected.result());
            assertThat(actual.writes()).isEqualTo(expected.writes());
            assertThat(actual.sends()).isEqualTo(expected.sends());
        });
    }

    /** One invocation of a fresh handler with an empty registry; its result without the request id. */
    private static Invocation invoke(byte[] event) {
        InMemoryCreationRegistry registry = new InMemoryCreationRegistry(CLOCK);
        RecordingBootstrapQueue queue = new RecordingBootstrapQueue();
        ClusterCreatedHandler handler = new ClusterCreatedHandler(CONFIG, registry, queue,
                FakeClusterLookup.holdingEverySample(), CLOCK, line -> { });
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), output, new FakeLambdaContext("111122223333"));
            ObjectNode result = (ObjectNode) JSON.readTree(output.toByteArray());
            // Each invocation has a request id of its own; the rest of the line depends on the event alone.
            result.remove("awsRequestId");
            return new Invocation(result, registry.writes(), queue.sent().size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Invocation(JsonNode result, int writes, int sends) {
        String outcome() {
            return result.path("outcome").asText();
        }
    }
}
