package dev.eksaccess.drift;

import dev.eksaccess.creation.MalformedEventException;
import dev.eksaccess.drift.ChangeClass.Severity;
import dev.eksaccess.log.Level;
import dev.eksaccess.log.LogEvent;

/**
 * What the access-change function did with one CloudTrail event, and the line it logs about it
 * ({@link #logEvent()}). A line about a judged change carries its {@code severity}: the stack's lockout-risk metric
 * counts the lines whose severity is {@code lockout-risk}, whether recorded now or found recorded on a redelivery (so an
 * attempt that failed after recording still raises the alarm on its retry).
 */
public sealed interface AccessChangeOutcome {

    LogEvent logEvent();

    /** Not an event of a watched call, or a field it needs is malformed: it never becomes valid, so it is not retried. */
    record Rejected(MalformedEventException problem) implements AccessChangeOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.WARN, "rejected", problem.getMessage(),
                    json -> json.writeStringField("eventId", problem.eventId().orElse(null)));
        }
    }

    /** A watched call that changed no access (it failed; an UpdateClusterConfig without accessConfig). */
    record Ignored(AccessChangeParser.NotAChange call) implements AccessChangeOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.INFO, "ignored", call.reason(), json -> {
                json.writeStringField("eventId", call.eventId());
                json.writeStringField("eventName", call.eventName());
            });
        }
    }

    /** Made by one of this system's own roles: recorded already as the request it served. */
    record OwnCall(AccessChange change) implements AccessChangeOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.INFO, "own-call", "made by eks-access itself (" + change.actor().principalArn()
                    + "): not an external change", json -> {
                json.writeStringField("eventId", change.eventId());
                json.writeStringField("eventName", change.kind().eventName());
                json.writeStringField("clusterArn", change.cluster().arn());
            });
        }
    }

    /**
     * An external change, judged, recorded in the ledger, published, and handed to the {@link DriftResponse}.
     *
     * @param first  true when recorded now; false when its event was recorded before (a redelivery: the ledger keeps
     *               the first record, and this judgement was made again)
     * @param repair what the {@link DriftResponse} did about it: the line's {@code repair} object, {@code action}
     *               {@code restore-requested} with the restore's {@code requestId}, or {@code none}, and the
     *               {@code reason} either way
     */
    record Recorded(ExternalChange change, boolean first, DriftResponder.Response repair)
            implements AccessChangeOutcome {

        @Override
        public LogEvent logEvent() {
            Severity severity = change.judged().severity();
            return LogEvent.of(severity == Severity.LOCKOUT_RISK ? Level.WARN : Level.INFO,
                    first ? "recorded" : "duplicate",
                    (first ? "" : "already recorded; ") + change.change().summary() + ": " + change.judged().reason(),
                    json -> {
                        change.writeFields(json);
                        json.writeObjectFieldStart("repair");
                        if (repair instanceof DriftResponder.Restore restore) {
                            json.writeStringField("action", "restore-requested");
                            json.writeStringField("requestId", restore.request().requestId());
                        } else {
                            json.writeStringField("action", "none");
                        }
                        json.writeStringField("reason", repair.reason());
                        json.writeEndObject();
                    });
        }
    }
}
