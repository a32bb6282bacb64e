package dev.eksaccess.creation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.log.Level;
import dev.eksaccess.log.LogEvent;
import dev.eksaccess.registry.ClusterRecord;
import java.io.IOException;

/**
 * What handling one CreateCluster event came to; each outcome is logged as one line, which it renders itself
 * ({@link #logEvent()}): after the log envelope, the registry record's fields, then the outcome's own.
 */
public sealed interface CreationOutcome {

    /**
     * The log line of this outcome: a malformed event {@code rejected} is a warning, an event EKS does not confirm an
     * error (it raises the alarm), every other outcome the function doing its job.
     */
    LogEvent logEvent();

    /** The call failed ({@code errorCode}); there is no cluster, nothing was recorded or sent. */
    record Ignored(CreateClusterCall.Failed call) implements CreationOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.INFO, "ignored", "the CreateCluster call failed (" + call.errorCode()
                    + "), so there is no cluster; nothing recorded", json -> {
                json.writeStringField("eventId", call.eventId());
                json.writeStringField("clusterName", call.clusterName());
                json.writeStringField("errorCode", call.errorCode());
                json.writeStringField("errorMessage", call.errorMessage());
            });
        }
    }

    /** First delivery: the record was written, and a bootstrap request sent when {@code requestSent}. */
    record Recorded(ClusterRecord record, boolean requestSent) implements CreationOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.INFO, "recorded", "a new cluster; bootstrap " + record.bootstrapStatus() + ": "
                    + record.bootstrapReason(), json -> writeRecord(json, record, requestSent));
        }
    }

    /**
     * The same event again: the stored record was left as it is. While its bootstrap is still
     * {@link dev.eksaccess.registry.BootstrapStatus#PENDING} the bootstrap request is sent again
     * ({@code requestSent}), because the first delivery may have failed between the write and the send.
     */
    record Duplicate(ClusterRecord stored, boolean requestSent) implements CreationOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.INFO, "duplicate", requestSent
                    ? "event already recorded; bootstrap still PENDING, so its (idempotent) request was sent again"
                    : "event already recorded; nothing changed", json -> writeRecord(json, stored, requestSent));
        }
    }

    /**
     * A newer CreateCluster for an ARN already recorded: the cluster was deleted and created again under the same
     * name, so the new event's record replaced {@code previous}.
     */
    record Replaced(ClusterRecord previous, ClusterRecord record, boolean requestSent) implements CreationOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.INFO, "replaced", "a newer CreateCluster for a recorded ARN: the cluster was "
                    + "deleted and created again; the record now describes the new cluster", json -> {
                writeRecord(json, record, requestSent);
                json.writeStringField("previousEventId", previous.eventId());
                json.writeStringField("previousEventTime", String.valueOf(previous.eventTime()));
            });
        }
    }

    /**
     * An event not newer than the one already recorded for the ARN (a late delivery about an earlier cluster of the
     * same name): nothing was changed or sent.
     */
    record Stale(ClusterRecord stored, ClusterCreated event) implements CreationOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.INFO, "stale", "the registry holds a record from a newer CreateCluster for this "
                    + "ARN; this older event changed nothing", json -> {
                writeRecord(json, stored);
                json.writeStringField("staleEventId", event.eventId());
                json.writeStringField("staleEventTime", event.eventTime().toString());
            });
        }
    }

    /**
     * The event is not a well-formed CloudTrail CreateCluster event ({@link MalformedEventException}): it never will
     * be, so it is logged and the invocation succeeds; a retry would only delay the dead-letter queue.
     */
    record Rejected(MalformedEventException problem) implements CreationOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.WARN, "rejected", problem.getMessage(),
                    json -> json.writeStringField("eventId", problem.eventId().orElse(null)));
        }
    }

    /**
     * EKS does not confirm the event ({@link ClusterVerifier}): no such cluster, another ARN, or created at another
     * time. Nothing was recorded or sent. Logged as {@code rejected} at ERROR with an {@code errorType} naming the
     * check, so the logged-errors alarm fires: the event was forged, replayed, or EKS and CloudTrail disagree, and a
     * person must look. Not retried: EKS's answer will not change.
     */
    record Unverified(ClusterCreated event, ClusterVerifier.Mismatch mismatch) implements CreationOutcome {

        @Override
        public LogEvent logEvent() {
            return LogEvent.of(Level.ERROR, "rejected", "not verified with EKS DescribeCluster: " + mismatch.reason()
                    + "; nothing recorded, nothing queued for bootstrap", json -> {
                json.writeStringField("errorType", mismatch.kind().errorType());
                json.writeStringField("eventId", event.eventId());
                json.writeStringField("clusterArn", event.clusterArn());
                json.writeStringField("eventTime", event.eventTime().toString());
                json.writeStringField("creatorPrincipalArn", event.creator().principalArn());
                json.writeStringField("creatorIdentityType", event.creator().identityType());
                DescribedCluster described = mismatch.described();
                if (described != null) {
                    json.writeStringField("describedArn", described.arn());
                    json.writeStringField("describedCreatedAt", String.valueOf(described.createdAt()));
                    json.writeStringField("describedStatus", described.status());
                }
            });
        }
    }

    private static void writeRecord(JsonGenerator json, ClusterRecord record, boolean requestSent) throws IOException {
        writeRecord(json, record);
        json.writeBooleanField("bootstrapRequestSent", requestSent);
    }

    /** The registry record's fields, as every log line about a cluster record writes them. */
    public static void writeRecord(JsonGenerator json, ClusterRecord record) throws IOException {
        json.writeStringField("eventId", record.eventId());
        json.writeStringField("clusterArn", record.clusterArn());
        json.writeStringField("creatorPrincipalArn", record.creatorPrincipalArn());
        json.writeStringField("creatorIdentityType", record.creatorIdentityType());
        json.writeStringField("creatorSessionName", record.creatorSessionName());
        json.writeStringField("creatorNote", record.creatorNote());
        json.writeStringField("source", record.source());
        json.writeStringField("authenticationMode", record.authenticationMode());
        json.writeBooleanField("bootstrapCreatorAdmin", record.bootstrapCreatorAdmin());
        json.writeStringField("bootstrapStatus", record.bootstrapStatus().name());
        json.writeStringField("bootstrapReason", record.bootstrapReason());
    }
}
