package dev.eksaccess.bench;

import dev.eksaccess.bench.probe.ColdStartProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Where one cold start's classes and CPU time go, phase by phase (issue 14): each probe runs once more with Lambda's
 * options, its class-load log on standard output, and marks between phases (the probe's own around the handler's
 * construction and its event, {@link dev.eksaccess.bench.probe.PhaseMarks} around every AWS SDK call). A phase is
 * what happened between two marks: the classes first loaded there and the process's CPU time spent. Class counts are
 * deterministic; the CPU times are one run's and, on a shared machine, noisy.
 */
final class Phases {

    /** {@code -Dbench.phase-logs=DIR}: also keep each run's output (every class it loaded, in order) in DIR. */
    static final String KEEP_LOGS_PROPERTY = "bench.phase-logs";

    private static final String LOAD_TAG = "[class,load] ";
    private static final String FIRST = "JVM start, the probe, reading the event";

    /**
     * One phase: its name, the classes first loaded in it by group, the CPU time it took, and whether it is part of
     * handling the event (after the handler's construction and any priming).
     */
    record Phase(String name, Map<String, Integer> classes, long cpuNanos, boolean event) {
        int total() {
            return classes.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private Phases() {
    }

    /** Runs each probe once with {@code config}, the class log and the phase marks; its phases, by probe. */
    static Map<String, List<Phase>> measure(ColdStart phaseCold, ColdStart.JvmConfig config,
                                            Map<String, Supplier<ColdStart.Run>> probes) {
        List<String> options = new ArrayList<>(config.options());
        options.add("-Xlog:class+load=info:stdout");
        options.add("-D" + ColdStartProbe.PHASES_PROPERTY + "=true");
        ColdStart.JvmConfig marked = new ColdStart.JvmConfig(config.name() + ", class log and phase marks", options);
        Map<String, List<Phase>> byProbe = new LinkedHashMap<>();
        String keep = System.getProperty(KEEP_LOGS_PROPERTY);
        probes.forEach((name, probe) -> {
            String text = phaseCold.run(marked, probe.get()).text();
            if (keep != null) {
                Path file = Path.of(keep, name.replaceAll("[^A-Za-z0-9-]+", "_") + ".log");
                try {
                    Files.writeString(file, text);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file, e);
                }
            }
            byProbe.put(name, parse(text.lines().toList()));
        });
        return byProbe;
    }

    /**
     * The phases of one run's output: class-load lines and phase marks, in the order written. Ends at the probe's
     * {@value ColdStartProbe#DONE} mark (printing the result and leaving the JVM are not a phase of the function).
     */
    static List<Phase> parse(List<String> lines) {
        List<Phase> phases = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> classes = new TreeMap<>();
        String name = FIRST;
        long cpuBefore = 0;
        String lastCall = null;
        boolean constructed = false;
        boolean handling = false;
        for (String line : lines) {
            int tag = line.indexOf(LOAD_TAG);
            if (tag >= 0) {
                String rest = line.substring(tag + LOAD_TAG.length());
                int space = rest.indexOf(' ');
                String className = space < 0 ? rest : rest.substring(0, space);
                if (!className.isEmpty() && seen.add(className)) {
                    classes.merge(ClassCounts.group(className), 1, Integer::sum);
                }
                continue;
            }
            if (!line.startsWith(ColdStartProbe.PHASE)) {
                continue;
            }
            String[] mark = line.substring(ColdStartProbe.PHASE.length()).split(" ", 2);
            long cpu = Long.parseLong(mark[0]);
            String next = mark[1];
            phases.add(new Phase(name, classes, cpu - cpuBefore, handling));
            classes = new TreeMap<>();
            cpuBefore = cpu;
            if (next.equals(ColdStartProbe.DONE)) {
                return phases;
            }
            // AWS calls after the construction but before the event are the priming's (a primed probe's).
            String priming = constructed && !handling ? "priming, " : "";
            if (next.equals(ColdStartProbe.CONSTRUCT)) {
                name = "init: the handler's construction (configuration, SDK clients)";
                constructed = true;
            } else if (next.equals(ColdStartProbe.HANDLE)) {
                name = "own code before the first AWS call (parse, ...)";
                handling = true;
            } else if (next.startsWith(ColdStartProbe.CALL_BEGIN)) {
                lastCall = next.substring(ColdStartProbe.CALL_BEGIN.length());
                name = priming + "AWS call: " + lastCall;
            } else if (next.startsWith(ColdStartProbe.CALL_END)) {
                name = priming + "own code after " + next.substring(ColdStartProbe.CALL_END.length());
            } else {
                throw new IllegalArgumentException("unknown phase mark: " + line);
            }
        }
        throw new IllegalStateException("the run ended without the " + ColdStartProbe.DONE + " mark"
                + (lastCall == null ? "" : "; last call: " + lastCall));
    }

    /** One table per probe: a row per phase, then the totals. */
    static String report(Map<String, List<Phase>> byProbe, String jvm) {
        StringBuilder out = new StringBuilder("Phases of one cold start (" + jvm + "; -Xlog:class+load and a mark "
                + "around every AWS SDK call): classes first loaded and CPU time (all threads) in each; one run\n");
        byProbe.forEach((probe, phases) -> {
            out.append("\n").append(probe).append("\n\n")
                    .append("| phase | classes | CPU ms | largest groups |\n| --- | ---: | ---: | --- |\n");
            for (Phase phase : phases) {
                out.append(String.format(Locale.ROOT, "| %s | %,d | %d | %s |%n", phase.name(), phase.total(),
                        phase.cpuNanos() / 1_000_000, largest(phase.classes())));
            }
            out.append(String.format(Locale.ROOT, "| **total** | %,d | %d | |%n",
                    phases.stream().mapToInt(Phase::total).sum(),
                    phases.stream().mapToLong(Phase::cpuNanos).sum() / 1_000_000));
            List<Phase> event = firstEvent(phases);
            out.append(String.format(Locale.ROOT, "| **the event alone** (after init and any priming) | %,d | %d | |%n",
                    event.stream().mapToInt(Phase::total).sum(),
                    event.stream().mapToLong(Phase::cpuNanos).sum() / 1_000_000));
        });
        return out.toString();
    }

    /** The phases of the event itself: those after the JVM's start, the handler's construction and any priming. */
    static List<Phase> firstEvent(List<Phase> phases) {
        return phases.stream().filter(Phase::event).toList();
    }

    private static String shortName(String group) {
        if (group.startsWith("AWS SDK other")) {
            return "SDK core";
        }
        return group.replace("AWS SDK ", "").replaceFirst(" \\(.*\\)", "");
    }

    /** The three largest groups of a phase, e.g. {@code services.iam 419, JDK XML 125, protocols 80}. */
    private static String largest(Map<String, Integer> classes) {
        return classes.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
                .map(e -> shortName(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
