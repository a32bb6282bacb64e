package dev.eksaccess.engine;

import java.util.List;

/** What the access engine did with one request. Transient failures are a {@link RetryLaterException} instead. */
public sealed interface ChangeResult {

    /** A short human-readable account, for the ledger and the logs. */
    String summary();

    /**
     * The request was carried out (possibly with nothing to change).
     *
     * @param revokedPolicyArns for revokes: the policies no longer granted (their state is updated)
     */
    record Applied(String summary, AccessSnapshot before, AccessSnapshot after, List<String> revokedPolicyArns)
            implements ChangeResult {
        public Applied {
            revokedPolicyArns = List.copyOf(revokedPolicyArns);
        }
    }

    /** The request was refused; {@code summary} says why. */
    record Rejected(String summary, AccessSnapshot before) implements ChangeResult {
    }

    /** Nothing was done because nothing should be (for example, a bootstrap already done). */
    record Ignored(String summary) implements ChangeResult {
    }
}
