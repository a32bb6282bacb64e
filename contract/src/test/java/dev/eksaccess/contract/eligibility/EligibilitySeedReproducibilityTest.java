package dev.eksaccess.contract.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The eligibility generators draw the same inputs for a seed in another JVM, so that the seed a failing property
 * prints reproduces it. A generator that drew from the order of a {@code Set.of} or {@code Map.of} (or of a parsed
 * document's map, as the tag selectors once were) would draw otherwise in a JVM started anew.
 */
class EligibilitySeedReproducibilityTest {

    @Test
    void aSeed_drawsTheSameInputs_inAFreshJvm() throws Exception {
        long seed = Tries.FIXED_SEED;
        int tries = 200;
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DrawnInputs.class.getName(), Long.toString(seed),
                Integer.toString(tries)).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).as("the other JVM ended").isTrue();
        assertThat(jvm.exitValue()).as(output).isZero();
        List<String> there = output.lines().filter(line -> line.contains("=")).toList();
        assertThat(there).hasSize(5).isEqualTo(DrawnInputs.digests(seed, tries));
    }
}
