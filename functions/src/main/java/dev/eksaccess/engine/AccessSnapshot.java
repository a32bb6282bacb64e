package dev.eksaccess.engine;

import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.json.Json;
import java.util.List;

/**
 * A principal's access on a cluster at one moment, for the ledger's before/after.
 *
 * @param entry    the access entry, or null when the principal has none
 * @param policies its associated policies
 */
public record AccessSnapshot(AccessEntry entry, List<AssociatedPolicy> policies) {

    public static final AccessSnapshot NONE = new AccessSnapshot(null, List.of());

    public AccessSnapshot {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    /** Compact JSON for the ledger. */
    public String toJson() {
        return Json.object(json -> {
            if (entry == null) {
                json.writeNullField("entry");
            } else {
                json.writeObjectFieldStart("entry");
                json.writeStringField("type", entry.type());
                Json.writeStrings(json, "kubernetesGroups", entry.kubernetesGroups());
                if (entry.username() != null) {
                    json.writeStringField("username", entry.username());
                }
                json.writeBooleanField("createdByThisSystem", entry.createdByThisSystem());
                json.writeEndObject();
            }
            json.writeArrayFieldStart("policies");
            for (AssociatedPolicy policy : policies) {
                json.writeStartObject();
                json.writeStringField("policyArn", policy.policyArn());
                json.writeStringField("scope", policy.scope().toString());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }
}
