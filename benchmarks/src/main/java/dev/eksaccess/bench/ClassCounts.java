package dev.eksaccess.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Where a cold start's classes come from (issue 14): each probe runs once more with Lambda's options and
 * {@code -Xlog:class+load} into a file, and the classes it loaded are counted by library. Class counts are
 * deterministic, unlike times on a shared machine, so a change that loads fewer classes shows as such in one run.
 */
final class ClassCounts {

    /** A class log line: {@code [0.012s][info][class,load] java.lang.Object source: shared objects file}. */
    private static final String LOAD_TAG = "[class,load] ";

    /** Groups, first match wins; a class that matches none is "other". */
    private static final Map<String, List<String>> GROUPS = groups();

    private ClassCounts() {
    }

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("project (dev.eksaccess)", List.of("dev.eksaccess."));
        groups.put("Jackson", List.of("com.fasterxml.jackson."));
        groups.put("JDK XML (parsers, DOM, SAX, StAX)", List.of("javax.xml.", "jdk.xml.", "org.xml.sax.", "org.w3c.dom.",
                "com.sun.org.apache.xerces.", "com.sun.org.apache.xml.", "com.sun.xml.", "com.sun.org.apache.xpath."));
        groups.put("AWS SDK protocols", List.of("software.amazon.awssdk.protocols."));
        groups.put("AWS SDK other (core, HTTP, auth, regions, ...)", List.of("software.amazon.awssdk."));
        groups.put("JDK other", List.of("java.", "javax.", "jdk.", "sun.", "com.sun."));
        return groups;
    }

    /** The group of one class: an AWS SDK service module by its package ({@code services.iam}), else {@link #GROUPS}. */
    static String group(String className) {
        String services = "software.amazon.awssdk.services.";
        if (className.startsWith(services)) {
            int end = className.indexOf('.', services.length());
            return "AWS SDK services." + (end < 0 ? "?" : className.substring(services.length(), end));
        }
        return GROUPS.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(className::startsWith))
                .map(Map.Entry::getKey).findFirst().orElse("other");
    }

    /** Counts per group of the classes a {@code -Xlog:class+load} file records (a class is counted once). */
    static Map<String, Integer> count(List<String> logLines) {
        Map<String, Integer> counts = new TreeMap<>();
        logLines.stream().map(line -> {
            int tag = line.indexOf(LOAD_TAG);
            if (tag < 0) {
                return null;
            }
            String rest = line.substring(tag + LOAD_TAG.length());
            int space = rest.indexOf(' ');
            return space < 0 ? rest : rest.substring(0, space);
        }).filter(name -> name != null && !name.isEmpty()).distinct()
                .forEach(name -> counts.merge(group(name), 1, Integer::sum));
        return counts;
    }

    /** Runs each probe once with {@code config} plus a class log and returns its counts per group, by probe. */
    static Map<String, Map<String, Integer>> measure(ColdStart cold, ColdStart.JvmConfig config,
                                                     Map<String, Supplier<ColdStart.Run>> probes, Path work) {
        Map<String, Map<String, Integer>> byProbe = new LinkedHashMap<>();
        probes.forEach((name, probe) -> {
            Path log = work.resolve("classes-" + byProbe.size() + ".log");
            List<String> options = new ArrayList<>(config.options());
            options.add("-Xlog:class+load=info:file=" + log);
            cold.runOnce(new ColdStart.JvmConfig(config.name() + ", class log", options), probe.get());
            try {
                byProbe.put(name, count(Files.readAllLines(log)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the class log " + log, e);
            }
        });
        return byProbe;
    }

    /**
     * One row per group, one column per probe; for a function, the difference from {@code reference} (the SDK-alone
     * probe) in brackets; the last row is the total.
     */
    static String report(Map<String, Map<String, Integer>> byProbe, String reference, String jvm) {
        StringBuilder out = new StringBuilder("Classes loaded by one cold start (-Xlog:class+load, " + jvm
                + "), by library; in brackets, the difference from " + reference + "\n\n");
        out.append(Report.header("library", byProbe.keySet()));
        Map<String, Integer> base = byProbe.getOrDefault(reference, Map.of());
        List<String> groups = byProbe.values().stream().flatMap(counts -> counts.keySet().stream()).distinct()
                .sorted().toList();
        for (String group : groups) {
            out.append(row(group, byProbe, reference, counts -> counts.getOrDefault(group, 0),
                    base.getOrDefault(group, 0)));
        }
        out.append(row("**total**", byProbe, reference, ClassCounts::total, total(base)));
        return out.toString();
    }

    private static String row(String label, Map<String, Map<String, Integer>> byProbe, String reference,
                              java.util.function.ToIntFunction<Map<String, Integer>> value, int baseValue) {
        StringJoiner row = new StringJoiner(" | ", "| ", " |\n").add(label);
        byProbe.forEach((probe, counts) -> {
            int n = value.applyAsInt(counts);
            row.add(String.format(java.util.Locale.ROOT, "%,d", n)
                    + (probe.equals(reference) ? "" : String.format(java.util.Locale.ROOT, " (%+,d)", n - baseValue)));
        });
        return row.toString();
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
