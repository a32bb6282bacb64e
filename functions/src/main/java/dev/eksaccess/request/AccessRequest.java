package dev.eksaccess.request;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.json.Json;
import dev.eksaccess.model.ClusterRef;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A validated grant, revoke or migrate request: the message contract v1, and the one definition of its schema.
 *
 * <p>Wire form (JSON; field names mirror the EKS API):
 * <pre>
 * { "action": "grant" | "revoke" | "migrate" | "recover",
 *   "clusterName": "payments-prod"  | "clusterArn": "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod",
 *   "principalArn": "arn:aws:iam::111122223333:role/payments-dev",
 *   "accessPolicy": "AmazonEKSViewPolicy",          (short name or policy ARN; optional for revoke = all)
 *   "accessScope": {"type": "cluster"} | {"type": "namespace", "namespaces": ["payments", "payments-*"]},
 *   "kubernetesGroups": ["payments-readers"], "username": "payments-dev",       (grant only, optional)
 *   "expiresAt": "2026-12-01T18:00:00Z" | "duration": "PT8H",                  (grant only, optional)
 *   "entryType": "STANDARD" | "EC2_LINUX", "awsAuthMapping": "mapRoles[1] (line 6): arn:...",  (migrate only)
 *   "requestId": "...", "requestedAt": "...", "requestedBy": "...", "reason": "..." }
 * </pre>
 * A recover ({@code "action": "recover"}) gives the principal
 * {@value dev.eksaccess.contract.AccessPolicies#CLUSTER_ADMIN} at cluster scope until {@code expiresAt} (required),
 * as a grant would, on a cluster nobody can reach (docs/migration.md#recover-lost-access).
 * A migrate moves one aws-auth mapping to an access entry (docs/migration.md): the entry of {@code entryType}, its
 * groups and username, and optionally {@value dev.eksaccess.contract.AccessPolicies#CLUSTER_ADMIN} at cluster scope
 * (what system:masters becomes); an EC2_LINUX entry (a node role) has no policy, groups or username. It never
 * expires, as the mapping did not.
 * {@link RequestParser} turns a message into this record or into a list of field errors; {@link #toJson()} writes
 * the wire form (the expiry sweep, the sandbox and the CLI send requests with it).
 *
 * @param action           {@link Action#GRANT}, {@link Action#REVOKE}, {@link Action#MIGRATE} or {@link Action#RECOVER}
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
 * @param migration        migrate only (else null): the entry type and the aws-auth mapping it comes from
 */
public record AccessRequest(Action action, ClusterRef cluster, String principalArn, String policyName,
                            AccessScope scope, List<String> kubernetesGroups, String username, Instant expiresAt,
                            String requestId, Instant requestedAt, String requestedBy, String reason,
                            Migration migration) {

    /**
     * What a migrate adds to a request.
     *
     * @param entryType      {@link dev.eksaccess.eks.AccessEntry#STANDARD} or {@link NewAccessEntry#EC2_LINUX}
     * @param awsAuthMapping the mapping it comes from, as the plan names it (audit)
     */
    public record Migration(String entryType, String awsAuthMapping) {
        public Migration {
            Objects.requireNonNull(entryType, "entryType");
            Objects.requireNonNull(awsAuthMapping, "awsAuthMapping");
        }

        /** Whether the entry is a node role's (EC2_LINUX): no policy, groups or username. */
        public boolean nodeEntry() {
            return NewAccessEntry.EC2_LINUX.equals(entryType);
        }
    }

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
    public static final String ENTRY_TYPE = "entryType";
    public static final String AWS_AUTH_MAPPING = "awsAuthMapping";

    /** Every field a grant or revoke message may carry. */
    public static final Set<String> FIELDS = Set.of(ACTION, CLUSTER_NAME, CLUSTER_ARN, PRINCIPAL_ARN, ACCESS_POLICY,
            ACCESS_SCOPE, KUBERNETES_GROUPS, USERNAME, EXPIRES_AT, DURATION, REQUEST_ID, REQUESTED_AT, REQUESTED_BY,
            REASON);
    /** Fields that only a grant may carry. */
    public static final Set<String> GRANT_ONLY_FIELDS = Set.of(ACCESS_SCOPE, KUBERNETES_GROUPS, USERNAME, EXPIRES_AT,
            DURATION);
    /** Fields of a migrate message: a grant's and the entry type and mapping (expiry fields are refused by name). */
    public static final Set<String> MIGRATE_FIELDS = Set.of(ACTION, CLUSTER_NAME, CLUSTER_ARN, PRINCIPAL_ARN,
            ACCESS_POLICY, ACCESS_SCOPE, KUBERNETES_GROUPS, USERNAME, EXPIRES_AT, DURATION, ENTRY_TYPE,
            AWS_AUTH_MAPPING, REQUEST_ID, REQUESTED_AT, REQUESTED_BY, REASON);
    /**
     * Fields of a recover message: the cluster, the principal, its expiry (required), and optionally the policy and
     * scope, which can only be AmazonEKSClusterAdminPolicy at cluster scope (refused by name otherwise).
     */
    public static final Set<String> RECOVER_FIELDS = Set.of(ACTION, CLUSTER_NAME, CLUSTER_ARN, PRINCIPAL_ARN,
            ACCESS_POLICY, ACCESS_SCOPE, EXPIRES_AT, DURATION, REQUEST_ID, REQUESTED_AT, REQUESTED_BY, REASON);
    /** The entry types a migrate may create. */
    public static final List<String> MIGRATE_ENTRY_TYPES = List.of(AccessEntry.STANDARD, NewAccessEntry.EC2_LINUX);
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
        if ((action == Action.MIGRATE) != (migration != null)) {
            throw new IllegalArgumentException("a migrate, and only a migrate, names its entry type and mapping");
        }
        if (migration != null && migration.nodeEntry()
                && (policyName != null || kubernetesGroups != null && !kubernetesGroups.isEmpty() || username != null)) {
            throw new IllegalArgumentException("an EC2_LINUX entry has no policy, groups or username");
        }
    }

    /** A grant or revoke. */
    public AccessRequest(Action action, ClusterRef cluster, String principalArn, String policyName, AccessScope scope,
                         List<String> kubernetesGroups, String username, Instant expiresAt, String requestId,
                         Instant requestedAt, String requestedBy, String reason) {
        this(action, cluster, principalArn, policyName, scope, kubernetesGroups, username, expiresAt, requestId,
                requestedAt, requestedBy, reason, null);
    }

    /** Whether the request associates a policy: a grant, a recover, or a migrate with one. */
    public boolean associatesPolicy() {
        return (action == Action.GRANT || action == Action.MIGRATE || action == Action.RECOVER)
                && policyName != null;
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
            if (migration != null) {
                json.writeStringField(ENTRY_TYPE, migration.entryType());
                json.writeStringField(AWS_AUTH_MAPPING, migration.awsAuthMapping());
            }
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
