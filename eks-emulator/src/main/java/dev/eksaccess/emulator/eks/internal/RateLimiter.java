package dev.eksaccess.emulator.eks.internal;

import dev.eksaccess.emulator.eks.RateLimit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One {@link TokenBucket} per account and region, created on the first call; no limit when none is configured. */
public final class RateLimiter {

    private final RateLimit limit;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** @param limit null for no limit */
    public RateLimiter(RateLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
    }

    /** Whether a call into {@code account} and {@code region} may proceed now; it takes a token if so. */
    public boolean admit(String account, String region) {
        return limit == null
                || buckets.computeIfAbsent(account + "/" + region, key -> new TokenBucket(limit, nanoTime)).tryTake();
    }
}
