package dev.eksaccess.drift;

import dev.eksaccess.creation.Creator;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One call to EKS that changed who may reach a cluster, as CloudTrail recorded it.
 *
 * @param eventId            CloudTrail's {@code eventID}
 * @param eventTime          when the call was made
 * @param cluster            the cluster it changed
 * @param kind               what kind of change
 * @param principalArn       the access entry's principal; null for {@link Kind#AUTHENTICATION_MODE}
 * @param policyArn          the access policy, for {@link Kind#ASSOCIATE_POLICY} and {@link Kind#DISASSOCIATE_POLICY};
 *                           else null
 * @param scope              the scope associated, for {@link Kind#ASSOCIATE_POLICY}; else null
 * @param kubernetesGroups   the groups an entry was created or updated with (empty when none were sent)
 * @param authenticationMode the mode asked for, for {@link Kind#AUTHENTICATION_MODE}; else null
 * @param actor              who made the call (for an assumed role, the role ARN with its path)
 */
public record AccessChange(String eventId, Instant eventTime, ClusterRef cluster, Kind kind, String principalArn,
                           String policyArn, AccessScope scope, List<String> kubernetesGroups,
                           String authenticationMode, Creator actor) {

    /** The calls this system watches, by their CloudTrail event names. */
    public enum Kind {
        CREATE_ENTRY("CreateAccessEntry"),
        UPDATE_ENTRY("UpdateAccessEntry"),
        DELETE_ENTRY("DeleteAccessEntry"),
        ASSOCIATE_POLICY("AssociateAccessPolicy"),
        DISASSOCIATE_POLICY("DisassociateAccessPolicy"),
        AUTHENTICATION_MODE("UpdateClusterConfig");

        private final String eventName;

        Kind(String eventName) {
            this.eventName = eventName;
        }

        public String eventName() {
            return eventName;
        }
    }

    public AccessChange {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        kubernetesGroups = kubernetesGroups == null ? List.of() : List.copyOf(kubernetesGroups);
        if ((principalArn == null) != (kind == Kind.AUTHENTICATION_MODE)) {
            throw new IllegalArgumentException(kind + " " + (principalArn == null ? "needs" : "has no") + " principal");
        }
    }

    /** One line for logs and the ledger, such as {@code DisassociateAccessPolicy AmazonEKSClusterAdminPolicy from P}. */
    public String summary() {
        return switch (kind) {
            case AUTHENTICATION_MODE -> kind.eventName() + " authenticationMode=" + authenticationMode;
            case ASSOCIATE_POLICY -> kind.eventName() + " " + shortPolicy() + " (" + scopeText() + ") to " + principalArn;
            case DISASSOCIATE_POLICY -> kind.eventName() + " " + shortPolicy() + " from " + principalArn;
            default -> kind.eventName() + " " + principalArn;
        };
    }

    private String shortPolicy() {
        return policyArn == null ? "?" : policyArn.substring(policyArn.lastIndexOf('/') + 1);
    }

    private String scopeText() {
        return scope == null ? "scope not recorded"
                : scope.type() == AccessScope.Type.CLUSTER ? "cluster" : "namespaces " + scope.namespaces();
    }
}
