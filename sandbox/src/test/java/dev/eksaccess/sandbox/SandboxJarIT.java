package dev.eksaccess.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as a newcomer runs it ({@code java -jar sandbox/target/sandbox.jar}): it starts (main class, merged
 * Pekko configuration), and standard output carries the report alone, so {@code --json} output can be piped.
 */
class SandboxJarIT {

    private static final Path REPO = RepositoryRoot.locate();
    private static final Path JAR = REPO.resolve("sandbox/target/sandbox.jar");

    @TempDir
    Path dir;

    @Test
    void jar_playsAnEventAndPrintsOnlyTheJsonReportOnStandardOutput() throws Exception {
        Result result = java("--json", "--cluster-delay", "PT0S",
                REPO.resolve("events/cloudtrail/create-cluster/iam-user.json").toString());

        assertThat(result.status()).as(result.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertThat(report.get("events").get(0).get("outcome").asText()).isEqualTo("recorded");
        assertThat(report.get("clusters")).hasSize(1);
        assertThat(result.err()).contains("[test-support] emulated AWS");
    }

    @Test
    void jar_refusesAMissingFileWithOneLineAndStatusTwo() throws Exception {
        Path missing = dir.resolve("missing.json");

        Result result = java(missing.toString());

        assertThat(result.status()).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(result.err().strip()).isEqualTo("sandbox: cannot play " + missing + " does not exist");
        assertThat(result.out()).isEmpty();
    }

    private record Result(int status, String out, String err) {
    }

    private Result java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-D" + RepositoryRoot.PROPERTY + "=" + REPO.toAbsolutePath());
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the sandbox jar did not finish within 3 minutes: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
