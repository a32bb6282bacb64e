package dev.eksaccess.contract.eligibility;

import java.util.regex.Pattern;

/**
 * The one wildcard of the eligibility document: {@code *} stands for any run of characters, {@code /} and {@code :}
 * included, as in IAM ARNs and in EKS namespace scopes; every other character stands for itself.
 */
public final class Glob {

    private Glob() {
    }

    /** Whether {@code text} matches {@code pattern}. */
    public static boolean matches(String pattern, String text) {
        return toRegex(pattern).matcher(text).matches();
    }

    /**
     * Whether every name that {@code requested} can match is also matched by {@code allowed}: what a requested
     * namespace pattern such as {@code payments-*} needs from a rule. A requested pattern without {@code *} is one
     * name; one with {@code *} is covered only by an allowed pattern that is a plain prefix ending in {@code *}
     * ({@code payments-*} covers {@code payments-dev-*}), or by the very same text. Deliberately narrow: a pattern
     * that might reach further than the rule is refused, never guessed about.
     */
    public static boolean covers(String allowed, String requested) {
        if (requested.indexOf('*') < 0) {
            return matches(allowed, requested);
        }
        if (allowed.equals(requested)) {
            return true;
        }
        int star = allowed.indexOf('*');
        return star == allowed.length() - 1 && requested.startsWith(allowed.substring(0, star));
    }

    private static Pattern toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        int from = 0;
        for (int star = pattern.indexOf('*'); star >= 0; star = pattern.indexOf('*', from)) {
            regex.append(Pattern.quote(pattern.substring(from, star))).append(".*");
            from = star + 1;
        }
        regex.append(Pattern.quote(pattern.substring(from)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
