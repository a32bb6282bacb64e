package dev.eksaccess.bench;

import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.emulator.eks.RateLimit;
import dev.eksaccess.handler.ExpirySweepHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet-wide change against EKS's rate limit: {@code grants} grants over {@code clusters} clusters, all sent at
 * once, through {@link FleetRig} (the deployed wiring, {@value #INSTANCES} concurrent instances as the event source
 * mapping's maximum concurrency allows) against an emulator that throttles beyond R requests a second per account and
 * region. Once per way of sharing R among the instances' EKS clients, each on a fresh emulator and queue; then the
 * adopted one again with the expiry sweep running alongside, revoking earlier time-limited grants through the same
 * queue and EKS.
 */
final class Throughput {

    /** The grant processor's event source mapping's maximum concurrency ({@code EksAccessStack}). */
    static final int INSTANCES = 5;
    /** The mode the functions use ({@code AwsClients.eks()}). */
    static final String ADOPTED = "SDK adaptive retry (" + AwsClients.EKS_RETRY_MODE + ", as the functions)";
    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    /** One run's figures. */
    record Row(String mode, int grants, int applied, Duration elapsed, long admittedCalls, long throttles,
               Duration p50, Duration p99, int retriedViaQueue, int deadLetters, int sweepRevocations,
               double rate) {

        double shareOfRate() {
            return admittedCalls / (elapsed.toNanos() / 1e9) / rate;
        }

        double grantsPerSecond() {
            return applied / (elapsed.toNanos() / 1e9);
        }
    }

    /** Settings and rows. */
    record Result(double rate, int grants, int clusters, List<Row> rows) {
    }

    private final BenchEnvironment env;
    private final double rate;
    private final int grants;
    private final int clusters;
    private final AtomicInteger runs = new AtomicInteger();

    Throughput(BenchEnvironment env, double rate, int grants, int clusters) {
        this.env = env;
        this.rate = rate;
        this.grants = grants;
        this.clusters = clusters;
    }

    Result measure() {
        // Unmeasured: the first run in a JVM pays for class loading and JIT warm-up, which would favour the later ones.
        run("warm-up (no limit, not reported)", (builder, i) -> builder.build(), 0, Math.min(grants, 200), null);
        List<Row> rows = new ArrayList<>();
        rows.add(run("SDK standard retry (default)", (builder, i) -> builder.build(), 0));
        rows.add(run(ADOPTED, Throughput::adaptive, 0));
        rows.add(run("client-side limiter, R/" + INSTANCES + " per instance", (builder, i) -> builder
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ClientRateLimiter(rate / INSTANCES)))
                .build(), 0));
        rows.add(run(ADOPTED + ", expiry sweep alongside", Throughput::adaptive, grants / 4));
        return new Result(rate, grants, clusters, rows);
    }

    private static software.amazon.awssdk.services.eks.EksClient adaptive(
            software.amazon.awssdk.services.eks.EksClientBuilder builder, int instance) {
        return builder.overrideConfiguration(o -> o.retryStrategy(AwsClients.EKS_RETRY_MODE)).build();
    }

    /**
     * @param expiring with the sweep: this many time-limited grants are applied first, then the sweep runs every
     *                 second (its clock two hours ahead, so they are all due) while the team's grants are sent
     */
    private Row run(String mode, FleetRig.EksClients clients, int expiring) {
        return run(mode, clients, expiring, grants, RateLimit.perSecond(rate));
    }

    private Row run(String mode, FleetRig.EksClients clients, int expiring, int grants, RateLimit limit) {
        int n = runs.incrementAndGet();
        System.out.println("throughput: " + mode + " ...");
        try (FleetRig rig = new FleetRig(env, "tp" + n, limit, clusters, INSTANCES, clients)
                .start()) {
            AtomicBoolean sweeping = new AtomicBoolean(expiring > 0);
            AtomicInteger revocations = new AtomicInteger();
            Thread sweeper = null;
            if (expiring > 0) {
                List<FleetRig.Sent> setup = rig.send(rig.team(), bodies(rig, "tp" + n + "-expiring", expiring, "PT1H"));
                if (!rig.awaitFinal(setup.stream().map(FleetRig.Sent::messageId).toList(), TIMEOUT)) {
                    throw new IllegalStateException("the time-limited grants were not all applied");
                }
                ExpirySweepHandler sweep = rig.sweep(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), line -> {
                    var queued = java.util.regex.Pattern.compile("\"revocationsQueued\":(\\d+)").matcher(line);
                    if (queued.find()) {
                        revocations.addAndGet(Integer.parseInt(queued.group(1)));
                    }
                });
                sweeper = Thread.ofPlatform().daemon().start(() -> {
                    while (sweeping.get()) {
                        sweep.handleRequest(null, null);
                        FleetRig.sleep(Duration.ofSeconds(1));
                    }
                });
            }
            rig.eks().clearCalls();
            Instant started = Instant.now();
            List<FleetRig.Sent> sent = rig.send(rig.team(), bodies(rig, "tp" + n, grants, null));
            List<String> ids = sent.stream().map(FleetRig.Sent::messageId).toList();
            boolean done = rig.awaitFinal(ids, TIMEOUT);
            List<Duration> latencies = new ArrayList<>();
            Instant last = started;
            int applied = 0;
            for (FleetRig.Sent s : sent) {
                var outcome = rig.finalOf(s.messageId());
                if (outcome.isPresent()) {
                    latencies.add(Duration.between(s.at(), outcome.get().at()));
                    last = outcome.get().at().isAfter(last) ? outcome.get().at() : last;
                    applied += outcome.get().outcome().equals("applied") ? 1 : 0;
                }
            }
            sweeping.set(false);
            if (sweeper != null) {
                sweeper.join();
            }
            latencies.sort(Comparator.naturalOrder());
            if (!done) {
                System.out.println("  not every grant ended within " + TIMEOUT);
            }
            return new Row(mode, grants, applied, Duration.between(started, last), rig.admittedCalls(),
                    rig.throttledCalls(), FleetRig.percentile(latencies, 50), FleetRig.percentile(latencies, 99),
                    rig.transientFailures(), rig.deadLetters(), revocations.get(), rate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code count} grants for new principals, spread round-robin over the clusters. */
    private List<String> bodies(FleetRig rig, String prefix, int count, String duration) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String cluster = rig.clusters().get(i % rig.clusters().size());
            String body = SampleInputs.grantBody(env.account(), cluster, prefix + "-" + i);
            bodies.add(duration == null ? body
                    : body.substring(0, body.length() - 1) + ",\"duration\":\"" + duration + "\"}");
        }
        return bodies;
    }

    static String table(Result result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Throughput: %d grants over %d clusters, sent at once, %d concurrent "
                + "instances (batches of 10), EKS limited to R = %.0f requests/s per account and region (burst %.0f); "
                + "share of R = EKS calls let through per second / R (goal >= 80 %%, zero dead letters, all applied)%n%n",
                result.grants(), result.clusters(), INSTANCES, result.rate(), Math.ceil(result.rate())));
        out.append("| EKS clients | applied | time | share of R | grants/s | send → applied p50 | p99 | throttles | "
                + "retried via the queue | dead letters |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row row : result.rows()) {
            out.append(String.format(Locale.ROOT, "| %s | %d / %d%s | %.1f s | %.0f %% | %.1f | %.1f s | %.1f s | %d | "
                    + "%d | %d |%n", row.mode(), row.applied(), row.grants(),
                    row.sweepRevocations() > 0 ? " (+ " + row.sweepRevocations() + " sweep revokes)" : "",
                    row.elapsed().toMillis() / 1000.0, 100 * row.shareOfRate(), row.grantsPerSecond(),
                    row.p50().toMillis() / 1000.0, row.p99().toMillis() / 1000.0, row.throttles(),
                    row.retriedViaQueue(), row.deadLetters()));
        }
        return out.toString();
    }
}
