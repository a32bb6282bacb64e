package dev.eksaccess.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void coldStartTable_givesEachFunctionItsRatioToSdkAloneOfTheSameConfiguration() {
        Map<String, Map<String, Duration>> medians = new LinkedHashMap<>();
        medians.put("lambda", row(100, 800, 1000, 1200));
        medians.put("AOT", row(200, 400, 440, 600));

        String table = Report.coldStarts("Cold start", medians, 5, Set.of("AOT"));

        assertThat(table)
                .as("the reference gets no ratio to itself; each function its ratio to the floor and to SDK alone")
                .contains("| lambda | 100 ms | 800 ms (8.00x) | 1000 ms (10.00x; SDK 1.25x) | 1200 ms (12.00x; SDK 1.50x) |")
                .as("an archived row compares with its own row's SDK alone, not the first row's")
                .contains("| AOT | 200 ms | 400 ms (2.00x; 4.00x) | 440 ms (2.20x; 4.40x; SDK 1.10x) "
                        + "| 600 ms (3.00x; 6.00x; SDK 1.50x) |")
                .contains("ratio to " + Report.SDK_ALONE + " in the same row (goal <= 1.25x)");
    }

    @Test
    void coldStartTable_withoutTheReference_printsNoSdkRatio() {
        Map<String, Map<String, Duration>> medians = new LinkedHashMap<>();
        Map<String, Duration> row = new LinkedHashMap<>();
        row.put(Report.FLOOR, Duration.ofMillis(100));
        row.put("grant-processor", Duration.ofMillis(300));
        medians.put("lambda", row);

        assertThat(Report.coldStarts("Cold start", medians, 1, Set.of()))
                .contains("| lambda | 100 ms | 300 ms (3.00x) |");
    }

    private static Map<String, Duration> row(long floor, long sdkAlone, long creation, long grant) {
        Map<String, Duration> row = new LinkedHashMap<>();
        row.put(Report.FLOOR, Duration.ofMillis(floor));
        row.put(Report.SDK_ALONE, Duration.ofMillis(sdkAlone));
        row.put("cluster-creation", Duration.ofMillis(creation));
        row.put("grant-processor", Duration.ofMillis(grant));
        return row;
    }
}
