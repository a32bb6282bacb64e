package dev.eksaccess.contract.eligibility;

/**
 * The one wildcard of the eligibility document: {@code *} stands for any run of characters, {@code /} and {@code :}
 * included, as in IAM ARNs and in EKS namespace scopes; every other character stands for itself.
 */
public final class Glob {

    private Glob() {
    }

    /**
     * Whether {@code text} matches {@code pattern}, in time proportional to the product of their lengths at worst. On
     * a mismatch only the run of the last star read grows; with {@code *} the only wildcard, the runs of earlier stars
     * need never be tried again, as a regular expression's backtracking did for every combination of them (a pattern
     * of five stars against a 230-character role ARN took 18 s, and senders choose principal ARNs and usernames).
     */
    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int starRunEnd = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starRunEnd = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++starRunEnd;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
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
}
