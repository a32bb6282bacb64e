package dev.eksaccess.bench;

import java.time.Duration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * A client-side rate limiter for one process: every attempt the SDK transmits (retries included) waits for its slot
 * of {@code requestsPerSecond}, spaced evenly. Lambda instances share no memory, so a fleet of N concurrent
 * instances shares an account's rate R by giving each instance R / N, with N the event source mapping's maximum
 * concurrency; fewer busy instances then leave part of R unused.
 */
final class ClientRateLimiter implements ExecutionInterceptor {

    private final long intervalNanos;
    private long nextSlot = System.nanoTime();

    ClientRateLimiter(double requestsPerSecond) {
        this.intervalNanos = (long) (1_000_000_000L / requestsPerSecond);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        long wait = reserve() - System.nanoTime();
        if (wait > 0) {
            FleetRig.sleep(Duration.ofNanos(wait));
        }
    }

    private synchronized long reserve() {
        long slot = Math.max(nextSlot, System.nanoTime());
        nextSlot = slot + intervalNanos;
        return slot;
    }
}
