package dev.eksaccess.bench;

import dev.eksaccess.bench.probe.ColdStartProbe;
import dev.eksaccess.bench.probe.PhaseMarks;
import dev.eksaccess.bench.probe.TrivialHandler;
import dev.eksaccess.testsupport.LocalLambdaContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Measures cold starts: each run is a fresh JVM ({@code java -cp FUNCTIONS_JAR:PROBE_JAR}) that runs
 * {@link ColdStartProbe}, timed from process start to exit, so it includes JVM start, class loading, handler
 * construction, one event and JVM exit, as a Lambda cold start does (apart from the runtime's own bootstrap).
 *
 * <p>The probe classes go in a small jar of their own rather than a directory, because class-data-sharing archives
 * accept only jars on the class path. With them goes test-support's {@link LocalLambdaContext}, the Lambda context of
 * every local invocation, which needs nothing beyond the Lambda core library the functions jar already holds; the
 * rest of test-support (emulators, SDK clients) stays off the child's class path, which is the function's own.
 */
final class ColdStart {

    /** How long one cold start may take before the benchmark gives up on it. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    /** A way of starting the JVM, e.g. with {@code -XX:TieredStopAtLevel=1}. */
    record JvmConfig(String name, List<String> options) {
        JvmConfig {
            options = List.copyOf(options);
        }

        /** Whether it reads a class-data-sharing archive or AOT cache, which is valid only for the jar that wrote it. */
        boolean archived() {
            return options.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile") || o.startsWith("-XX:AOTCache="));
        }
    }

    /** The probe's arguments for one run, and text its output must contain for the run to count. */
    record Run(List<String> arguments, String expectedOutput) {
        Run {
            arguments = List.copyOf(arguments);
        }
    }

    /**
     * One cold start: wall time from process start to exit, the CPU time the child reported (null: unknown), and its
     * peak resident set size in kB when it was asked to report it (-1: not reported).
     */
    record Timing(Duration wall, Duration cpu, long peakRssKb) {
    }

    private final Path java;
    private final String classPath;
    private final Map<String, String> environment;

    /**
     * @param functionsJar the functions' shaded jar, exactly as deployed
     * @param workDirectory where the probe jar is written
     * @param environment   the child JVM's whole environment (nothing is inherited but PATH)
     */
    ColdStart(Path functionsJar, Path workDirectory, Map<String, String> environment) {
        this(functionsJar, workDirectory, environment, false);
    }

    /**
     * @param phaseMarks whether the probe jar also holds {@link PhaseMarks}, registered as the SDK's global
     *                   interceptor: only for the per-phase measurement ({@link Phases}), never for timed runs
     */
    ColdStart(Path functionsJar, Path workDirectory, Map<String, String> environment, boolean phaseMarks) {
        this.java = currentJava();
        this.classPath = functionsJar.toAbsolutePath() + File.pathSeparator
                + writeProbeJar(workDirectory.resolve(phaseMarks ? "phase-probe.jar" : "cold-start-probe.jar"),
                        phaseMarks).toAbsolutePath();
        this.environment = Map.copyOf(environment);
    }

    /** The run that only starts a JVM and calls a handler that does nothing: the floor. */
    static Run trivial() {
        return new Run(List.of("trivial"), ColdStartProbe.RESULT + "ok");
    }

    /**
     * Runs one cold start and returns how long it took, in wall and CPU time.
     *
     * @throws IllegalStateException with the child's output when it failed or did not print {@code expectedOutput}
     */
    Timing runOnce(JvmConfig config, Run run) {
        Output output = run(config, run);
        String text = output.text();
        return new Timing(output.took(), cpuTime(text), text.lines()
                .filter(line -> line.startsWith(ColdStartProbe.PEAK_RSS))
                .mapToLong(line -> Long.parseLong(line.substring(ColdStartProbe.PEAK_RSS.length()).trim()))
                .reduce((first, last) -> last).orElse(-1));
    }

    /** What one cold start printed (standard output and error), and its wall time. */
    record Output(String text, Duration took) {
    }

    /**
     * Runs one cold start and returns what it printed.
     *
     * @throws IllegalStateException with the child's output when it failed or did not print {@code expectedOutput}
     */
    Output run(JvmConfig config, Run run) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(config.options());
        command.add("-cp");
        command.add(classPath);
        command.add(ColdStartProbe.class.getName());
        command.addAll(run.arguments());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        String path = builder.environment().get("PATH");
        builder.environment().clear();
        if (path != null) {
            builder.environment().put("PATH", path);
        }
        builder.environment().putAll(environment);
        try {
            long started = System.nanoTime();
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("cold start did not finish within " + RUN_TIMEOUT + ": " + command);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || !text.contains(run.expectedOutput())) {
                throw new IllegalStateException("cold start " + run.arguments() + " with " + config.name()
                        + " failed (exit " + process.exitValue() + ", expected output containing "
                        + run.expectedOutput() + "):\n" + lastLines(text, 30));
            }
            return new Output(text, took);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + java, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing a cold start", e);
        }
    }

    /** The CPU time on the probe's last line, or null when it did not report one. */
    static Duration cpuTime(String output) {
        return output.lines().filter(line -> line.startsWith(ColdStartProbe.CPU))
                .map(line -> Long.parseLong(line.substring(ColdStartProbe.CPU.length()).trim()))
                .filter(nanos -> nanos >= 0).map(Duration::ofNanos).reduce((first, last) -> last).orElse(null);
    }

    /** The median; for an even count, the mean of the two middle values. */
    static Duration median(List<Duration> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Duration> sorted = samples.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle)
                : sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2);
    }

    /** The java executable running this JVM, so children run on the same JDK. */
    private static Path currentJava() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /**
     * Copies the probe's classes, member classes included, from this class path into a jar of their own; with
     * {@code phaseMarks}, also {@link PhaseMarks} and the file that registers it with the SDK.
     */
    private static Path writeProbeJar(Path jar, boolean phaseMarks) {
        Deque<Class<?>> pending = new ArrayDeque<>(
                List.of(ColdStartProbe.class, TrivialHandler.class, LocalLambdaContext.class));
        if (phaseMarks) {
            pending.add(PhaseMarks.class);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            if (phaseMarks) {
                out.putNextEntry(new JarEntry(PhaseMarks.REGISTRATION));
                out.write((PhaseMarks.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            List<String> written = new ArrayList<>();
            while (!pending.isEmpty()) {
                Class<?> type = pending.removeFirst();
                String entry = type.getName().replace('.', '/') + ".class";
                if (written.contains(entry)) {
                    continue;
                }
                pending.addAll(List.of(type.getDeclaredClasses()));
                try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    if (in == null) {
                        throw new IllegalStateException("class file not found: " + entry);
                    }
                    out.putNextEntry(new JarEntry(entry));
                    in.transferTo(out);
                    out.closeEntry();
                }
                written.add(entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + jar, e);
        }
        return jar;
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
