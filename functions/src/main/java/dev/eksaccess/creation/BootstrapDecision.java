package dev.eksaccess.creation;

import dev.eksaccess.registry.BootstrapStatus;
import java.util.List;
import java.util.Objects;

/**
 * What the cluster-creation function decides for a new cluster's admin bootstrap.
 *
 * @param status      {@link BootstrapStatus#PENDING} (a bootstrap request goes to the grant queue),
 *                    {@link BootstrapStatus#BLOCKED} or {@link BootstrapStatus#NOT_NEEDED}
 * @param reason      human-readable reason, stored in the registry
 * @param principals  the admin principals the grant processor is expected to bootstrap (configured admins, then
 *                    the creator when it qualifies), whatever the status
 * @param creatorNote what the system did not do for the creator and why, or null
 */
public record BootstrapDecision(BootstrapStatus status, String reason, List<String> principals, String creatorNote) {

    public BootstrapDecision {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        principals = List.copyOf(principals);
    }

    /** Whether a bootstrap request is to be sent to the grant queue. */
    public boolean sendsBootstrapRequest() {
        return status == BootstrapStatus.PENDING;
    }
}
