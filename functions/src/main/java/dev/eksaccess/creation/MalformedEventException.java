package dev.eksaccess.creation;

/**
 * The event is not a well-formed CloudTrail {@code CreateCluster} event as EventBridge delivers it. The message
 * names the field and what was wrong with it. Such an event will never become valid, so it is rejected (logged),
 * not retried.
 */
public final class MalformedEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }
}
