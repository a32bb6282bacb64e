package dev.eksaccess.aws;

import java.util.function.Supplier;

/**
 * A value built on first use, once, however many threads ask: for SDK clients a function needs only on some
 * events, so a cold start does not pay for building them.
 */
final class Lazy<T> implements Supplier<T> {

    private final Supplier<T> factory;
    private T value;

    Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    @Override
    public synchronized T get() {
        if (value == null) {
            value = factory.get();
        }
        return value;
    }
}
