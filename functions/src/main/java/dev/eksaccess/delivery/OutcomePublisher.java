package dev.eksaccess.delivery;

import java.util.List;

/**
 * Publishes outcome events (EventBridge {@code PutEvents} when deployed). The ledger stays the record: a failed
 * publication is logged as an error (which raises the alarm), never retried by redoing the change.
 */
@FunctionalInterface
public interface OutcomePublisher {

    /** Publishes no events at all: for a deployment without an outcome bus. */
    OutcomePublisher NONE = events -> { };

    /**
     * Publishes {@code events}, in order, at most ten.
     *
     * @throws RuntimeException when some could not be published
     */
    void publish(List<OutcomeEvent> events);
}
