package dev.eksaccess.drift;

import java.time.Instant;
import java.util.Objects;

/**
 * A change to a cluster's access that someone other than this system made, as the ledger keeps it.
 *
 * @param change     the call, from CloudTrail
 * @param judged     how much it matters, and why
 * @param recordedAt when this system recorded it
 */
public record ExternalChange(AccessChange change, ChangeClass judged, Instant recordedAt) {

    public ExternalChange {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(judged, "judged");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }
}
