package dev.eksaccess.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

/**
 * The rule patterns docs/deploy.md gives teams for subscribing to outcome events select what their text says they
 * select, judged by AWS Event Ruler against sample events that hold to the contract's outcome-event schema.
 */
class OutcomeSubscriptionPatternTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOC = RepositoryRoot.resolve("docs/deploy.md");
    private static final Path SAMPLES = Path.of("src/test/resources/events/outcome");
    private static final String SCHEMA = "dev/eksaccess/contract/outcome-event-v1.schema.json";

    /** The documented patterns, in order, and the one sample each must select (and no other). */
    private static final List<String> SELECTS = List.of(
            "payments-ci-applied.json",       // a team's own requests, once settled
            "sre-pending-approval.json",      // payments clusters, waiting for an approver
            "break-glass-applied.json");      // every break-glass grant

    @Test
    void everyDocumentedPattern_selectsItsSampleAndNoOther() throws Exception {
        List<String> patterns = documentedPatterns();
        assertThat(patterns).as("JSON patterns under 'Outcome events' in " + DOC).hasSameSizeAs(SELECTS);
        Map<String, String> samples = samples();
        assertThat(samples).containsKeys(SELECTS.toArray(String[]::new)).hasSizeGreaterThan(SELECTS.size());

        for (int i = 0; i < patterns.size(); i++) {
            Machine machine = Machine.builder().build();
            machine.addRule("documented", patterns.get(i));
            for (Map.Entry<String, String> sample : samples.entrySet()) {
                boolean selected = !machine.rulesForJSONEvent(sample.getValue()).isEmpty();
                assertThat(selected).as("pattern %d on %s", i + 1, sample.getKey())
                        .isEqualTo(sample.getKey().equals(SELECTS.get(i)));
            }
        }
    }

    /** Events of another source or detail-type, however alike, are never selected. */
    @Test
    void documentedPatterns_selectOnlyTheContractsSourceAndDetailType() throws Exception {
        for (String pattern : documentedPatterns()) {
            JsonNode tree = JSON.readTree(pattern);
            assertThat(tree.path("source")).containsExactly(JSON.getNodeFactory().textNode(OutcomeEvents.SOURCE));
            assertThat(tree.path("detail-type"))
                    .containsExactly(JSON.getNodeFactory().textNode(OutcomeEvents.DETAIL_TYPE));

            Machine machine = Machine.builder().build();
            machine.addRule("documented", pattern);
            for (String sample : samples().values()) {
                ObjectNode other = (ObjectNode) JSON.readTree(sample);
                other.put("source", "eks-access.impostor");
                assertThat(machine.rulesForJSONEvent(JSON.writeValueAsString(other))).isEmpty();
            }
        }
    }

    @Test
    void samples_holdToTheOutcomeEventSchema() throws IOException {
        String text;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SCHEMA)) {
            assertThat(in).as(SCHEMA + " on the class path (contract)").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = JSON.readTree(text).path("$id").asText();
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(id, text))).getSchema(SchemaLocation.of(id));
        schema.initializeValidators();

        for (Map.Entry<String, String> sample : samples().entrySet()) {
            JsonNode event = JSON.readTree(sample.getValue());
            assertThat(event.path("source").asText()).isEqualTo(OutcomeEvents.SOURCE);
            assertThat(event.path("detail-type").asText()).isEqualTo(OutcomeEvents.DETAIL_TYPE);
            assertThat(schema.validate(event.path("detail")).stream().map(Object::toString).toList())
                    .as(sample.getKey()).isEmpty();
        }
    }

    /** The ```json blocks of the section "## Outcome events", in order. */
    private static List<String> documentedPatterns() throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("\n## Outcome events\n");
        assertThat(start).as("section 'Outcome events' in " + DOC).isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        List<String> patterns = new ArrayList<>();
        Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            patterns.add(block.group(1));
        }
        return patterns;
    }

    private static Map<String, String> samples() throws IOException {
        Map<String, String> samples = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                samples.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return samples;
    }
}
