package dev.eksaccess.emulator.eks.internal;

import dev.eksaccess.emulator.eks.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Decides, per call, which injected faults apply. Thread-safe. */
public final class FaultInjector {

    /** What to do to one call: wait first, then possibly answer with an error instead of handling it. */
    public record Decision(Duration latency, Optional<ApiError> error) {
        /** Nothing injected. */
        public static final Decision NONE = new Decision(Duration.ZERO, Optional.empty());

        public boolean injected() {
            return error.isPresent() || !latency.isZero();
        }
    }

    private final Random random;
    private final List<Fault> faults = new ArrayList<>();

    public FaultInjector(Random random) {
        this.random = random;
    }

    public synchronized void add(Fault fault) {
        faults.add(fault);
    }

    public synchronized void clear() {
        faults.clear();
    }

    public synchronized Decision decide(String operation) {
        Duration latency = Duration.ZERO;
        ApiError error = null;
        List<Fault> next = new ArrayList<>();
        for (Fault fault : faults) {
            boolean matches = fault.operationFilter().map(operation::equals).orElse(true)
                    && (error == null || fault.kind() == Fault.Kind.LATENCY)
                    && (fault.probability() >= 1.0 || random.nextDouble() < fault.probability());
            if (!matches) {
                next.add(fault);
                continue;
            }
            switch (fault.kind()) {
                case LATENCY -> latency = latency.plus(fault.latency());
                case THROTTLING -> error = ApiError.throttling("Rate exceeded");
                case SERVER_ERROR -> error = ApiError.server("An internal error occurred (injected by the emulator)");
                case ACCESS_DENIED -> error = ApiError.accessDenied("User: arn:aws:sts::000000000000:assumed-role/"
                        + "emulated/caller is not authorized to perform: eks:" + operation
                        + " (injected by the emulator)");
            }
            Integer remaining = fault.remainingCalls();
            if (remaining == null) {
                next.add(fault);
            } else if (remaining > 1) {
                next.add(fault.forNextCalls(remaining - 1));
            }
        }
        faults.clear();
        faults.addAll(next);
        return new Decision(latency, Optional.ofNullable(error));
    }
}
