package dev.eksaccess.contract.eligibility;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the eligibility rules answer to an {@link AccessQuestion}. */
public sealed interface Verdict {

    /**
     * Allowed now.
     *
     * @param ruleId       the rule that allows it, or {@value Eligibility#SELF} when a principal drops its own access
     * @param breakGlass   the rule is a break-glass rule: raise the alarm
     * @param onlyPolicies for a revoke of every policy by someone else than the principal: the policies the sender
     *                     may revoke; empty: no limit
     */
    record Allowed(String ruleId, boolean breakGlass, Optional<List<String>> onlyPolicies) implements Verdict {
    }

    /** Allowed once {@code count} of the {@code approvers} approve within {@code timeout}. */
    record NeedsApproval(String ruleId, List<String> approvers, int count, Duration timeout) implements Verdict {

        public NeedsApproval {
            approvers = List.copyOf(approvers);
        }
    }

    /** Not allowed; the reason names what no rule allows. */
    record Denied(String reason) implements Verdict {
    }
}
