package dev.eksaccess.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AssociatedPolicy;
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
        ObjectNode node = JSON.createObjectNode();
        if (entry == null) {
            node.putNull("entry");
        } else {
            ObjectNode e = node.putObject("entry").put("type", entry.type());
            entry.kubernetesGroups().forEach(e.putArray("kubernetesGroups")::add);
            if (entry.username() != null) {
                e.put("username", entry.username());
            }
            e.put("createdByThisSystem", entry.createdByThisSystem());
        }
        var array = node.putArray("policies");
        for (AssociatedPolicy policy : policies) {
            array.addObject().put("policyArn", policy.policyArn()).put("scope", policy.scope().toString());
        }
        return node.toString();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
