package dev.eksaccess.eks;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the access engine needs to know of a cluster before it changes access.
 *
 * @param status             CREATING, ACTIVE, UPDATING, DELETING, FAILED, PENDING
 * @param authenticationMode CONFIG_MAP, API_AND_CONFIG_MAP or API
 * @param tags               the cluster's tags (eligibility rules may select clusters by them)
 * @param arn                the cluster's ARN as EKS reports it; null where a model of EKS does not say
 * @param createdAt          when EKS created the cluster; null where a model of EKS does not say. The
 *                           cluster-creation function checks both against a CloudTrail CreateCluster event
 */
public record ClusterState(String status, String authenticationMode, Map<String, String> tags, String arn,
                           Instant createdAt) {

    public static final String ACTIVE = "ACTIVE";
    public static final String CREATING = "CREATING";
    public static final String UPDATING = "UPDATING";
    public static final String PENDING = "PENDING";
    public static final String CONFIG_MAP = "CONFIG_MAP";
    public static final String API_AND_CONFIG_MAP = "API_AND_CONFIG_MAP";
    public static final String API = "API";

    public ClusterState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(authenticationMode, "authenticationMode");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** A cluster without tags, ARN or creation time. */
    public ClusterState(String status, String authenticationMode) {
        this(status, authenticationMode, Map.of());
    }

    /** A cluster without ARN or creation time. */
    public ClusterState(String status, String authenticationMode, Map<String, String> tags) {
        this(status, authenticationMode, tags, null, null);
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    /** Whether the cluster is on its way to ACTIVE, so that waiting is worthwhile. */
    public boolean isSettling() {
        return CREATING.equals(status) || UPDATING.equals(status) || PENDING.equals(status);
    }

    /** Whether access entries work on this cluster (they do not in CONFIG_MAP mode). */
    public boolean supportsAccessEntries() {
        return API.equals(authenticationMode) || API_AND_CONFIG_MAP.equals(authenticationMode);
    }
}
