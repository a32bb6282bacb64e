package dev.eksaccess.drift;

import dev.eksaccess.contract.OutcomeEvents;
import java.util.Objects;

/**
 * How much a change someone else made to a cluster's access matters, and why.
 *
 * @param severity the class
 * @param reason   what made it so, in one sentence an operator can act on
 */
public record ChangeClass(Severity severity, String reason) {

    /** From least to most serious. */
    public enum Severity {
        /** Touches nothing this system holds and leaves the cluster reachable. */
        HARMLESS("harmless"),
        /** Changes an entry or policy one of this system's grants holds. */
        CONFLICTS_WITH_GRANT("conflicts-with-grant"),
        /** May leave nobody able to reach the cluster: the creator's entry, the last cluster admin, a move to API. */
        LOCKOUT_RISK(OutcomeEvents.LOCKOUT_RISK_SEVERITY);

        private final String wireName;

        Severity(String wireName) {
            this.wireName = wireName;
        }

        /** As log lines, outcome events and the ledger write it (the alarm's metric filter matches it). */
        public String wireName() {
            return wireName;
        }
    }

    public ChangeClass {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(reason, "reason");
    }
}
