package dev.eksaccess.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhasesTest {

    private static final List<String> RUN = List.of(
            "[0.010s][info][class,load] java.lang.Object source: shared objects file",
            "[0.011s][info][class,load] java.lang.String source: shared objects file",
            "PROBE-PHASE 100000000 construct",
            "[0.200s][info][class,load] dev.eksaccess.handler.GrantRequestHandler source: file:/f.jar",
            "[0.201s][info][class,load] java.lang.Object source: shared objects file",
            "PROBE-PHASE 400000000 handle",
            "PROBE-PHASE 450000000 call Iam GetRole",
            "[0.300s][info][class,load] software.amazon.awssdk.services.iam.model.Role source: file:/f.jar",
            "[0.301s][info][class,load] javax.xml.stream.XMLInputFactory source: jrt:/java.xml",
            "{\"outcome\":\"applied\"}",
            "PROBE-PHASE 700000000 end Iam GetRole",
            "[0.400s][info][class,load] dev.eksaccess.engine.AccessEngine source: file:/f.jar",
            "PROBE-PHASE 750000000 done",
            "[0.500s][info][class,load] java.lang.Shutdown source: shared objects file");

    @Test
    void parse_countsEachClassOnceInThePhaseThatFirstLoadedIt_withTheCpuTimeBetweenMarks() {
        List<Phases.Phase> phases = Phases.parse(RUN);

        assertThat(phases).extracting(Phases.Phase::name).containsExactly(
                "JVM start, the probe, reading the event",
                "init: the handler's construction (configuration, SDK clients)",
                "own code before the first AWS call (parse, ...)",
                "AWS call: Iam GetRole",
                "own code after Iam GetRole");
        assertThat(phases).extracting(Phases.Phase::total).as("Object again, and Shutdown after done, do not count")
                .containsExactly(2, 1, 0, 2, 1);
        assertThat(phases).extracting(Phases.Phase::cpuNanos)
                .containsExactly(100_000_000L, 300_000_000L, 50_000_000L, 250_000_000L, 50_000_000L);
        assertThat(phases.get(3).classes()).containsExactly(Map.entry("AWS SDK services.iam", 1),
                Map.entry("JDK XML (parsers, DOM, SAX, StAX)", 1));
    }

    @Test
    void parse_failsWhenTheRunNeverReachedDone_namingTheLastCall() {
        assertThatThrownBy(() -> Phases.parse(RUN.subList(0, 9)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("last call: Iam GetRole");
    }

    @Test
    void report_hasARowPerPhaseAndTheTotals() {
        Map<String, List<Phases.Phase>> byProbe = new LinkedHashMap<>();
        byProbe.put("grant-processor", Phases.parse(RUN));

        String report = Phases.report(byProbe, "Lambda");

        assertThat(report).contains("| AWS call: Iam GetRole | 2 | 250 | services.iam 1, JDK XML 1 |")
                .contains("| **total** | 6 | 750 | |")
                .contains("| **the event alone** (after init and any priming) | 3 | 350 | |");
    }

    /** A primed probe's calls between the construction and the event are the priming's, not the event's. */
    @Test
    void callsBeforeTheEvent_arePriming_andNotCountedInTheEvent() {
        List<String> primed = List.of(
                "PROBE-PHASE 100000000 construct",
                "[0.200s][info][class,load] dev.eksaccess.handler.GrantRequestHandler source: file:/f.jar",
                "PROBE-PHASE 300000000 call DynamoDb GetItem",
                "[0.300s][info][class,load] software.amazon.awssdk.services.dynamodb.model.GetItemRequest source: x",
                "PROBE-PHASE 500000000 end DynamoDb GetItem",
                "PROBE-PHASE 520000000 handle",
                "PROBE-PHASE 540000000 call DynamoDb PutItem",
                "PROBE-PHASE 600000000 end DynamoDb PutItem",
                "PROBE-PHASE 610000000 done");

        List<Phases.Phase> phases = Phases.parse(primed);

        assertThat(phases).extracting(Phases.Phase::name).containsExactly(
                "JVM start, the probe, reading the event",
                "init: the handler's construction (configuration, SDK clients)",
                "priming, AWS call: DynamoDb GetItem",
                "priming, own code after DynamoDb GetItem",
                "own code before the first AWS call (parse, ...)",
                "AWS call: DynamoDb PutItem",
                "own code after DynamoDb PutItem");
        assertThat(Phases.firstEvent(phases)).extracting(Phases.Phase::cpuNanos)
                .containsExactly(20_000_000L, 60_000_000L, 10_000_000L);
    }
}
