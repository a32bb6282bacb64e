package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every line the three functions write, through every outcome ({@link EveryOutcomeScenario}), carries the one
 * envelope in its order, at the level the documented rule gives its outcome.
 */
class LogLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final List<String> ENVELOPE = List.of("timestamp", "level", "function", "awsRequestId", "coldStart");

    /**
     * The rule of docs/deploy.md: function and outcome to level (ERROR for a message's unexpected exception, for a
     * request rejected by a configuration error, and for a CreateCluster event EKS does not confirm).
     */
    private static final Map<String, String> LEVELS = Map.ofEntries(
            Map.entry("cluster-creation recorded", "INFO"), Map.entry("cluster-creation duplicate", "INFO"),
            Map.entry("cluster-creation replaced", "INFO"), Map.entry("cluster-creation stale", "INFO"),
            Map.entry("cluster-creation ignored", "INFO"), Map.entry("cluster-creation rejected", "WARN"),
            Map.entry("cluster-creation rejected unverified", "ERROR"), Map.entry("cluster-creation error", "ERROR"),
            Map.entry("grant-processor applied", "INFO"), Map.entry("grant-processor ignored", "INFO"),
            Map.entry("grant-processor rejected", "WARN"), Map.entry("grant-processor failed-transient", "WARN"),
            Map.entry("grant-processor rejected configuration", "ERROR"),
            Map.entry("grant-processor failed-transient unexpected", "ERROR"),
            Map.entry("grant-processor retry-delay-failed", "WARN"), Map.entry("grant-processor error", "ERROR"),
            Map.entry("expiry-sweep swept", "INFO"), Map.entry("expiry-sweep error", "ERROR"));

    private static final List<String> LINES = EveryOutcomeScenario.lines();

    @Test
    void everyLine_startsWithTheEnvelope_thenMessageAndRequestIds_thenOutcomeAndReason() {
        assertThat(LINES).allSatisfy(text -> {
            JsonNode line = json(text);
            List<String> names = new ArrayList<>();
            line.fieldNames().forEachRemaining(names::add);
            List<String> ids = names.subList(ENVELOPE.size(), names.indexOf("outcome"));

            assertThat(names.subList(0, ENVELOPE.size())).isEqualTo(ENVELOPE);
            assertThat(String.join(",", ids)).isIn("", "messageId", "requestId", "messageId,requestId");
            assertThat(names.get(names.indexOf("outcome") + 1)).isEqualTo("reason");
            assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(line.get("awsRequestId").isTextual()).isTrue();
            assertThat(line.get("coldStart").isBoolean()).isTrue();
            assertThat(line.get("reason").asText()).isNotBlank();
        });
    }

    @Test
    void everyOutcome_isLogged_atTheLevelTheRuleGivesIt() {
        Map<String, Set<String>> levels = new TreeMap<>();
        for (String text : LINES) {
            JsonNode line = json(text);
            String outcome = line.get("outcome").asText();
            String kind = line.get("function").asText() + " " + outcome + (!line.has("errorType") ? ""
                    : outcome.equals("failed-transient") ? " unexpected"
                    : outcome.equals("rejected") ? (line.get("function").asText().equals("cluster-creation")
                            ? " unverified" : " configuration") : "");
            levels.computeIfAbsent(kind, k -> new TreeSet<>()).add(line.get("level").asText());
        }

        assertThat(levels).isEqualTo(LEVELS.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> Set.of(entry.getValue()))));
    }

    @Test
    void coldStart_isTheFirstInvocationOfEachHandler_only() {
        Map<String, Set<String>> coldInvocations = new TreeMap<>();
        Map<String, String> firstLine = new TreeMap<>();
        for (String text : LINES) {
            JsonNode line = json(text);
            String function = line.get("function").asText();
            firstLine.putIfAbsent(function, text);
            if (line.get("coldStart").asBoolean()) {
                coldInvocations.computeIfAbsent(function, k -> new TreeSet<>()).add(line.get("awsRequestId").asText());
            }
        }

        assertThat(firstLine.values()).allSatisfy(text -> assertThat(json(text).get("coldStart").asBoolean()).isTrue());
        assertThat(coldInvocations).as("the scenario builds one handler of each function, and a second sweep")
                .containsOnlyKeys("cluster-creation", "grant-processor", "expiry-sweep")
                .hasEntrySatisfying("cluster-creation", ids -> assertThat(ids).hasSize(1))
                .hasEntrySatisfying("grant-processor", ids -> assertThat(ids).hasSize(1))
                .hasEntrySatisfying("expiry-sweep", ids -> assertThat(ids).hasSize(2));
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
