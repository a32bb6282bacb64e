package dev.eksaccess.drift;

import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.json.Json;
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

    /**
     * The detail of its outcome event (detail-type {@link OutcomeEvents#EXTERNAL_CHANGE_DETAIL_TYPE}), whose schema
     * is contract's {@code external-change-event-v1.schema.json}; also the fields of its log line.
     */
    public String detailJson() {
        return Json.object(this::writeFields);
    }

    /** Writes the detail's fields, without the enclosing object. */
    public void writeFields(com.fasterxml.jackson.core.JsonGenerator json) throws java.io.IOException {
        json.writeNumberField("schemaVersion", OutcomeEvents.EXTERNAL_CHANGE_SCHEMA_VERSION);
        json.writeStringField("eventId", change.eventId());
        json.writeStringField("eventTime", change.eventTime().toString());
        json.writeStringField("eventName", change.kind().eventName());
        json.writeObjectFieldStart("cluster");
        json.writeStringField("arn", change.cluster().arn());
        json.writeStringField("name", change.cluster().name());
        json.writeStringField("account", change.cluster().accountId());
        json.writeStringField("region", change.cluster().region());
        json.writeEndObject();
        json.writeStringField("principalArn", change.principalArn());
        json.writeStringField("policyArn", change.policyArn());
        if (change.scope() == null) {
            json.writeNullField("scope");
        } else {
            json.writeObjectFieldStart("scope");
            json.writeStringField("type", change.scope().type().wireName());
            if (change.scope().type() == AccessScope.Type.NAMESPACE) {
                Json.writeStrings(json, "namespaces", change.scope().namespaces());
            }
            json.writeEndObject();
        }
        Json.writeStrings(json, "kubernetesGroups", change.kubernetesGroups());
        json.writeStringField("authenticationMode", change.authenticationMode());
        json.writeObjectFieldStart("actor");
        json.writeStringField("type", change.actor().identityType());
        json.writeStringField("arn", change.actor().principalArn());
        json.writeStringField("session", change.actor().sessionName());
        json.writeStringField("invokedBy", change.actor().invokedBy());
        json.writeEndObject();
        json.writeStringField("summary", change.summary());
        json.writeStringField("severity", judged.severity().wireName());
        json.writeStringField("severityReason", judged.reason());
        json.writeStringField("recordedAt", recordedAt.toString());
    }
}
