package dev.eksaccess.log;

import dev.eksaccess.json.Json;
import java.util.Objects;

/**
 * What one log line says: its level, outcome and reason, the queue message and request it is about if any, and its
 * own fields, which {@link InvocationLog} writes after the envelope. Made next to the code that decides each outcome,
 * so that how an outcome reads is kept with what it means.
 *
 * @param outcome   what happened, one word from the function's documented set ({@code applied}, {@code recorded}, ...)
 * @param reason    why, for a person
 * @param messageId the queue message the line is about, or null
 * @param requestId the access request the line is about, or null
 * @param fields    writes the event's own fields
 */
public record LogEvent(Level level, String outcome, String reason, String messageId, String requestId,
                       Json.Writing fields) {

    public LogEvent {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(fields, "fields");
    }

    /** A line about no queue message. */
    public static LogEvent of(Level level, String outcome, String reason, Json.Writing fields) {
        return new LogEvent(level, outcome, reason, null, null, fields);
    }
}
