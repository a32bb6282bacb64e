package dev.eksaccess.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A printed seed must reproduce a failure: the generators must draw the same inputs for a seed in every JVM. Drawing
 * from the iteration order of {@code Set.of} or {@code Map.of}, which changes with every JVM start, breaks that
 * without failing any property, so this runs the generators in two fresh JVMs and compares what they drew.
 */
class SeedReproducibilityTest {

    private static final long SEED = 20261128L;
    private static final int TRIES = 300;

    @Test
    void oneSeed_drawsTheSameInputs_inTwoFreshJvmsAndThisOne() throws Exception {
        List<String> first = drawInFreshJvm();
        List<String> second = drawInFreshJvm();
        List<String> here = GeneratedInputs.digests(SEED, TRIES).entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue()).toList();

        assertThat(first).hasSize(GeneratedInputs.GENERATORS.size());
        assertThat(second).as("a second JVM").isEqualTo(first);
        assertThat(here).as("this JVM").isEqualTo(first);
    }

    private static List<String> drawInFreshJvm() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                GeneratedInputs.class.getName(), Long.toString(SEED), Integer.toString(TRIES))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the generator JVM ended").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(line -> line.contains("=")).toList();
    }
}
