package dev.eksaccess.adopt;

import java.time.Instant;
import java.util.List;

/**
 * CloudTrail's event history (LookupEvents, {@code EventName=CreateCluster}) in one account and region: where the
 * creator of a cluster that existed before the system is found, while CloudTrail still has the event
 * ({@link #RETENTION}).
 */
public interface CreateClusterHistory {

    /** How long CloudTrail's event history keeps management events. */
    java.time.Duration RETENTION = java.time.Duration.ofDays(90);

    /**
     * Every CreateCluster event recorded in {@code accountId} and {@code region} between {@code from} and {@code to},
     * all pages read: each the event's {@code CloudTrailEvent} text (the CloudTrail record, as EventBridge puts in an
     * event's {@code detail}).
     *
     * @throws HistoryUnavailableException when CloudTrail cannot be asked (LookupEvents denied, throttled past retries,
     *                                     network): the clusters of that account and region are adopted with their
     *                                     creator unknown, and the reason
     */
    List<String> createClusterEvents(String accountId, String region, Instant from, Instant to);

    /** CloudTrail could not be asked; the message says why, for the registry record's creator note. */
    final class HistoryUnavailableException extends RuntimeException {

        public HistoryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
