package dev.eksaccess.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's measurement code on a tiny run: one fresh JVM with the trivial handler, no emulators. */
class ColdStartSmokeTest {

    @TempDir
    Path work;

    /** The Lambda core jar is all the trivial handler needs, so the smoke run does not depend on the shaded jar. */
    private ColdStart coldStart() throws URISyntaxException {
        Path lambdaCore = Path.of(RequestHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return new ColdStart(lambdaCore, work, Map.of());
    }

    @Test
    void runOnce_timesAFreshJvmThatRanTheProbe() throws URISyntaxException {
        ColdStart.Timing took = coldStart().runOnce(new ColdStart.JvmConfig("default", List.of()),
                ColdStart.trivial());

        assertThat(took.wall()).isPositive().isLessThan(Duration.ofSeconds(30));
        assertThat(took.cpu()).as("the child reports its CPU time on Linux").isPositive();
        assertThat(work.resolve("cold-start-probe.jar")).isNotEmptyFile();
    }

    @Test
    void runOnce_failsWithTheChildsOutput_whenTheProbeFails() throws URISyntaxException {
        ColdStart coldStart = coldStart();

        assertThatThrownBy(() -> coldStart.runOnce(new ColdStart.JvmConfig("default", List.of()),
                new ColdStart.Run(List.of("creation", work.resolve("missing.json").toString()), "recorded")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed (exit 1")
                .hasMessageContaining("NoClassDefFoundError");
    }

    @Test
    void median_ofOddAndEvenSampleCounts() {
        assertThat(ColdStart.median(List.of(ms(30), ms(10), ms(20)))).isEqualTo(ms(20));
        assertThat(ColdStart.median(List.of(ms(40), ms(10), ms(20), ms(30)))).isEqualTo(ms(25));
    }

    @Test
    void coldStartTable_givesEachHandlerItsRatioToTheFloorOfTheSameConfiguration() {
        Map<String, Duration> fast = new LinkedHashMap<>();
        fast.put(Report.FLOOR, ms(200));
        fast.put("grant-processor", ms(500));
        Map<String, Map<String, Duration>> medians = new LinkedHashMap<>();
        medians.put("AppCDS", fast);

        String table = Report.coldStarts(medians, 3);

        assertThat(table).contains("| AppCDS | 200 ms | 500 ms (2.50x) |").contains("median of 3");
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
