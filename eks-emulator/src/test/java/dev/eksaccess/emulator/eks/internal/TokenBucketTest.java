package dev.eksaccess.emulator.eks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.emulator.eks.RateLimit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long MILLI = 1_000_000L;

    private final AtomicLong now = new AtomicLong(5_000 * MILLI);

    private int admitted(TokenBucket bucket, int calls) {
        return (int) IntStream.range(0, calls).filter(i -> bucket.tryTake()).count();
    }

    @Test
    void aFullBucketAdmitsItsBurstAtOnceAndThenNothing() {
        TokenBucket bucket = new TokenBucket(new RateLimit(10, 4), now::get);

        assertThat(admitted(bucket, 10)).isEqualTo(4);
    }

    @Test
    void refillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(new RateLimit(10, 4), now::get);
        admitted(bucket, 4);

        now.addAndGet(99 * MILLI);
        assertThat(bucket.tryTake()).as("0.99 of a token after 99 ms at 10/s").isFalse();
        now.addAndGet(MILLI);
        assertThat(bucket.tryTake()).as("a whole token after 100 ms").isTrue();
        assertThat(bucket.tryTake()).isFalse();
        now.addAndGet(250 * MILLI);
        assertThat(admitted(bucket, 10)).isEqualTo(2);
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(10, 4), now::get);

        now.addAndGet(60_000 * MILLI);

        assertThat(admitted(bucket, 100)).isEqualTo(4);
    }

    @Test
    void overOneSecondOfSteadyCallsAdmitsTheRateAfterTheBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(50, 5), now::get);
        int admitted = 0;
        for (int ms = 0; ms < 1000; ms++) {
            admitted += admitted(bucket, 3);
            now.addAndGet(MILLI);
        }

        assertThat(admitted).isBetween(54, 55);
    }

    @Test
    void theLimiterKeepsOneBucketPerAccountAndRegion() {
        RateLimiter limiter = new RateLimiter(new RateLimit(1, 1), now::get);

        assertThat(limiter.admit("111122223333", "eu-west-1")).isTrue();
        assertThat(limiter.admit("111122223333", "eu-west-1")).isFalse();
        assertThat(limiter.admit("111122223333", "us-east-1")).isTrue();
        assertThat(limiter.admit("444455556666", "eu-west-1")).isTrue();
    }

    @Test
    void noLimitAdmitsEverything() {
        RateLimiter limiter = new RateLimiter(null, now::get);

        assertThat(IntStream.range(0, 1000).allMatch(i -> limiter.admit("111122223333", "eu-west-1"))).isTrue();
    }

    @Test
    void aLimitMustBePositive() {
        assertThatThrownBy(() -> new RateLimit(0, 1)).hasMessageContaining("requestsPerSecond");
        assertThatThrownBy(() -> new RateLimit(Double.NaN, 1)).hasMessageContaining("requestsPerSecond");
        assertThatThrownBy(() -> new RateLimit(1, 0)).hasMessageContaining("burst");
    }
}
