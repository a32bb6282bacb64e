package dev.eksaccess.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Makes one value from a random source. Generators are plain functions so that a failing try is reproduced by its
 * seed alone (see {@link Property}).
 */
@FunctionalInterface
interface Gen<T> {

    T next(SplittableRandom random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        return random -> mapper.apply(next(random));
    }

    /** One of {@code values}, uniformly. */
    @SafeVarargs
    static <T> Gen<T> elements(T... values) {
        return elements(List.of(values));
    }

    static <T> Gen<T> elements(List<T> values) {
        return random -> values.get(random.nextInt(values.size()));
    }

    /** One of {@code generators}, uniformly. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        return random -> generators[random.nextInt(generators.length)].next(random);
    }

    /** Integers in [min, max]. */
    static Gen<Integer> ints(int min, int max) {
        return random -> random.nextInt(min, max + 1);
    }

    /** Lists of {@code min}..{@code max} values of {@code element}. */
    static <T> Gen<List<T>> lists(Gen<T> element, int min, int max) {
        return random -> {
            int size = random.nextInt(min, max + 1);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(element.next(random));
            }
            return values;
        };
    }

    /** Strings of {@code min}..{@code max} characters drawn from {@code alphabet}. */
    static Gen<String> strings(String alphabet, int min, int max) {
        return random -> {
            int length = random.nextInt(min, max + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        };
    }

    /** Strings of arbitrary UTF-16 code units, unpaired surrogates and control characters included. */
    static Gen<String> anyChars(int min, int max) {
        return random -> {
            int length = random.nextInt(min, max + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append((char) random.nextInt(0x10000));
            }
            return text.toString();
        };
    }
}
