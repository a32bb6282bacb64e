package dev.eksaccess.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's measurement code on a tiny run: one fresh JVM with the trivial handler, no emulators. */
class ColdStartSmokeTest {

    @TempDir
    Path work;

    /** The Lambda core jar is all the trivial probe needs (its context included), so the smoke run needs no shaded jar. */
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
    void probeJar_holdsTheProbeAndTheLocalLambdaContextOnly() throws Exception {
        coldStart();

        try (ZipFile jar = new ZipFile(work.resolve("cold-start-probe.jar").toFile())) {
            assertThat(jar.stream().map(ZipEntry::getName)).containsExactlyInAnyOrder(
                    "dev/eksaccess/bench/probe/ColdStartProbe.class",
                    "dev/eksaccess/bench/probe/ColdStartProbe$StandardOutput.class",
                    "dev/eksaccess/bench/probe/ColdStartProbe$KnownIds.class",
                    "dev/eksaccess/bench/probe/TrivialHandler.class",
                    "dev/eksaccess/testsupport/LocalLambdaContext.class",
                    "dev/eksaccess/testsupport/LocalLambdaContext$LineLogger.class");
        }
    }

    @Test
    void phaseProbeJar_alsoHoldsThePhaseMarks_registeredAsTheSdksGlobalInterceptor() throws Exception {
        Path lambdaCore = Path.of(RequestHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        new ColdStart(lambdaCore, work, Map.of(), true);

        try (ZipFile jar = new ZipFile(work.resolve("phase-probe.jar").toFile())) {
            ZipEntry registration = jar.getEntry("software/amazon/awssdk/global/handlers/execution.interceptors");
            assertThat(new String(jar.getInputStream(registration).readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("dev.eksaccess.bench.probe.PhaseMarks\n");
            assertThat(jar.getEntry("dev/eksaccess/bench/probe/PhaseMarks.class")).isNotNull();
        }
        assertThat(work.resolve("cold-start-probe.jar")).as("the timed runs' jar is not written").doesNotExist();
    }

    @Test
    void runOnce_failsWithTheChildsOutput_whenTheProbeFails() throws URISyntaxException {
        ColdStart coldStart = coldStart();

        assertThatThrownBy(() -> coldStart.runOnce(new ColdStart.JvmConfig("default", List.of()),
                new ColdStart.Run(List.of("sweep"), "swept")))
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
        Map<String, Map<String, Duration>> medians = new LinkedHashMap<>();
        medians.put("plain", handlers(ms(100), ms(600)));
        medians.put("AppCDS", handlers(ms(200), ms(500)));

        String table = Report.coldStarts("Cold start", medians, 3, Set.of("AppCDS"));

        assertThat(table)
                .contains("| plain | 100 ms | 600 ms (6.00x) |")
                .as("an archived row also gets its ratio to the first row's floor")
                .contains("| AppCDS | 200 ms | 500 ms (2.50x; 5.00x) |")
                .contains("median of 3")
                .contains("second ratio is to the floor of the first row");
    }

    @Test
    void jvmConfig_isArchivedWhenItReadsAnArchiveOrAnAotCache() {
        assertThat(new ColdStart.JvmConfig("a", List.of("-XX:SharedArchiveFile=x.jsa")).archived()).isTrue();
        assertThat(new ColdStart.JvmConfig("b", List.of("-XX:AOTCache=x.aot")).archived()).isTrue();
        assertThat(new ColdStart.JvmConfig("c", List.of("-XX:AOTCacheOutput=x.aot")).archived())
                .as("the training run writes a cache, it does not read one").isFalse();
        assertThat(new ColdStart.JvmConfig("d", List.of("-XX:TieredStopAtLevel=1")).archived()).isFalse();
    }

    private static Map<String, Duration> handlers(Duration floor, Duration grant) {
        Map<String, Duration> row = new LinkedHashMap<>();
        row.put(Report.FLOOR, floor);
        row.put("grant-processor", grant);
        return row;
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
