package dev.eksaccess.contract.eligibility;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random choices for the eligibility generators. Every choice is made from a {@link List} (never from the iteration
 * order of a {@code Set.of} or {@code Map.of}, which changes with each JVM start), so that a seed draws the same
 * inputs in every JVM.
 */
final class Pick {

    private Pick() {
    }

    /** One of {@code values}, uniformly. */
    static <T> T one(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** True with probability {@code percent}/100. */
    static boolean chance(SplittableRandom random, int percent) {
        return random.nextInt(100) < percent;
    }

    /** {@code min}..{@code max} different values of {@code values} (fewer when there are fewer), in random order. */
    static <T> List<T> some(SplittableRandom random, List<T> values, int min, int max) {
        List<T> left = new ArrayList<>(values);
        int size = Math.min(left.size(), random.nextInt(min, max + 1));
        List<T> chosen = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            chosen.add(left.remove(random.nextInt(left.size())));
        }
        return chosen;
    }

    /** {@code min}..{@code max} characters of {@code alphabet}. */
    static String text(SplittableRandom random, String alphabet, int min, int max) {
        int length = random.nextInt(min, max + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** {@code pattern} with every {@code *} replaced by a few characters of {@code alphabet}: a text it matches. */
    static String instance(SplittableRandom random, String pattern, String alphabet) {
        StringBuilder text = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            text.append(c == '*' ? text(random, alphabet, 0, 4) : String.valueOf(c));
        }
        return text.toString();
    }
}
