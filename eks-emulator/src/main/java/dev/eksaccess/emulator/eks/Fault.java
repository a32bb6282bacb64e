package dev.eksaccess.emulator.eks;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A fault the emulator injects before handling matching calls: throttling (429 {@code ThrottlingException}),
 * a server error (500 {@code ServerException}), access denied (403 {@code AccessDeniedException}, as EKS answers a
 * caller whose IAM policy lacks the action) or added latency (the call then proceeds normally).
 *
 * <p>By default a fault hits every call of every operation. Narrow it with {@link #onOperation},
 * {@link #forNextCalls} (the next N matching calls, then it expires) or {@link #withProbability}
 * (drawn from the emulator's seeded random source).
 *
 * @param remainingCalls null for unlimited
 */
public record Fault(Kind kind, Duration latency, String operation, Integer remainingCalls, double probability) {

    /** What the fault does. */
    public enum Kind { THROTTLING, SERVER_ERROR, ACCESS_DENIED, LATENCY }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        latency = latency == null ? Duration.ZERO : latency;
        if (remainingCalls != null && remainingCalls < 1) {
            throw new IllegalArgumentException("remainingCalls must be at least 1");
        }
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be within [0, 1]: " + probability);
        }
    }

    public static Fault throttling() {
        return new Fault(Kind.THROTTLING, Duration.ZERO, null, null, 1.0);
    }

    public static Fault serverError() {
        return new Fault(Kind.SERVER_ERROR, Duration.ZERO, null, null, 1.0);
    }

    public static Fault accessDenied() {
        return new Fault(Kind.ACCESS_DENIED, Duration.ZERO, null, null, 1.0);
    }

    public static Fault latency(Duration latency) {
        return new Fault(Kind.LATENCY, latency, null, null, 1.0);
    }

    /** Only calls of this operation (for example {@code CreateAccessEntry}). */
    public Fault onOperation(String operationName) {
        return new Fault(kind, latency, operationName, remainingCalls, probability);
    }

    /** Only the next {@code calls} matching calls. */
    public Fault forNextCalls(int calls) {
        return new Fault(kind, latency, operation, calls, probability);
    }

    /** Each matching call with this probability. */
    public Fault withProbability(double p) {
        return new Fault(kind, latency, operation, remainingCalls, p);
    }

    public Optional<String> operationFilter() {
        return Optional.ofNullable(operation);
    }
}
