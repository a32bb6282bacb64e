package dev.eksaccess.authz;

import dev.eksaccess.contract.eligibility.Verdict;
import java.util.List;
import java.util.Optional;

/** What the {@link Authorizer} decided about one message from one sender. */
public sealed interface Authorization {

    /**
     * Go ahead.
     *
     * @param ruleId       the eligibility rule that allows it, {@code self}, or the internal sender it came from
     * @param breakGlass   a break-glass rule allowed it: raise the alarm
     * @param onlyPolicies for a revoke of every policy: the short names of the policies it may remove; empty: all
     */
    record Permit(String ruleId, boolean breakGlass, Optional<List<String>> onlyPolicies) implements Authorization {

        /** A message from one of the system's own functions. */
        public static Permit internal(String function) {
            return new Permit(function, false, Optional.empty());
        }
    }

    /** Allowed once approved: store it, apply nothing, tell the approvers. */
    record Hold(Verdict.NeedsApproval approval) implements Authorization {
    }

    /** Refused; the reason is stored and sent back. */
    record Refuse(String reason) implements Authorization {
    }
}
