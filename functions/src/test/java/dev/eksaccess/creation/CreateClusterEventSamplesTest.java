package dev.eksaccess.creation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.CreateClusterEventPattern;
import dev.eksaccess.testing.EventFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.event.ruler.Machine;

/** The samples in {@code events/cloudtrail/} agree with the rule pattern that the CDK app deploys. */
class CreateClusterEventSamplesTest {

    static List<String> createClusterSamples() {
        return EventFiles.list("cloudtrail/create-cluster");
    }

    static List<String> otherSamples() {
        return EventFiles.list("cloudtrail/other");
    }

    private static List<String> matchingRules(String sample) throws Exception {
        Machine machine = Machine.builder().build();
        machine.addRule("create-cluster", CreateClusterEventPattern.json());
        return machine.rulesForJSONEvent(new String(EventFiles.bytes(sample), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("createClusterSamples")
    void everyCreateClusterSample_matchesTheRulePattern(String sample) throws Exception {
        assertThat(matchingRules(sample)).containsExactly("create-cluster");
    }

    @ParameterizedTest
    @MethodSource("otherSamples")
    void otherEksEvents_doNotMatchTheRulePattern(String sample) throws Exception {
        assertThat(matchingRules(sample)).isEmpty();
    }
}
