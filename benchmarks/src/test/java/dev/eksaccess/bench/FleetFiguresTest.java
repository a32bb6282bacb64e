package dev.eksaccess.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the throughput, flood and cost tables. */
class FleetFiguresTest {

    @Test
    void memorySize_isPeakRssPlusAQuarter_roundedUpTo64Mb_atLeast128() {
        assertThat(Cost.memorySizeMb(50 * 1024)).isEqualTo(128);
        assertThat(Cost.memorySizeMb(200 * 1024)).isEqualTo(256);
        assertThat(Cost.memorySizeMb(206 * 1024)).isEqualTo(320);
    }

    @Test
    void percentiles_areNearestRank() {
        List<Duration> sorted = IntStream.rangeClosed(1, 100).mapToObj(Duration::ofSeconds).toList();

        assertThat(FleetRig.percentile(sorted, 50)).isEqualTo(Duration.ofSeconds(50));
        assertThat(FleetRig.percentile(sorted, 99)).isEqualTo(Duration.ofSeconds(99));
        assertThat(FleetRig.percentile(List.of(Duration.ofSeconds(3)), 99)).isEqualTo(Duration.ofSeconds(3));
        assertThat(FleetRig.percentile(List.of(), 50)).isEqualTo(Duration.ZERO);
    }

    @Test
    void shareOfRate_isAdmittedCallsPerSecondOverTheRate() {
        Throughput.Row row = new Throughput.Row("m", 100, 100, Duration.ofSeconds(10), 400, 7, Duration.ZERO,
                Duration.ZERO, 0, 0, 0, 50);

        assertThat(row.shareOfRate()).isEqualTo(0.8);
        assertThat(row.grantsPerSecond()).isEqualTo(10.0);
    }

    @Test
    void theFleetOptionsAreAcceptedByTheCommandLine() {
        BenchmarkMain.Options options = BenchmarkMain.Options.parse(new String[] {"--only", "throughput,flood,cost",
                FleetBenchmarks.RATE, "25", FleetBenchmarks.GRANTS, "100", "--functions-jar", "x.jar"});

        assertThat(options.only()).containsExactlyInAnyOrder(BenchmarkMain.Measurement.THROUGHPUT,
                BenchmarkMain.Measurement.FLOOD, BenchmarkMain.Measurement.COST);
    }
}
