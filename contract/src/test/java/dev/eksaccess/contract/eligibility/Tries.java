package dev.eksaccess.contract.eligibility;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property of the eligibility document on generated inputs. The contract module cannot use the functions'
 * runner ({@code dev.eksaccess.fuzz.Property}), so this is its own, with the same conventions (docs/testing.md): one
 * fixed base seed unless {@code -Deksaccess.property.seed} says otherwise ({@code random} for a new one), the number
 * of tries from {@code -Deksaccess.property.tries}, one printed line per property, and a failure that names the seed
 * which draws the same inputs again in any JVM.
 */
final class Tries {

    /** Tries of a property when the build does not say. */
    static final int DEFAULT = 1_000;
    /** The ordinary build's base seed; any fixed number would do. */
    static final long FIXED_SEED = 20_261_202L;
    static final long BASE_SEED = baseSeed(System.getProperty("eksaccess.property.seed"));
    private static final int MAX_INPUT_SHOWN = 3_000;

    private Tries() {
    }

    /** The configured number of tries, or {@link #DEFAULT}. */
    static int count() {
        return Integer.getInteger("eksaccess.property.tries", DEFAULT);
    }

    /** A share of {@link #count()}, at least one: for properties whose inputs are costly (huge text). */
    static int share(int percent) {
        return Math.max(1, count() * percent / 100);
    }

    /**
     * Draws {@code tries} inputs with {@code draw}, each from its own random source split from the property's seed,
     * and checks each with {@code check}; a failure names the property, the try, the input and the seed.
     */
    static <T> void run(String name, int tries, Function<SplittableRandom, T> draw, Consumer<T> check) {
        long started = System.nanoTime();
        SplittableRandom sources = new SplittableRandom(BASE_SEED ^ name.hashCode());
        for (int i = 1; i <= tries; i++) {
            SplittableRandom source = sources.split();
            T input;
            try {
                input = draw.apply(source);
            } catch (RuntimeException e) {
                throw new AssertionError(failure(name, i) + ": drawing the input failed", e);
            }
            try {
                check.accept(input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(failure(name, i) + ", input:\n" + shown(input) + "\n" + e, e);
            }
        }
        System.out.printf("[property] %s: %d tries passed in %d ms (base seed %d)%n", name, tries,
                (System.nanoTime() - started) / 1_000_000, BASE_SEED);
    }

    private static String failure(String name, int tryNumber) {
        return "property '" + name + "' failed at try " + tryNumber + " (the same inputs again: "
                + "-Deksaccess.property.seed=" + BASE_SEED + ")";
    }

    private static long baseSeed(String configured) {
        if (configured == null || configured.isBlank()) {
            return FIXED_SEED;
        }
        return configured.trim().equals("random") ? new SplittableRandom().nextLong() : Long.parseLong(configured.trim());
    }

    /** The input as text a report shows as it is: cut short, and anything but printable ASCII as an escape. */
    private static String shown(Object input) {
        String text = String.valueOf(input);
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), MAX_INPUT_SHOWN); i++) {
            char c = text.charAt(i);
            shown.append(c == '\n' || c >= ' ' && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() <= MAX_INPUT_SHOWN ? shown.toString()
                : shown + "... (" + text.length() + " characters)";
    }
}
