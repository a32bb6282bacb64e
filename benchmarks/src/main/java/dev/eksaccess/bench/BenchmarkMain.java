package dev.eksaccess.bench;

import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The benchmark command: {@code java -jar benchmarks/target/benchmarks.jar [--reps N] [--latency-ms L] [--quick]
 * [--only cold|class-counts|phases|batch|warm|admin-lag|throughput|flood|cost,...] [--rate R] [--grants N] [--jvm all|lambda] [--functions-jar PATH] [--baseline-jar PATH]}, from the repository root. Prints, from one
 * run on this machine, the cold start of each handler against the emulators as a ratio to a trivial handler, under
 * up to four JVM configurations (the first is Lambda's own defaults; two add class-data sharing); the latency of a full batch with a slow EKS as a ratio
 * to one request; and the warm per-message work (JMH).
 */
public final class BenchmarkMain {

    /** Goals from the performance issues; the cold start's is a ratio to the SDK-alone reference (issue 14). */
    static final double COLD_START_GOAL = 1.25;
    static final double BATCH_GOAL = 1.5;
    static final double WARM_GOAL_MICROS = 1000;

    private BenchmarkMain() {
    }

    /** The JVM options of Lambda's {@code java21} runtime (its {@code JAVA_TOOL_OPTIONS} defaults). */
    static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    /** How the rows that start from {@link #LAMBDA_JVM_OPTIONS} are named. */
    private static final String LAMBDA_ROW = "Lambda java21 defaults";

    /** The first JDK whose {@code -XX:AOTCacheOutput} trains and writes an AOT cache in one run (JEP 514). */
    static final int AOT_CACHE_JDK = 25;

    /** The measurements, for {@code --only} ({@code admin-lag} for ADMIN_LAG). */
    enum Measurement { COLD, CLASS_COUNTS, PHASES, BATCH, WARM, ADMIN_LAG, THROUGHPUT, FLOOD, COST }

    /** Parsed command line. */
    record Options(int repetitions, Duration eksLatency, boolean quick, Path functionsJar, Set<Measurement> only,
                   boolean lambdaJvmOnly, Path baselineJar) {

        private static final String USAGE = "; options: --reps N, --latency-ms L, --quick, --only cold|class-counts|phases|batch|warm"
                + "|admin-lag|throughput|flood|cost[,...], --rate R, --grants N, --jvm all|lambda, --functions-jar PATH,"
                + " --baseline-jar PATH";

        static Options parse(String[] args) {
            int repetitions = 5;
            Duration latency = Duration.ofMillis(50);
            boolean quick = false;
            Path jar = null;
            Set<Measurement> only = EnumSet.allOf(Measurement.class);
            boolean lambdaJvmOnly = false;
            Path baseline = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--reps" -> repetitions = Integer.parseInt(args[++i]);
                    case "--latency-ms" -> latency = Duration.ofMillis(Long.parseLong(args[++i]));
                    case "--quick" -> quick = true;
                    case "--functions-jar" -> jar = Path.of(args[++i]);
                    case "--baseline-jar" -> baseline = Path.of(args[++i]);
                    case "--only" -> only = measurements(args[++i]);
                    case FleetBenchmarks.RATE, FleetBenchmarks.GRANTS -> i++; // FleetBenchmarks reads them
                    case "--jvm" -> lambdaJvmOnly = switch (args[++i]) {
                        case "all" -> false;
                        case "lambda" -> true;
                        default -> throw new IllegalArgumentException("unknown --jvm " + args[i] + USAGE);
                    };
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + USAGE);
                }
            }
            if (quick) {
                repetitions = 1;
            }
            return new Options(repetitions, latency, quick, jar != null ? jar : findFunctionsJar(), only,
                    lambdaJvmOnly, baseline);
        }

        private static Set<Measurement> measurements(String list) {
            Set<Measurement> chosen = EnumSet.noneOf(Measurement.class);
            for (String name : list.split(",")) {
                try {
                    chosen.add(Measurement.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown measurement " + name + USAGE, e);
                }
            }
            return chosen;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        System.out.println(Machine.describe());
        System.out.println("functions jar: " + options.functionsJar() + " (" + megabytes(options.functionsJar()) + ")");
        if (options.baselineJar() != null) {
            System.out.println("baseline jar: " + options.baselineJar() + " (" + megabytes(options.baselineJar()) + ")");
        }
        System.out.println("repetitions: " + options.repetitions() + ", EKS latency per call: "
                + options.eksLatency().toMillis() + " ms\n");

        Map<String, Report.Warm> warm = null;
        if (options.only().contains(Measurement.WARM)) {
            System.out.println("warm per-message work (JMH) ...");
            warm = warmPath(options.quick());
        }

        Path work = Files.createTempDirectory("eks-access-bench");
        try (BenchEnvironment env = BenchEnvironment.start()) {
            ColdStarts cold = null;
            if (options.only().contains(Measurement.COLD)) {
                System.out.println("cold starts ...");
                cold = coldStarts(env, options, work);
            }
            String classCounts = null;
            if (options.only().contains(Measurement.CLASS_COUNTS)) {
                System.out.println("classes loaded per cold start ...");
                classCounts = ClassCounts.report(ClassCounts.measure(new ColdStart(options.functionsJar(), work,
                        env.lambdaEnvironment()), lambdaConfig(), probesButTheFloor(env, work, 100_000), work),
                        Report.SDK_ALONE, lambdaConfig().name());
            }
            String phases = null;
            if (options.only().contains(Measurement.PHASES)) {
                System.out.println("phases of each cold start ...");
                phases = Phases.report(Phases.measure(new ColdStart(options.functionsJar(), work,
                        env.lambdaEnvironment(), true), lambdaConfig(), phaseProbes(env, work, 200_000)),
                        lambdaConfig().name());
            }
            BatchLatency.Result batch = null;
            if (options.only().contains(Measurement.BATCH)) {
                System.out.println("batch latency ...");
                batch = new BatchLatency(env).measure(options.eksLatency(), options.repetitions());
            }
            FleetBenchmarks fleet = new FleetBenchmarks(env, args, options.only(), options.functionsJar(), work);
            System.out.println();
            fleet.print();
            if (cold != null) {
                System.out.println(Report.coldStarts("Cold start: fresh JVM, handler built from the environment, one "
                        + "event against the emulators", cold.wall(), options.repetitions(), cold.archivedRows()));
                System.out.println(Report.coldStarts("Cold start, CPU time of the child (user + system, all threads, as "
                        + "it reported at its end)", cold.cpu(), options.repetitions(), cold.archivedRows()));
            }
            if (classCounts != null) {
                System.out.println(classCounts);
            }
            if (phases != null) {
                System.out.println(phases);
            }
            if (batch != null) {
                System.out.println(Report.batch(batch, options.repetitions()));
            }
            if (warm != null) {
                System.out.println(Report.warm(warm));
            }
            if (options.only().contains(Measurement.ADMIN_LAG)) {
                System.out.println(AdminLag.report(new AdminLag(env).measure()));
            }
            System.out.println("load average at the end: " + Machine.loadAverage());
        } finally {
            deleteRecursively(work);
        }
    }

    /**
     * Median cold starts per configuration and handler, the floor included: wall time and the child's CPU time; and
     * which configurations ran with a class-sharing archive or AOT cache.
     */
    record ColdStarts(Map<String, Map<String, Duration>> wall, Map<String, Map<String, Duration>> cpu,
                      Set<String> archivedRows) {
    }

    /** Median cold start per configuration and handler, the floor included. */
    static ColdStarts coldStarts(BenchEnvironment env, Options options, Path work) {
        ColdStart cold = new ColdStart(options.functionsJar(), work, env.lambdaEnvironment());
        ColdStart baseline = null;
        if (options.baselineJar() != null) {
            Path baselineWork = work.resolve("baseline");
            try {
                Files.createDirectories(baselineWork);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            baseline = new ColdStart(options.baselineJar(), baselineWork, env.lambdaEnvironment());
        }
        AtomicInteger sequence = new AtomicInteger();
        Map<String, Supplier<ColdStart.Run>> probes = probes(env, work, sequence);
        ColdStart.JvmConfig lambda = lambdaConfig();
        // One unmeasured run of each, so the first measured JVM does not pay for cold disk caches.
        probes.values().forEach(probe -> cold.runOnce(lambda, probe.get()));
        if (baseline != null) {
            ColdStart warmUp = baseline;
            probes.values().forEach(probe -> warmUp.runOnce(lambda, probe.get()));
        }
        if (options.lambdaJvmOnly()) {
            return samples(options, List.of(lambda), probes, cold, baseline);
        }

        List<ColdStart.JvmConfig> configs = new ArrayList<>(List.of(lambda,
                new ColdStart.JvmConfig("JVM defaults", List.of())));
        // Class-data sharing on top of Lambda's options, each archive written by a training run that runs every
        // probe once with the same options and class path.
        Path archive = work.resolve("functions.jsa");
        train(cold, lambda, "-XX:ArchiveClassesAtExit=" + archive, env, work, sequence.incrementAndGet());
        configs.add(withOption(lambda, "+ AppCDS (dynamic archive)", "-XX:SharedArchiveFile=" + archive));
        if (Runtime.version().feature() >= AOT_CACHE_JDK) {
            Path cache = work.resolve("functions.aot");
            train(cold, lambda, "-XX:AOTCacheOutput=" + cache, env, work, sequence.incrementAndGet());
            configs.add(withOption(lambda, "+ AOT cache (JDK " + AOT_CACHE_JDK + "+)", "-XX:AOTCache=" + cache));
        } else {
            System.out.println("AOT cache: not measured, this JDK is " + Runtime.version().feature()
                    + "; it needs JDK " + AOT_CACHE_JDK + " or newer");
        }
        return samples(options, configs, probes, cold, baseline);
    }

    /** The cold starts measured, by column name: the floor, SDK alone, then each function with a new event. */
    private static Map<String, Supplier<ColdStart.Run>> probes(BenchEnvironment env, Path work, AtomicInteger sequence) {
        Map<String, Supplier<ColdStart.Run>> probes = new LinkedHashMap<>();
        probes.put(Report.FLOOR, ColdStart::trivial);
        probes.put(Report.SDK_ALONE, () -> new ColdStart.Run(List.of("sdk-alone"), "sdk-alone item="));
        probes.put("cluster-creation", () -> creationRun(env, work, sequence.incrementAndGet()));
        probes.put("grant-processor", () -> grantRun(env, work, sequence.incrementAndGet()));
        probes.put("expiry-sweep", () -> new ColdStart.Run(List.of("sweep"), "\"outcome\":\"swept\""));
        probes.put(GRANT_IDS_KNOWN, () -> {
            ColdStart.Run grant = grantRun(env, work, sequence.incrementAndGet());
            return new ColdStart.Run(List.of("grant-ids-known", grant.arguments().get(1)), grant.expectedOutput());
        });
        return probes;
    }

    /**
     * The bound on the sender check's share: the grant processor with its senders' IAM ids given, asking IAM nothing
     * (not deployable: the check must ask IAM, docs/authorization.md). Its ratio to SDK alone is the lowest any cut
     * that keeps the SDK's clients and the check's other work could reach.
     */
    static final String GRANT_IDS_KNOWN = "grant-processor, senders' ids known (bound)";

    /** The probes but the floor, for a measurement of where a cold start's work goes; events numbered from {@code n}. */
    private static Map<String, Supplier<ColdStart.Run>> probesButTheFloor(BenchEnvironment env, Path work, int n) {
        Map<String, Supplier<ColdStart.Run>> probes = probes(env, work, new AtomicInteger(n));
        probes.remove(Report.FLOOR);
        return probes;
    }

    /**
     * The probes but the floor, then each function once more with its SnapStart priming hook run after the
     * construction: the event's phases then approximate what a restored function's first event costs.
     */
    private static Map<String, Supplier<ColdStart.Run>> phaseProbes(BenchEnvironment env, Path work, int n) {
        Map<String, Supplier<ColdStart.Run>> probes = probesButTheFloor(env, work, n);
        AtomicInteger sequence = new AtomicInteger(n + 50_000);
        probes.put("cluster-creation, primed (≈ first event after a SnapStart restore)", () -> primed(
                creationRun(env, work, sequence.incrementAndGet())));
        probes.put("grant-processor, primed (≈ first event after a SnapStart restore)", () -> primed(
                grantRun(env, work, sequence.incrementAndGet())));
        probes.put("expiry-sweep, primed (≈ first event after a SnapStart restore)", () -> primed(
                new ColdStart.Run(List.of("sweep"), "\"outcome\":\"swept\"")));
        return probes;
    }

    /** The same run with the function's priming hook run first: {@code creation} becomes {@code creation-primed}. */
    private static ColdStart.Run primed(ColdStart.Run run) {
        List<String> arguments = new ArrayList<>(run.arguments());
        arguments.set(0, arguments.get(0) + "-primed");
        return new ColdStart.Run(arguments, run.expectedOutput());
    }

    private static ColdStart.JvmConfig lambdaConfig() {
        return new ColdStart.JvmConfig(LAMBDA_ROW + " (" + String.join(" ", LAMBDA_JVM_OPTIONS) + ")",
                LAMBDA_JVM_OPTIONS);
    }

    /** {@code base} (Lambda's options) with one more option, named after it. */
    private static ColdStart.JvmConfig withOption(ColdStart.JvmConfig base, String suffix, String option) {
        List<String> options = new ArrayList<>(base.options());
        options.add(option);
        return new ColdStart.JvmConfig(LAMBDA_ROW + " " + suffix, options);
    }

    /** A training run: every probe once, in one JVM started with {@code base}'s options and {@code option}. */
    private static void train(ColdStart cold, ColdStart.JvmConfig base, String option, BenchEnvironment env, Path work,
                              int n) {
        ColdStart.Run creation = creationRun(env, work, n);
        ColdStart.Run grant = grantRun(env, work, n);
        cold.runOnce(withOption(base, "training", option),
                new ColdStart.Run(List.of("all", creation.arguments().get(1), grant.arguments().get(1)),
                        "sdk-alone item="));
    }

    /**
     * Configurations and handlers take turns within each repetition, so a change in the machine's load during the run
     * affects them all alike instead of favouring whichever ran last. With a baseline jar (an A/B comparison of two
     * builds), each configuration without a class-data-sharing archive (which is valid only for the jar that wrote
     * it) also runs on the baseline jar, in the same turn.
     */
    private static ColdStarts samples(Options options, List<ColdStart.JvmConfig> configs,
            Map<String, Supplier<ColdStart.Run>> probes, ColdStart cold, ColdStart baseline) {
        Map<String, Map<String, List<Duration>>> wall = new LinkedHashMap<>();
        Map<String, Map<String, List<Duration>>> cpu = new LinkedHashMap<>();
        for (int rep = 0; rep < options.repetitions(); rep++) {
            for (ColdStart.JvmConfig config : configs) {
                sample(wall, cpu, config.name(), config, probes, cold);
                if (baseline != null && !config.archived()) {
                    sample(wall, cpu, config.name() + ", baseline jar", config, probes, baseline);
                }
            }
        }
        Set<String> archived = new LinkedHashSet<>();
        configs.stream().filter(ColdStart.JvmConfig::archived).forEach(config -> archived.add(config.name()));
        return new ColdStarts(medians(wall), medians(cpu), archived);
    }

    private static void sample(Map<String, Map<String, List<Duration>>> wall,
                               Map<String, Map<String, List<Duration>>> cpu, String row, ColdStart.JvmConfig config,
                               Map<String, Supplier<ColdStart.Run>> probes, ColdStart cold) {
        probes.forEach((name, probe) -> {
            ColdStart.Timing timing = cold.runOnce(config, probe.get());
            wall.computeIfAbsent(row, k -> new LinkedHashMap<>()).computeIfAbsent(name, k -> new ArrayList<>())
                    .add(timing.wall());
            if (timing.cpu() != null) {
                cpu.computeIfAbsent(row, k -> new LinkedHashMap<>()).computeIfAbsent(name, k -> new ArrayList<>())
                        .add(timing.cpu());
            }
        });
    }

    private static Map<String, Map<String, Duration>> medians(Map<String, Map<String, List<Duration>>> samples) {
        Map<String, Map<String, Duration>> medians = new LinkedHashMap<>();
        samples.forEach((config, perHandler) -> {
            Map<String, Duration> median = new LinkedHashMap<>();
            perHandler.forEach((name, list) -> median.put(name, ColdStart.median(list)));
            medians.put(config, median);
        });
        return medians;
    }

    static ColdStart.Run creationRun(BenchEnvironment env, Path work, int n) {
        // The function verifies every event with DescribeCluster: the cluster exists, created about when the event says.
        env.eks().createCluster(dev.eksaccess.emulator.eks.ClusterSpec.builder("cold-" + n).accountId(env.account())
                .region(env.region()).activationDelay(java.time.Duration.ZERO).build());
        Path file = write(work.resolve("create-cluster-" + n + ".json"),
                SampleInputs.createClusterEvent(env.account(), env.region(), "cold-" + n));
        return new ColdStart.Run(List.of("creation", file.toString()), "\"outcome\":\"recorded\"");
    }

    static ColdStart.Run grantRun(BenchEnvironment env, Path work, int n) {
        Path file = write(work.resolve("grant-" + n + ".json"),
                SampleInputs.grantBody(env.account(), BenchEnvironment.CLUSTER, "cold-" + n));
        return new ColdStart.Run(List.of("grant", file.toString()), "\"outcome\":\"applied\"");
    }

    /** Runs {@link WarmPathBenchmark} in one forked JVM; microseconds per operation by benchmark method. */
    static Map<String, Report.Warm> warmPath(boolean quick) throws RunnerException {
        var jmh = new OptionsBuilder()
                .include(WarmPathBenchmark.class.getName() + "\\.")
                .forks(1)
                .warmupIterations(quick ? 1 : 5).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 1 : 5).measurementTime(TimeValue.seconds(1))
                .verbosity(VerboseMode.SILENT)
                .build();
        Map<String, Report.Warm> results = new LinkedHashMap<>();
        for (RunResult result : new Runner(jmh).run()) {
            String method = result.getParams().getBenchmark();
            var statistics = result.getPrimaryResult().getStatistics();
            results.put(method.substring(method.lastIndexOf('.') + 1), new Report.Warm(statistics.getPercentile(50),
                    statistics.getPercentile(90), statistics.getMean()));
        }
        return results;
    }

    /** {@code functions/target/functions-*-lambda.jar} in the repository that {@link RepositoryRoot} finds. */
    static Path findFunctionsJar() {
        Optional<Path> target = RepositoryRoot.find(RepositoryRoot.searchStart())
                .map(root -> root.resolve("functions").resolve("target")).filter(Files::isDirectory);
        if (target.isPresent()) {
            try (Stream<Path> files = Files.list(target.get())) {
                var jar = files.filter(f -> f.getFileName().toString().matches("functions-.*-lambda\\.jar"))
                        .findFirst();
                if (jar.isPresent()) {
                    return jar.get().toAbsolutePath().normalize();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("functions/target/functions-*-lambda.jar not found; build it first "
                + "(./mvnw -pl benchmarks -am package -DskipTests) and run from inside the repository, "
                + "or pass --functions-jar PATH");
    }

    static String megabytes(Path file) {
        try {
            return String.format(Locale.ROOT, "%.1f MB", Files.size(file) / 1_000_000.0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Where the figures come from. */
    static final class Machine {

        private Machine() {
        }

        static String describe() {
            String cpu = "unknown CPU";
            try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
                cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                        .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(cpu);
            } catch (IOException | UncheckedIOException e) {
                // Not Linux: the CPU stays unnamed.
            }
            return "machine: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs visible, "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                    + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.vendor") + "), "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "; load average: " + loadAverage();
        }

        /** The 1, 5 and 15 minute load averages: figures taken on a busy machine are slower and noisier. */
        static String loadAverage() {
            try {
                String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
                return fields[0] + " " + fields[1] + " " + fields[2];
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }
    }
}
