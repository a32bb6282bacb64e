package dev.eksaccess.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One sender floods the grant queue while another sends a few valid grants: {@value #FLOOD} messages from a
 * configured sender, half of them invalid (no principal) and half ineligible (grants no rule lets it ask for), and,
 * a second after the flood starts, {@value #VALID} valid grants from the team, one every 100 ms. Reports the valid
 * grants' send-to-applied latency against the same {@value #VALID} grants sent alone, through {@link FleetRig} (the
 * deployed wiring, {@value Throughput#INSTANCES} instances, no EKS rate limit).
 */
final class Flood {

    static final int FLOOD = 5000;
    static final int VALID = 10;
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    /** Latencies of the valid grants, and how long the flood took to drain. */
    record Row(String scenario, Duration p50, Duration max, Duration floodDrained, int rejected, int deadLetters,
               long dynamoRequests) {
    }

    private final BenchEnvironment env;
    private int runs;

    Flood(BenchEnvironment env) {
        this.env = env;
    }

    List<Row> measure() {
        return List.of(run(false), run(true));
    }

    private Row run(boolean flood) {
        runs++;
        String name = "flood" + runs + (flood ? "-on" : "-off");
        System.out.println("flood: " + (flood ? FLOOD + " messages from one sender, " : "") + VALID + " valid grants ...");
        try (FleetRig rig = new FleetRig(env, name, null, 1, Throughput.INSTANCES, (builder, i) -> builder.build())
                .start()) {
            String cluster = rig.clusters().getFirst();
            List<FleetRig.Sent> flooded = new ArrayList<>();
            Thread flooder = null;
            if (flood) {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < FLOOD; i++) {
                    String grant = SampleInputs.grantBody(env.account(), cluster, name + "-flood-" + i);
                    bodies.add(i % 2 == 0 ? grant.replaceFirst("\"principalArn\":\"[^\"]+\",", "") : grant);
                }
                var sender = rig.sender(BenchAuthorization.FLOODER_ROLE_ID, "flood");
                flooder = Thread.ofPlatform().start(() -> flooded.addAll(rig.send(sender, bodies)));
                FleetRig.sleep(Duration.ofSeconds(1));
            }
            List<FleetRig.Sent> valid = new ArrayList<>();
            for (int i = 0; i < VALID; i++) {
                valid.addAll(rig.send(rig.team(), List.of(SampleInputs.grantBody(env.account(), cluster,
                        name + "-valid-" + i))));
                FleetRig.sleep(Duration.ofMillis(100));
            }
            if (flooder != null) {
                flooder.join();
            }
            List<String> all = new ArrayList<>(valid.stream().map(FleetRig.Sent::messageId).toList());
            all.addAll(flooded.stream().map(FleetRig.Sent::messageId).toList());
            if (!rig.awaitFinal(all, TIMEOUT)) {
                System.out.println("  not every message ended within " + TIMEOUT);
            }
            List<Duration> latencies = new ArrayList<>();
            for (FleetRig.Sent sent : valid) {
                FleetRig.Final outcome = rig.finalOf(sent.messageId()).orElseThrow(() ->
                        new IllegalStateException("a valid grant did not end: " + sent.messageId()));
                if (!outcome.outcome().equals("applied")) {
                    throw new IllegalStateException("a valid grant ended " + outcome.outcome());
                }
                latencies.add(Duration.between(sent.at(), outcome.at()));
            }
            latencies.sort(Comparator.naturalOrder());
            Duration drained = Duration.ZERO;
            int rejected = 0;
            if (!flooded.isEmpty()) {
                var first = flooded.getFirst().at();
                for (FleetRig.Sent sent : flooded) {
                    var outcome = rig.finalOf(sent.messageId());
                    if (outcome.isPresent()) {
                        rejected += outcome.get().outcome().equals("rejected") ? 1 : 0;
                        Duration took = Duration.between(first, outcome.get().at());
                        drained = took.compareTo(drained) > 0 ? took : drained;
                    }
                }
            }
            return new Row(flood ? VALID + " valid grants during a flood of " + FLOOD + " from one sender"
                    : VALID + " valid grants alone", FleetRig.percentile(latencies, 50), latencies.getLast(), drained,
                    rejected, rig.deadLetters(), rig.dynamoCalls().total());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Flood: one configured sender sends %d messages (half invalid, half "
                + "ineligible) while the team sends %d valid grants, one every 100 ms, starting 1 s into the flood; "
                + "%d instances, no EKS limit%n%n", FLOOD, VALID, Throughput.INSTANCES));
        out.append("| scenario | valid grants: send → applied p50 | max | flood drained after | flood rejected | "
                + "dead letters | DynamoDB requests (per flood message) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        long alone = rows.getFirst().dynamoRequests();
        for (Row row : rows) {
            String perMessage = row.rejected() == 0 ? "" : String.format(Locale.ROOT, " (%.2f)",
                    (row.dynamoRequests() - alone) / (double) FLOOD);
            out.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %s | %s | %d | %d%s |%n", row.scenario(),
                    row.p50().toMillis() / 1000.0, row.max().toMillis() / 1000.0,
                    row.rejected() == 0 ? "-" : String.format(Locale.ROOT, "%.1f s", row.floodDrained().toMillis() / 1000.0),
                    row.rejected() == 0 ? "-" : row.rejected() + " / " + FLOOD, row.deadLetters(), row.dynamoRequests(),
                    perMessage));
        }
        return out.toString();
    }
}
