package dev.eksaccess.creation;

import java.util.Optional;

/**
 * The event is not a well-formed CloudTrail {@code CreateCluster} event as EventBridge delivers it. The message
 * names the field and what was wrong with it. Such an event will never become valid, so it is rejected (logged),
 * not retried.
 */
public final class MalformedEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String eventId;

    public MalformedEventException(String message) {
        this(message, null);
    }

    /** @param eventId the CloudTrail event id, else the EventBridge event id, for finding the event; may be null */
    public MalformedEventException(String message, String eventId) {
        super(message);
        this.eventId = eventId;
    }

    /** The id of the rejected event, when it could be read. */
    public Optional<String> eventId() {
        return Optional.ofNullable(eventId);
    }
}
