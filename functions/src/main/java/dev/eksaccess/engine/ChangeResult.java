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

    /**
     * The request was refused; {@code summary} says why.
     *
     * @param configurationError the kind of deployment fault behind the refusal (e.g. {@code AccessDenied}), which a
     *                           person must fix and which raises the alarm; null when the request itself is refused
     * @param bySafetyRule       whether one of the {@link SafetyRules} refused it (the last cluster admin, the creator,
     *                           a configured admin, a non-STANDARD entry, an entry eks-access did not create), rather
     *                           than the cluster's state or EKS: such a refusal of an expiry revoke keeps the grant
     *                           overdue and raises the alarm
     */
    record Rejected(String summary, AccessSnapshot before, String configurationError, boolean bySafetyRule)
            implements ChangeResult {

        public Rejected(String summary, AccessSnapshot before) {
            this(summary, before, null, false);
        }

        public Rejected(String summary, AccessSnapshot before, String configurationError) {
            this(summary, before, configurationError, false);
        }
    }

    /** Nothing was done because nothing should be (for example, a bootstrap already done). */
    record Ignored(String summary) implements ChangeResult {
    }
}
