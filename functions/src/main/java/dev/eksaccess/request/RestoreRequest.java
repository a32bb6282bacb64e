package dev.eksaccess.request;

import dev.eksaccess.contract.RequestIds;
import dev.eksaccess.json.Json;
import dev.eksaccess.model.ClusterRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The internal message with which the drift function asks the grant processor to re-apply grants someone else
 * changed (docs/drift.md, "Repair"), so that a restore goes through the same code path, leases and safety rules as
 * any grant. Accepted only from the drift function's role.
 *
 * <p>It carries no scope, groups or expiry: the grant processor reads them from its own grant states, and restores a
 * grant only while its state is still the one named here (same request id, granted, not expired), so a forged or
 * stale restore can give nothing that a current grant does not already hold. Wire form (contract v1):
 * <pre>{"action":"restore","clusterArn":"arn:aws:eks:...","principalArn":"arn:aws:iam::...:role/x",
 *  "grants":[{"policyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy","grantRequestId":"r-1"}],
 *  "causeEventId":"CLOUDTRAIL-EVENT-ID","requestId":"eks-access:restore:CLOUDTRAIL-EVENT-ID",
 *  "requestedAt":"2026-12-03T09:00:00Z","requestedBy":"drift"}</pre>
 *
 * @param cluster      the cluster
 * @param principalArn the principal whose entry or policies were changed
 * @param grants       the grant states to restore, each by policy and the request that last granted it; never empty
 * @param causeEventId the CloudTrail event id of the change that is undone
 * @param requestId    {@link #requestIdFor}: one restore per change, so a redelivered event restores once
 * @param requestedAt  when the drift function asked
 * @param requestedBy  audit text
 */
public record RestoreRequest(ClusterRef cluster, String principalArn, List<Grant> grants, String causeEventId,
                             String requestId, Instant requestedAt, String requestedBy) {

    public static final String ACTION = "restore";
    public static final String REQUESTED_BY = "drift";
    public static final String GRANTS = "grants";
    public static final String POLICY_ARN = "policyArn";
    public static final String GRANT_REQUEST_ID = "grantRequestId";
    public static final String CAUSE_EVENT_ID = "causeEventId";
    /** Every field a restore message may carry. */
    public static final Set<String> FIELDS = Set.of(AccessRequest.ACTION, AccessRequest.CLUSTER_ARN,
            AccessRequest.PRINCIPAL_ARN, GRANTS, CAUSE_EVENT_ID, AccessRequest.REQUEST_ID, AccessRequest.REQUESTED_AT,
            AccessRequest.REQUESTED_BY);
    /** Most grants one restore names: one principal holds at most this many policies on a cluster in practice. */
    public static final int MAX_GRANTS = 20;

    /** One grant state to restore: its policy, and the request that last granted it. */
    public record Grant(String policyArn, String grantRequestId) {
        public Grant {
            Objects.requireNonNull(policyArn, "policyArn");
            Objects.requireNonNull(grantRequestId, "grantRequestId");
        }
    }

    public RestoreRequest {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(causeEventId, "causeEventId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestedAt, "requestedAt");
        grants = List.copyOf(grants);
        if (grants.isEmpty()) {
            throw new IllegalArgumentException("a restore names at least one grant");
        }
    }

    /** The request id of the restore undoing CloudTrail event {@code eventId}: {@code eks-access:restore:EVENT_ID}. */
    public static String requestIdFor(String eventId) {
        return RequestIds.SYSTEM + "restore:" + eventId;
    }

    /** The message body in its wire form. */
    public String toJson() {
        return Json.object(json -> {
            json.writeStringField(AccessRequest.ACTION, ACTION);
            json.writeStringField(AccessRequest.CLUSTER_ARN, cluster.arn());
            json.writeStringField(AccessRequest.PRINCIPAL_ARN, principalArn);
            json.writeArrayFieldStart(GRANTS);
            for (Grant grant : grants) {
                json.writeStartObject();
                json.writeStringField(POLICY_ARN, grant.policyArn());
                json.writeStringField(GRANT_REQUEST_ID, grant.grantRequestId());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField(CAUSE_EVENT_ID, causeEventId);
            json.writeStringField(AccessRequest.REQUEST_ID, requestId);
            json.writeStringField(AccessRequest.REQUESTED_AT, requestedAt.toString());
            json.writeStringField(AccessRequest.REQUESTED_BY, requestedBy);
        });
    }
}
