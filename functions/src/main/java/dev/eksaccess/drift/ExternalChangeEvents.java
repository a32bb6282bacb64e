package dev.eksaccess.drift;

/**
 * Publishes one outcome event per external change (EventBridge when deployed; contract {@code OutcomeEvents},
 * detail-type {@code EXTERNAL_CHANGE_DETAIL_TYPE}). At least once: a change whose event is delivered again is
 * published again, since the first attempt may have failed after recording; subscribers tell copies apart by
 * {@code eventId}.
 */
@FunctionalInterface
public interface ExternalChangeEvents {

    /** Publishes nothing: for a deployment without an outcome bus. */
    ExternalChangeEvents NONE = change -> { };

    /** @throws RuntimeException when the event could not be published: the CloudTrail event is retried */
    void publish(ExternalChange change);
}
