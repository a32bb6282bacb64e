package dev.eksaccess.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** Renders the figures as Markdown tables, ready for docs/performance.md, each with its goal. */
final class Report {

    /** The row key of the trivial handler's cold start. */
    static final String FLOOR = "floor (trivial handler)";
    /** The row key of the reference run: the AWS SDK alone, one client and one call, no handler. */
    static final String SDK_ALONE = "SDK alone (1 DynamoDB call)";

    private Report() {
    }

    /**
     * One row per JVM configuration: the floor, then each handler's median, its ratio to the floor measured with the
     * same configuration and, for a function, its ratio to {@link #SDK_ALONE} of the same configuration (the goal's
     * reference: a function should cost at most {@link BenchmarkMain#COLD_START_GOAL} times what building one SDK client
     * and making one call costs). Rows in {@code archivedRows} (a class-sharing archive or AOT cache) get a second ratio,
     * to the first row's floor: an archive makes the trivial handler itself slower (the JVM maps the archive and, for
     * an AOT cache, loads every class in it at start), so the ratio to their own floor alone would flatter them.
     */
    static String coldStarts(String title, Map<String, Map<String, Duration>> medians, int repetitions,
                             Set<String> archivedRows) {
        if (medians.isEmpty()) {
            return title + ": not reported\n";
        }
        StringBuilder out = new StringBuilder(title + "; median of " + repetitions + "; ratio to the floor; for a "
                + "function, \"SDK\" is its ratio to " + SDK_ALONE + " in the same row (goal <= "
                + format(BenchmarkMain.COLD_START_GOAL) + "x)");
        Map<String, Duration> first = medians.values().iterator().next();
        Duration referenceFloor = first.get(FLOOR);
        if (medians.keySet().stream().anyMatch(archivedRows::contains)) {
            out.append("; with an archive, the second ratio is to the floor of the first row, without one");
        }
        out.append("\n\n");
        out.append(header("JVM options", first.keySet()));
        medians.forEach((config, perHandler) -> {
            Duration floor = perHandler.get(FLOOR);
            Duration sdkAlone = perHandler.get(SDK_ALONE);
            boolean archived = archivedRows.contains(config);
            StringJoiner row = new StringJoiner(" | ", "| ", " |\n").add(config);
            perHandler.forEach((name, median) -> row.add(name.equals(FLOOR) ? millis(median)
                    : millis(median) + " (" + format(ratio(median, floor)) + "x"
                    + (archived ? "; " + format(ratio(median, referenceFloor)) + "x" : "")
                    + (name.equals(SDK_ALONE) || sdkAlone == null ? "" : "; SDK " + format(ratio(median, sdkAlone)) + "x")
                    + ")"));
            out.append(row);
        });
        return out.toString();
    }

    /** A Markdown table's header and rule: a left-aligned first column, then right-aligned figure columns. */
    static String header(String firstColumn, java.util.Collection<String> columns) {
        StringJoiner header = new StringJoiner(" | ", "| ", " |\n").add(firstColumn);
        StringJoiner rule = new StringJoiner(" | ", "| ", " |\n").add("---");
        columns.forEach(name -> {
            header.add(name);
            rule.add("---:");
        });
        return header.toString() + rule;
    }

    static String batch(BatchLatency.Result result, int repetitions) {
        StringBuilder out = new StringBuilder("Batch latency: the EKS emulator adds "
                + result.latencyPerCall().toMillis()
                + " ms to each of the " + result.eksCallsPerRequest() + " EKS calls of one grant; median of "
                + repetitions + "; ratio of a " + result.batchSize() + "-message batch of independent grants to one "
                + "request through the same wiring (goal <= " + format(BenchmarkMain.BATCH_GOAL) + "x)\n\n"
                + "| wiring | one request (critical path) | " + result.batchSize() + "-message batch | ratio |\n"
                + "| --- | ---: | ---: | ---: |\n");
        result.rows().forEach(row -> out.append("| ").append(row.wiring()).append(" | ").append(millis(row.single()))
                .append(" | ").append(millis(row.batch())).append(" | ").append(format(row.ratio())).append("x |\n"));
        return out.toString();
    }

    /** One warm benchmark's sampled time per operation, in microseconds. */
    record Warm(double median, double p90, double mean) {
    }

    static String warm(Map<String, Warm> microsPerOperation) {
        StringBuilder out = new StringBuilder("Warm per-message work (JMH sample time, ports in memory; goal <= "
                + format(BenchmarkMain.WARM_GOAL_MICROS) + " us per message)\n\n"
                + "| benchmark | median us/op | p90 us/op | mean us/op |\n| --- | ---: | ---: | ---: |\n");
        microsPerOperation.forEach((name, warm) -> out.append("| ").append(name).append(" | ")
                .append(format(warm.median())).append(" | ").append(format(warm.p90())).append(" | ")
                .append(format(warm.mean())).append(" |\n"));
        return out.toString();
    }

    static double ratio(Duration value, Duration base) {
        return (double) value.toNanos() / base.toNanos();
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
