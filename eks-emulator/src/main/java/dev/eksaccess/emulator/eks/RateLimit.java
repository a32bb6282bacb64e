package dev.eksaccess.emulator.eks;

/**
 * A request-rate limit on the emulated EKS API, per account and region, as EKS throttles its API: a token bucket that
 * holds at most {@code burst} tokens and gains {@code requestsPerSecond} tokens a second; every call takes one, and a
 * call that finds the bucket empty is answered {@code 429 ThrottlingException} ("Rate exceeded") without being handled.
 *
 * <p>EKS publishes no API rate, so the emulator has no limit unless one is configured
 * ({@link EksEmulator.Options#withRateLimit}).
 *
 * @param requestsPerSecond the sustained rate (the bucket's refill rate), above 0
 * @param burst             the bucket's size: calls allowed at once after a quiet period, at least 1
 */
public record RateLimit(double requestsPerSecond, int burst) {

    public RateLimit {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requestsPerSecond must be a positive number: " + requestsPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1: " + burst);
        }
    }

    /** {@code requestsPerSecond} a second with a burst of one second's worth (at least 1). */
    public static RateLimit perSecond(double requestsPerSecond) {
        return new RateLimit(requestsPerSecond, (int) Math.max(1, Math.ceil(requestsPerSecond)));
    }
}
