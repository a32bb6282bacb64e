package dev.eksaccess.adopt;

import dev.eksaccess.registry.ClusterRecord;
import java.util.Objects;

/**
 * What adoption did, or in plan mode would do, with one cluster.
 *
 * @param clusterArn the cluster
 * @param action     what happened
 * @param detail     why, in words an operator can act on
 * @param record     the registry record written (or that would be), or the one already there; null when skipped
 */
public record ClusterAdoption(String clusterArn, Action action, String detail, ClusterRecord record) {

    public ClusterAdoption {
        Objects.requireNonNull(clusterArn, "clusterArn");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(detail, "detail");
    }

    /** Each outcome, named as the report's {@code action}. */
    public enum Action {
        /** Registered now; its admin bootstrap was sent when the record says PENDING. */
        ADOPTED("adopted"),
        /** Plan mode: would be registered (and bootstrapped, when the record says PENDING). */
        WOULD_ADOPT("would-adopt"),
        /** The registry has it already: nothing to do. */
        REGISTERED("already-registered"),
        /** Adopted earlier, its bootstrap still PENDING: the request was sent again (the same request id). */
        BOOTSTRAP_SENT_AGAIN("bootstrap-sent-again"),
        /** Plan mode: would send the pending bootstrap of an earlier adoption again. */
        WOULD_SEND_BOOTSTRAP_AGAIN("would-send-bootstrap-again"),
        /** Not adopted now (not ACTIVE, too new, gone); a later run looks again. */
        SKIPPED("skipped"),
        /** EKS, the registry or the queue failed for this cluster; a later run tries again. */
        FAILED("failed");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
