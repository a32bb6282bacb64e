package dev.eksaccess.creation;

import dev.eksaccess.registry.ClusterRecord;

/** What handling one CreateCluster event came to; each outcome is logged as one structured line. */
public sealed interface CreationOutcome {

    /** The call failed ({@code errorCode}); there is no cluster, nothing was recorded or sent. */
    record Ignored(CreateClusterCall.Failed call) implements CreationOutcome {
    }

    /** First delivery: the record was written, and a bootstrap request sent when {@code requestSent}. */
    record Recorded(ClusterRecord record, boolean requestSent) implements CreationOutcome {
    }

    /**
     * The same event again: the stored record was left as it is. While its bootstrap is still
     * {@link dev.eksaccess.registry.BootstrapStatus#PENDING} the bootstrap request is sent again
     * ({@code requestSent}), because the first delivery may have failed between the write and the send.
     */
    record Duplicate(ClusterRecord stored, boolean requestSent) implements CreationOutcome {
    }

    /**
     * A newer CreateCluster for an ARN already recorded: the cluster was deleted and created again under the same
     * name, so the new event's record replaced {@code previous}.
     */
    record Replaced(ClusterRecord previous, ClusterRecord record, boolean requestSent) implements CreationOutcome {
    }

    /**
     * An event not newer than the one already recorded for the ARN (a late delivery about an earlier cluster of the
     * same name): nothing was changed or sent.
     */
    record Stale(ClusterRecord stored, ClusterCreated event) implements CreationOutcome {
    }
}
