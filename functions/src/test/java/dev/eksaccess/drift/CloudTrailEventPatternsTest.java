package dev.eksaccess.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.AccessChangeEventPattern;
import dev.eksaccess.contract.CreateClusterEventPattern;
import dev.eksaccess.testing.EventFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.event.ruler.Machine;

/**
 * Both rule patterns the CDK app deploys, judged together by AWS Event Ruler, select exactly the samples of their
 * folder in {@code events/cloudtrail/}: each CreateCluster sample only the creation rule, each access change only the
 * access-change rule, the other EKS events neither.
 */
class CloudTrailEventPatternsTest {

    /** The rules a sample of each folder must match. */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "cloudtrail/create-cluster", List.of("create-cluster"),
            "cloudtrail/access-changes", List.of("access-change"),
            "cloudtrail/other", List.of());

    static Stream<Arguments> samples() {
        return EXPECTED.entrySet().stream().sorted(Map.Entry.comparingByKey()).flatMap(folder ->
                EventFiles.list(folder.getKey()).stream().map(sample -> Arguments.of(sample, folder.getValue())));
    }

    @Test
    void everyFolder_hasSamples() {
        EXPECTED.keySet().forEach(folder -> assertThat(EventFiles.list(folder)).as(folder).isNotEmpty());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySample_matchesExactlyTheRuleOfItsFolder(String sample, List<String> rules) throws Exception {
        Machine machine = Machine.builder().build();
        machine.addRule("create-cluster", CreateClusterEventPattern.json());
        machine.addRule("access-change", AccessChangeEventPattern.json());

        assertThat(machine.rulesForJSONEvent(new String(EventFiles.bytes(sample), StandardCharsets.UTF_8)))
                .containsExactlyElementsOf(rules);
    }
}
