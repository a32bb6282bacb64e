package dev.eksaccess.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fleet measurements of {@link BenchmarkMain}: throughput at EKS's rate limit, the one-sender flood and the cost
 * per request and per idle month. Reads its own options, {@value #RATE} (R, default {@value #DEFAULT_RATE}) and
 * {@value #GRANTS} (default {@value #DEFAULT_GRANTS}); runs what {@code --only} chose when built, prints the tables with
 * {@link #print()}.
 */
final class FleetBenchmarks {

    static final String RATE = "--rate";
    static final String GRANTS = "--grants";
    static final double DEFAULT_RATE = 50;
    static final int DEFAULT_GRANTS = 2000;
    static final int CLUSTERS = 50;

    private final List<String> tables = new ArrayList<>();

    FleetBenchmarks(BenchEnvironment env, String[] args, Set<BenchmarkMain.Measurement> only, Path functionsJar,
                    Path work) {
        double rate = DEFAULT_RATE;
        int grants = DEFAULT_GRANTS;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(RATE)) {
                rate = Double.parseDouble(args[i + 1]);
            } else if (args[i].equals(GRANTS)) {
                grants = Integer.parseInt(args[i + 1]);
            }
        }
        if (only.contains(BenchmarkMain.Measurement.THROUGHPUT)) {
            tables.add(Throughput.table(new Throughput(env, rate, grants, CLUSTERS).measure()));
        }
        if (only.contains(BenchmarkMain.Measurement.FLOOD)) {
            tables.add(Flood.table(new Flood(env).measure()));
        }
        if (only.contains(BenchmarkMain.Measurement.COST)) {
            tables.add(Cost.table(new Cost(env, functionsJar, work).measure()));
        }
    }

    void print() {
        tables.forEach(System.out::println);
    }
}
