package dev.eksaccess.drift;

import dev.eksaccess.creation.MalformedEventException;

/**
 * The access-change function's work on one CloudTrail event: read it ({@link AccessChangeParser}), skip own calls,
 * judge and record the others once ({@link ExternalChanges}), then publish each recorded change
 * ({@link ExternalChangeEvents}) and hand it to the {@link DriftResponse}. A redelivered event is published and
 * handed on again, since its first attempt may have failed after recording.
 *
 * <p>A failure of EKS, the ledger or the bus is thrown: the event is retried, then kept in the rule's dead-letter
 * queue.
 */
public final class AccessChangeService {

    private final AccessChangeParser parser = new AccessChangeParser();
    private final ExternalChanges changes;
    private final ExternalChangeEvents events;
    private final DriftResponse response;

    public AccessChangeService(ExternalChanges changes, ExternalChangeEvents events, DriftResponse response) {
        this.changes = changes;
        this.events = events;
        this.response = response;
    }

    public AccessChangeOutcome handle(byte[] event) {
        AccessChangeParser.Parsed parsed;
        try {
            parsed = parser.parse(event);
        } catch (MalformedEventException e) {
            return new AccessChangeOutcome.Rejected(e);
        }
        if (parsed instanceof AccessChangeParser.NotAChange notAChange) {
            return new AccessChangeOutcome.Ignored(notAChange);
        }
        ExternalChanges.Handled handled = changes.handle(((AccessChangeParser.Change) parsed).change());
        ExternalChange judged = switch (handled) {
            case ExternalChanges.OwnCall own -> null;
            case ExternalChanges.Recorded now -> now.recorded();
            case ExternalChanges.AlreadyRecorded again -> again.judgedAgain();
        };
        if (judged == null) {
            return new AccessChangeOutcome.OwnCall(handled.change());
        }
        events.publish(judged);
        return new AccessChangeOutcome.Recorded(judged, handled instanceof ExternalChanges.Recorded,
                response.respond(judged));
    }

    /** Reads the event only: what priming exercises without I/O. */
    public AccessChangeParser.Parsed read(byte[] event) {
        return parser.parse(event);
    }
}
