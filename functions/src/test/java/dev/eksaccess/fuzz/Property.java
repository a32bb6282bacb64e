package dev.eksaccess.fuzz;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A minimal property runner: checks a property on many generated inputs, each from a seed derived from the run's
 * seed, and on failure names the seed, the try and the input, so that the same failure is reproduced with
 * {@code -Deksaccess.property.seed=SEED}.
 *
 * <p>How many tries each property gets is {@code -Deksaccess.property.tries} (the build sets it; see
 * docs/testing.md). The seed is fixed unless {@code -Deksaccess.property.seed} says otherwise ({@code random} for a
 * new one each run, as the {@code fuzz} profile does), so the ordinary build is deterministic. Every property prints
 * one line with its count and time, and the JVM-wide total, so a run's count can be read from the build log.
 *
 * <p>It is written here rather than taken from a property-testing library: jqwik, the usual choice on the JUnit
 * Platform, asks from version 1.10 on not to be used with AI coding agents, which write much of this project.
 */
final class Property {

    /** Tries per property when the build does not say (the build's default is in functions/pom.xml). */
    static final int DEFAULT_TRIES = 1_000;
    private static final int MAX_INPUT_SHOWN = 2_000;
    private static final AtomicLong TOTAL = new AtomicLong();

    private Property() {
    }

    static int tries() {
        return Integer.getInteger("eksaccess.property.tries", DEFAULT_TRIES);
    }

    /** Checks {@code check} on {@link #tries()} inputs from {@code gen}; {@code name} identifies the property. */
    static <T> void forAll(String name, Gen<T> gen, Consumer<T> check) {
        forAll(name, tries(), gen, check);
    }

    /** As {@link #forAll(String, Gen, Consumer)} with an explicit number of tries (for costlier properties). */
    static <T> void forAll(String name, int tries, Gen<T> gen, Consumer<T> check) {
        long seed = seed(name);
        long started = System.nanoTime();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < tries; i++) {
            SplittableRandom random = seeds.split();
            T input;
            try {
                input = gen.next(random);
            } catch (RuntimeException e) {
                throw new AssertionError(where(name, seed, i) + ": the generator failed", e);
            }
            try {
                check.accept(input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(where(name, seed, i) + " falsified by input:\n" + shown(input)
                        + "\n" + e, e);
            }
        }
        long total = TOTAL.addAndGet(tries);
        System.out.printf("[property] %s: %d tries passed in %d ms (base seed %d; %d tries in this JVM)%n",
                name, tries, (System.nanoTime() - started) / 1_000_000, BASE_SEED, total);
    }

    /** The seed of property {@code name}, from the run's base seed. */
    private static long seed(String name) {
        return BASE_SEED ^ name.hashCode();
    }

    /** The ordinary build's base seed; any fixed number would do. */
    static final long FIXED_SEED = 20_261_128L;
    private static final long BASE_SEED = baseSeed(System.getProperty("eksaccess.property.seed"));

    private static long baseSeed(String configured) {
        if (configured == null || configured.isBlank()) {
            return FIXED_SEED;
        }
        return configured.trim().equals("random") ? new SplittableRandom().nextLong() : Long.parseLong(configured.trim());
    }

    private static String where(String name, long seed, int tryIndex) {
        return "property '" + name + "' (try " + (tryIndex + 1) + "; reproduce with -Deksaccess.property.seed="
                + (seed ^ name.hashCode()) + ")";
    }

    private static String shown(Object input) {
        String text = String.valueOf(input);
        return text.length() <= MAX_INPUT_SHOWN ? text
                : text.substring(0, MAX_INPUT_SHOWN) + "... (" + text.length() + " characters)";
    }
}
