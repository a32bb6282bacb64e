package dev.eksaccess.bench;

import dev.eksaccess.bench.probe.ColdStartProbe;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the system costs, from figures measured in this run: each function's peak resident set size (a cold start
 * handling one event, Lambda's JVM options), which sets its memory size; the grant processor's billed durations, SQS
 * requests and DynamoDB request units for {@value #GRANTS} grants through {@link FleetRig} (no EKS limit); and the
 * expiry sweep's duration and DynamoDB units for a run that finds nothing due. Priced with {@link Prices}.
 */
final class Cost {

    static final int GRANTS = 1000;
    private static final int SWEEP_RUNS = 30;
    /** Minutes in a 30-day month: the sweep runs every minute. */
    private static final int MINUTES_PER_MONTH = 30 * 24 * 60;
    /**
     * SQS requests of an idle event source mapping per month: Lambda long-polls an SQS queue with five pollers at
     * first, each ReceiveMessage waiting up to 20 s, so about 5 × 3 a minute (an assumption stated in performance.md).
     */
    private static final long IDLE_POLLING_REQUESTS = 5L * 3 * MINUTES_PER_MONTH;

    /**
     * Published on-demand prices, US East (N. Virginia), without free tiers. Looked up 2026-12-03: Lambda from
     * aws.amazon.com/lambda/pricing (and a 2024 breakdown of it, cloudchipr.com/blog/aws-lambda-pricing: first tier
     * of duration); SQS standard queue, per request of up to 64 KB, after the first million free; DynamoDB on-demand
     * after the price cut of 2024-11-01 (aws.amazon.com/blogs/aws/amazon-dynamodb-on-demand..., updated 2025-01-31;
     * airbyte.com/data-engineering-resources/dynamodb-pricing, 2025-07-21).
     */
    static final class Prices {
        static final double LAMBDA_REQUEST = 0.20 / 1e6;
        static final double LAMBDA_GB_SECOND_ARM64 = 0.0000133334;
        static final double LAMBDA_GB_SECOND_X86 = 0.0000166667;
        static final double SQS_REQUEST = 0.40 / 1e6;
        static final double DYNAMODB_WRU = 0.625 / 1e6;
        static final double DYNAMODB_RRU = 0.125 / 1e6;

        private Prices() {
        }
    }

    /** A function's measured peak RSS and the memory size it sets. */
    record Memory(String function, long peakRssKb, int memoryMb, int deployedMb) {
    }

    /** One line of a bill: what, how many, and what it costs on arm64 and x86. */
    record Line(String item, String quantity, double arm64, double x86) {
    }

    record Result(List<Memory> memory, List<Line> perThousandGrants, List<Line> idleMonth, String notes) {
    }

    private final BenchEnvironment env;
    private final Path functionsJar;
    private final Path work;

    Cost(BenchEnvironment env, Path functionsJar, Path work) {
        this.env = env;
        this.functionsJar = functionsJar;
        this.work = work;
    }

    /**
     * Memory size from peak RSS: 25 % headroom, rounded up to 64 MB, at least Lambda's 128 MB. A JVM's RSS grows with
     * the heap it is allowed; Lambda sizes the heap from the memory size, so this is a floor to load-test, not a
     * guarantee.
     */
    static int memorySizeMb(long peakRssKb) {
        double mb = peakRssKb * 1.25 / 1024;
        return (int) Math.max(128, Math.ceil(mb / 64) * 64);
    }

    Result measure() {
        System.out.println("cost: peak RSS per function ...");
        ColdStart cold = new ColdStart(functionsJar, work, env.lambdaEnvironment());
        List<String> options = new ArrayList<>(BenchmarkMain.LAMBDA_JVM_OPTIONS);
        options.add("-D" + ColdStartProbe.REPORT_RSS_PROPERTY + "=true");
        ColdStart.JvmConfig lambda = new ColdStart.JvmConfig("Lambda java21 defaults", options);
        Map<String, ColdStart.Run> runs = new LinkedHashMap<>();
        runs.put("cluster-creation", BenchmarkMain.creationRun(env, work, 9001));
        runs.put("grant-processor", BenchmarkMain.grantRun(env, work, 9001));
        runs.put("expiry-sweep", new ColdStart.Run(List.of("sweep"), "\"outcome\":\"swept\""));
        Map<String, Integer> deployed = Map.of("cluster-creation", 512, "grant-processor", 1024, "expiry-sweep", 512);
        List<Memory> memory = new ArrayList<>();
        runs.forEach((function, run) -> {
            long rss = cold.runOnce(lambda, run).peakRssKb();
            memory.add(new Memory(function, rss, memorySizeMb(rss), deployed.get(function)));
        });
        double processorGb = memory.get(1).memoryMb() / 1024.0;
        double sweepGb = memory.get(2).memoryMb() / 1024.0;

        System.out.println("cost: " + GRANTS + " grants ...");
        List<Line> grants = new ArrayList<>();
        String notes;
        try (FleetRig rig = new FleetRig(env, "cost", null, FleetBenchmarks.CLUSTERS, Throughput.INSTANCES,
                (builder, i) -> builder.build()).start()) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < GRANTS; i++) {
                bodies.add(SampleInputs.grantBody(env.account(), rig.clusters().get(i % rig.clusters().size()),
                        "cost-" + i));
            }
            var sent = rig.send(rig.team(), bodies);
            if (!rig.awaitFinal(sent.stream().map(FleetRig.Sent::messageId).toList(), java.time.Duration.ofMinutes(15))) {
                throw new IllegalStateException("the cost run's grants did not all end");
            }
            List<Double> invocations = rig.invocationMillis();
            double billedSeconds = invocations.stream().mapToDouble(ms -> Math.ceil(ms) / 1000).sum();
            grants.add(new Line("Lambda requests (grant processor invocations)", invocations.size() + "",
                    invocations.size() * Prices.LAMBDA_REQUEST, invocations.size() * Prices.LAMBDA_REQUEST));
            grants.add(new Line(String.format(Locale.ROOT, "Lambda duration at %d MB (billed, mean %.0f ms per "
                    + "invocation)", memory.get(1).memoryMb(), billedSeconds * 1000 / invocations.size()),
                    String.format(Locale.ROOT, "%.1f GB-s", billedSeconds * processorGb),
                    billedSeconds * processorGb * Prices.LAMBDA_GB_SECOND_ARM64,
                    billedSeconds * processorGb * Prices.LAMBDA_GB_SECOND_X86));
            long sqsRequests = GRANTS + rig.sqsCalls().total();
            grants.add(new Line("SQS requests (" + GRANTS + " sends + " + rig.sqsCalls().calls() + ")", sqsRequests + "",
                    sqsRequests * Prices.SQS_REQUEST, sqsRequests * Prices.SQS_REQUEST));
            addDynamo(grants, rig.dynamoCalls());
            grants.add(total(grants));

            System.out.println("cost: idle sweeps ...");
            long before = rig.dynamoCalls().total();
            double readsBefore = rig.dynamoCalls().readUnits();
            var sweep = rig.sweep(Clock.systemUTC(), line -> { });
            List<Double> sweepMillis = new ArrayList<>();
            for (int i = 0; i < SWEEP_RUNS; i++) {
                long started = System.nanoTime();
                sweep.handleRequest(null, null);
                sweepMillis.add((System.nanoTime() - started) / 1e6);
            }
            double sweepCalls = (rig.dynamoCalls().total() - before) / (double) SWEEP_RUNS;
            double sweepReads = (rig.dynamoCalls().readUnits() - readsBefore) / SWEEP_RUNS;
            double sweepBilledSeconds = sweepMillis.subList(SWEEP_RUNS / 3, SWEEP_RUNS).stream()
                    .mapToDouble(ms -> Math.ceil(ms) / 1000).average().orElseThrow();
            List<Line> idle = new ArrayList<>();
            idle.add(new Line("Lambda requests (expiry sweep, every minute)", MINUTES_PER_MONTH + "",
                    MINUTES_PER_MONTH * Prices.LAMBDA_REQUEST, MINUTES_PER_MONTH * Prices.LAMBDA_REQUEST));
            double sweepGbSeconds = MINUTES_PER_MONTH * sweepBilledSeconds * sweepGb;
            idle.add(new Line(String.format(Locale.ROOT, "Lambda duration at %d MB (warm run finding nothing due, "
                    + "%.0f ms billed)", memory.get(2).memoryMb(), sweepBilledSeconds * 1000),
                    String.format(Locale.ROOT, "%.0f GB-s", sweepGbSeconds),
                    sweepGbSeconds * Prices.LAMBDA_GB_SECOND_ARM64, sweepGbSeconds * Prices.LAMBDA_GB_SECOND_X86));
            double reads = sweepReads * MINUTES_PER_MONTH;
            idle.add(new Line(String.format(Locale.ROOT, "DynamoDB reads of the sweep (%.1f queries a run)", sweepCalls),
                    String.format(Locale.ROOT, "%.0f RRU", reads), reads * Prices.DYNAMODB_RRU,
                    reads * Prices.DYNAMODB_RRU));
            idle.add(new Line("SQS requests of the idle event source mapping (assumed: 5 pollers, 20 s long polls)",
                    IDLE_POLLING_REQUESTS + "", IDLE_POLLING_REQUESTS * Prices.SQS_REQUEST,
                    IDLE_POLLING_REQUESTS * Prices.SQS_REQUEST));
            idle.add(new Line("reconciliation (none is deployed)", "0", 0, 0));
            idle.add(total(idle));
            notes = "sweep runs timed: " + SWEEP_RUNS + " (the first third dropped as warm-up)";
            return new Result(memory, grants, idle, notes);
        }
    }

    private static void addDynamo(List<Line> lines, ApiCounter calls) {
        lines.add(new Line("DynamoDB writes (requests: " + calls.calls() + ")", String.format(Locale.ROOT, "%.0f WRU",
                calls.writeUnits()), calls.writeUnits() * Prices.DYNAMODB_WRU, calls.writeUnits() * Prices.DYNAMODB_WRU));
        lines.add(new Line("DynamoDB reads", String.format(Locale.ROOT, "%.1f RRU", calls.readUnits()),
                calls.readUnits() * Prices.DYNAMODB_RRU, calls.readUnits() * Prices.DYNAMODB_RRU));
    }

    private static Line total(List<Line> lines) {
        return new Line("**total**", "", lines.stream().mapToDouble(Line::arm64).sum(),
                lines.stream().mapToDouble(Line::x86).sum());
    }

    static String table(Result result) {
        StringBuilder out = new StringBuilder();
        out.append("Memory: peak RSS of a cold start handling one event (Lambda's JVM options); memory size = RSS + 25 %,"
                + " rounded up to 64 MB, at least 128 MB\n\n| function | peak RSS | memory size | deployed today |\n"
                + "| --- | ---: | ---: | ---: |\n");
        for (Memory m : result.memory()) {
            out.append(String.format(Locale.ROOT, "| %s | %.0f MB | %d MB | %d MB |%n", m.function(),
                    m.peakRssKb() / 1024.0, m.memoryMb(), m.deployedMb()));
        }
        out.append(String.format(Locale.ROOT, "%nCost of %d grant requests (us-east-1 on-demand prices, no free tier; "
                + "Lambda $%.10f/GB-s arm64, $%.10f/GB-s x86, $0.20 per 1M requests; SQS $0.40 per 1M; DynamoDB "
                + "$0.625 per 1M WRU, $0.125 per 1M RRU)%n%n", GRANTS, Prices.LAMBDA_GB_SECOND_ARM64,
                Prices.LAMBDA_GB_SECOND_X86));
        lines(out, result.perThousandGrants());
        out.append("\nCost of one idle month (30 days: the sweep every minute, no request)\n\n");
        lines(out, result.idleMonth());
        out.append("\n").append(result.notes()).append("\n");
        return out.toString();
    }

    private static void lines(StringBuilder out, List<Line> lines) {
        out.append("| item | quantity | arm64 | x86 |\n| --- | ---: | ---: | ---: |\n");
        for (Line line : lines) {
            out.append(String.format(Locale.ROOT, "| %s | %s | $%.4f | $%.4f |%n", line.item(), line.quantity(),
                    line.arm64(), line.x86()));
        }
    }
}
