package dev.eksaccess.handler;

import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming of one function, in the same shape for each: before the snapshot, build the clients the function
 * otherwise builds on first use (where the deployed wiring asks, also make its read-only {@link PrimingCalls}), then
 * run the function's own parse-and-plan code over one representative input, held by the subclass, without I/O:
 * nothing is recorded, sent or logged. A restored environment starts with that code loaded and linked.
 *
 * <p>The handler's no-argument constructor {@linkplain #register() registers} its priming and keeps it in a field:
 * CRaC holds resources weakly.
 */
abstract class Priming implements Resource {

    private final Supplier<?> preparation;

    /**
     * @param preparation the deployed wiring's own preparation: the clients it builds on first use and its read-only
     *                    {@link PrimingCalls}; a supplier of nothing where tests and tools wire their own ports
     */
    Priming(Supplier<?> preparation) {
        this.preparation = preparation;
    }

    /**
     * Runs the function's own code over the representative input, without side effects.
     *
     * @return what that code produced (a log line or a message body), for the tests
     */
    abstract String prime();

    /** Registers for SnapStart; the caller keeps the reference. */
    final void register() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public final void beforeCheckpoint(Context<? extends Resource> context) {
        preparation.get();
        prime();
    }

    @Override
    public final void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: clients and credentials are resolved per call.
    }
}
