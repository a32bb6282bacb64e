package dev.eksaccess.request;

import dev.eksaccess.json.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * The internal message with which the cluster-creation function hands a cluster's admin bootstrap to the grant
 * processor, so that every access change goes through one code path.
 *
 * <p>It carries no principals or policies: the grant processor derives them from its own configuration and from
 * the registry record, so a forged bootstrap message can do nothing that configuration does not already allow.
 * Wire form (contract v1, {@code "action": "bootstrap"}):
 * <pre>{"action":"bootstrap","clusterArn":"arn:aws:eks:...","requestId":"bootstrap:EVENT_ID",
 *  "requestedAt":"2026-11-28T09:00:00Z","requestedBy":"cluster-creation"}</pre>
 */
public record BootstrapRequest(String clusterArn, String requestId, Instant requestedAt, String requestedBy) {

    public static final String ACTION = "bootstrap";
    public static final String REQUESTED_BY = "cluster-creation";
    /** The {@code requestedBy} of the adoption function's bootstraps, for clusters older than the system. */
    public static final String ADOPTION = "adoption";

    public BootstrapRequest {
        Objects.requireNonNull(clusterArn, "clusterArn");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(requestedBy, "requestedBy");
    }

    /** The bootstrap request for the CloudTrail event {@code eventId}; its request id makes redelivery harmless. */
    public static BootstrapRequest forEvent(String clusterArn, String eventId, Instant eventTime) {
        return new BootstrapRequest(clusterArn, requestIdFor(eventId), eventTime, REQUESTED_BY);
    }

    /** The request id of the bootstrap for the CloudTrail event {@code eventId}: {@code bootstrap:EVENT_ID}. */
    public static String requestIdFor(String eventId) {
        return "bootstrap:" + eventId;
    }

    /**
     * Whether the adoption function sent it (docs/adopt.md): the cluster is older than its request, so the bootstrap's
     * deadline counts from the request, not from the CreateCluster call. Only internal senders' bootstraps are acted on.
     */
    public boolean fromAdoption() {
        return ADOPTION.equals(requestedBy);
    }

    /** The message body in its wire form. */
    public String toJson() {
        return Json.object(json -> {
            json.writeStringField("action", ACTION);
            json.writeStringField("clusterArn", clusterArn);
            json.writeStringField("requestId", requestId);
            json.writeStringField("requestedAt", requestedAt.toString());
            json.writeStringField("requestedBy", requestedBy);
        });
    }
}
