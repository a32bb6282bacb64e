package dev.eksaccess.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.contract.CreateClusterEventPattern;
import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;
import software.amazon.event.ruler.Machine;

/**
 * The event pattern as deployed (read from the synthesized template, hub and spoke) selects every CreateCluster
 * sample and nothing else, judged by AWS Event Ruler, so the rule and the samples in {@code events/} cannot drift.
 */
class CreateClusterRulePatternTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src/test/resources/events");
    private static final Path REPO_EVENTS = RepositoryRoot.resolve("events");
    private static final Path REPO_CREATE_CLUSTER = REPO_EVENTS.resolve("cloudtrail/create-cluster");

    @Test
    void deployedPatterns_areTheContractsPattern() throws IOException {
        JsonNode contract = JSON.readTree(CreateClusterEventPattern.json());

        assertThat(deployedPattern(TestApps.FULL.hub())).isEqualTo(contract);
        assertThat(deployedPattern(TestApps.FULL.spoke())).isEqualTo(contract);
    }

    @Test
    void deployedPattern_matchesThisModulesCreateClusterFixturesAndNoOtherFixture() throws Exception {
        Machine machine = machine(TestApps.FULL.hub());

        assertAllMatch(machine, jsonFiles(FIXTURES.resolve("create-cluster")));
        assertNoneMatch(machine, jsonFiles(FIXTURES.resolve("other")));
    }

    @Test
    void deployedPattern_matchesEveryCreateClusterSampleOfTheRepositoryAndNoOtherSample() throws Exception {
        assertThat(jsonFiles(REPO_CREATE_CLUSTER)).as("CreateCluster samples in " + REPO_CREATE_CLUSTER).isNotEmpty();
        List<Path> samples;
        try (Stream<Path> files = Files.walk(REPO_EVENTS)) {
            samples = files.filter(file -> file.toString().endsWith(".json"))
                    .filter(CreateClusterRulePatternTest::isValidJson)
                    .sorted().toList();
        }
        Machine machine = machine(TestApps.FULL.hub());

        assertAllMatch(machine, samples.stream().filter(CreateClusterRulePatternTest::isCreateClusterSample).toList());
        assertNoneMatch(machine, samples.stream().filter(file -> !isCreateClusterSample(file)).toList());
    }

    private static void assertAllMatch(Machine machine, List<Path> samples) throws Exception {
        assertThat(samples).isNotEmpty();
        for (Path sample : samples) {
            assertThat(machine.rulesForJSONEvent(Files.readString(sample)))
                    .as("%s must match the CreateCluster rule", sample).containsExactly("create-cluster");
        }
    }

    private static void assertNoneMatch(Machine machine, List<Path> samples) throws Exception {
        for (Path sample : samples) {
            assertThat(machine.rulesForJSONEvent(Files.readString(sample)))
                    .as("%s must not match the CreateCluster rule", sample).isEmpty();
        }
    }

    private static Machine machine(Template template) throws IOException {
        Machine machine = Machine.builder().build();
        machine.addRule("create-cluster", JSON.writeValueAsString(deployedPattern(template)));
        return machine;
    }

    /**
     * The EventPattern of the template's one rule whose pattern selects CreateCluster (the access-change rule selects
     * other calls, the sweep's is a schedule).
     */
    private static JsonNode deployedPattern(Template template) {
        List<JsonNode> patterns = template.findResources("AWS::Events::Rule").values().stream()
                .map(rule -> ((Map<?, ?>) ((Map<?, ?>) rule).get("Properties")).get("EventPattern"))
                .filter(pattern -> pattern != null).map(pattern -> (JsonNode) JSON.valueToTree(pattern))
                .filter(pattern -> pattern.at("/detail/eventName").toString().contains("\"CreateCluster\""))
                .toList();
        if (patterns.size() != 1) {
            fail("expected one rule with a CreateCluster event pattern, found " + patterns);
        }
        return patterns.get(0);
    }

    private static List<Path> jsonFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The samples the rule must match: every file of {@code events/cloudtrail/create-cluster/}, and the steps of the
     * sandbox's scenarios ({@code events/scenarios/NAME/}) named as a CreateCluster, such as
     * {@code 01-create-cluster-by-assumed-role.json}. The expectation comes from where and how a file is named,
     * never from its content.
     */
    private static boolean isCreateClusterSample(Path file) {
        boolean scenarioStep = file.startsWith(REPO_EVENTS.resolve("scenarios"));
        return file.startsWith(REPO_CREATE_CLUSTER)
                || scenarioStep && file.getFileName().toString().contains("create-cluster");
    }

    /** Deliberately malformed samples (for the functions' error handling) are not events; skip them. */
    private static boolean isValidJson(Path file) {
        try {
            JSON.readTree(file.toFile());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
