package dev.eksaccess.contract.eligibility;

/**
 * A second, plain reading of the document's one wildcard ({@code *}: any run of characters, every other character
 * itself), by dynamic programming over the pattern and the text, for the properties to hold {@link Glob} and the
 * decider against.
 */
final class Wildcards {

    private Wildcards() {
    }

    /** Whether {@code text} matches {@code pattern}, in time proportional to their lengths' product. */
    static boolean matches(String pattern, String text) {
        // matched[j]: whether the pattern read so far matches the text's first j characters.
        boolean[] matched = new boolean[text.length() + 1];
        matched[0] = true;
        for (int i = 0; i < pattern.length(); i++) {
            char p = pattern.charAt(i);
            boolean[] next = new boolean[text.length() + 1];
            next[0] = matched[0] && p == '*';
            for (int j = 1; j <= text.length(); j++) {
                next[j] = p == '*' ? matched[j] || next[j - 1] : matched[j - 1] && text.charAt(j - 1) == p;
            }
            matched = next;
        }
        return matched[text.length()];
    }
}
