package dev.eksaccess.request;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.json.Json;
import dev.eksaccess.model.ClusterRef;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A validated grant or revoke request: the message contract v1, and the one definition of its schema.
 *
 * <p>Wire form (JSON; field names mirror the EKS API):
 * <pre>
 * { "action": "grant" | "revoke",
 *   "clusterName": "payments-prod"  | "clusterArn": "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod",
 *   "principalArn": "arn:aws:iam::111122223333:role/payments-dev",
 *   "accessPolicy": "AmazonEKSViewPolicy",          (short name or policy ARN; optional for revoke = all)
 *   "accessScope": {"type": "cluster"} | {"type": "namespace", "namespaces": ["payments", "payments-*"]},
 *   "kubernetesGroups": ["payments-readers"], "username": "payments-dev",       (grant only, optional)
 *   "expiresAt": "2026-12-01T18:00:00Z" | "duration": "PT8H",                  (grant only, optional)
 *   "requestId": "...", "requestedAt": "...", "requestedBy": "...", "reason": "..." }
 * </pre>
 * {@link RequestParser} turns a message into this record or into a list of field errors; {@link #toJson()} writes
 * the wire form (the expiry sweep, the sandbox and the CLI send requests with it).
 *
 * @param action           {@link Action#GRANT} or {@link Action#REVOKE}
 * @param cluster          the target cluster
 * @param principalArn     IAM user or role ARN (role ARNs with their path)
 * @param policyName       access policy short name; null for a revoke of everything this system granted
 * @param scope            grant only: where the policy applies
 * @param kubernetesGroups grant only: desired groups, or null to leave the entry's groups as they are
 * @param username         grant only: desired username, or null to leave it as it is
 * @param expiresAt        grant only: when the grant is revoked automatically, or null for no expiry
 * @param requestId        idempotency key
 * @param requestedAt      orders requests for the same cluster, principal and policy
 * @param requestedBy      audit only
 * @param reason           audit only
 */
public record AccessRequest(Action action, ClusterRef cluster, String principalArn, String policyName,
                            AccessScope scope, List<String> kubernetesGroups, String username, Instant expiresAt,
                            String requestId, Instant requestedAt, String requestedBy, String reason) {

    public static final String ACTION = "action";
    public static final String CLUSTER_NAME = "clusterName";
    public static final String CLUSTER_ARN = "clusterArn";
    public static final String PRINCIPAL_ARN = "principalArn";
    public static final String ACCESS_POLICY = "accessPolicy";
    public static final String ACCESS_SCOPE = "accessScope";
    public static final String SCOPE_TYPE = "type";
    public static final String SCOPE_NAMESPACES = "namespaces";
    public static final String KUBERNETES_GROUPS = "kubernetesGroups";
    public static final String USERNAME = "username";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String DURATION = "duration";
    public static final String REQUEST_ID = "requestId";
    public static final String REQUESTED_AT = "requestedAt";
    public static final String REQUESTED_BY = "requestedBy";
    public static final String REASON = "reason";

    /** Every field a grant or revoke message may carry. */
    public static final Set<String> FIELDS = Set.of(ACTION, CLUSTER_NAME, CLUSTER_ARN, PRINCIPAL_ARN, ACCESS_POLICY,
            ACCESS_SCOPE, KUBERNETES_GROUPS, USERNAME, EXPIRES_AT, DURATION, REQUEST_ID, REQUESTED_AT, REQUESTED_BY,
            REASON);
    /** Fields that only a grant may carry. */
    public static final Set<String> GRANT_ONLY_FIELDS = Set.of(ACCESS_SCOPE, KUBERNETES_GROUPS, USERNAME, EXPIRES_AT,
            DURATION);
    /** Fields of the internal bootstrap message ({@link BootstrapRequest}). */
    public static final Set<String> BOOTSTRAP_FIELDS = Set.of(ACTION, CLUSTER_ARN, REQUEST_ID, REQUESTED_AT,
            REQUESTED_BY);

    /** Largest message body accepted, in UTF-8 bytes; a real request is well under 2 KiB. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024;

    public AccessRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (action == Action.BOOTSTRAP) {
            throw new IllegalArgumentException("bootstrap is a BootstrapRequest");
        }
        kubernetesGroups = kubernetesGroups == null ? null : List.copyOf(kubernetesGroups);
    }

    /** Whether this is a revoke of every policy this system granted the principal. */
    public boolean revokesAll() {
        return action == Action.REVOKE && policyName == null;
    }

    /** The policy ARN in the cluster's partition, or null for a revoke of everything. */
    public String policyArn() {
        return policyName == null ? null : policyArn(cluster.partition(), policyName);
    }

    /** The ARN of access policy {@code shortName} in {@code partition}. */
    public static String policyArn(String partition, String shortName) {
        return "arn:" + partition + ":eks::aws:cluster-access-policy/" + shortName;
    }

    /** The wire form; the cluster is always given by ARN and expiry by {@code expiresAt}. */
    public String toJson() {
        return Json.object(json -> {
            json.writeStringField(ACTION, action.wireName());
            json.writeStringField(CLUSTER_ARN, cluster.arn());
            json.writeStringField(PRINCIPAL_ARN, principalArn);
            writeIfNotNull(json, ACCESS_POLICY, policyName);
            if (scope != null) {
                json.writeObjectFieldStart(ACCESS_SCOPE);
                json.writeStringField(SCOPE_TYPE, scope.type().wireName());
                if (scope.type() == AccessScope.Type.NAMESPACE) {
                    Json.writeStrings(json, SCOPE_NAMESPACES, scope.namespaces());
                }
                json.writeEndObject();
            }
            if (kubernetesGroups != null) {
                Json.writeStrings(json, KUBERNETES_GROUPS, kubernetesGroups);
            }
            writeIfNotNull(json, USERNAME, username);
            writeIfNotNull(json, EXPIRES_AT, expiresAt == null ? null : expiresAt.toString());
            json.writeStringField(REQUEST_ID, requestId);
            json.writeStringField(REQUESTED_AT, requestedAt.toString());
            writeIfNotNull(json, REQUESTED_BY, requestedBy);
            writeIfNotNull(json, REASON, reason);
        });
    }

    private static void writeIfNotNull(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }
}
