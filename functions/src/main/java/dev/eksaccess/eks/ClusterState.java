package dev.eksaccess.eks;

import java.util.Objects;

/**
 * What the access engine needs to know of a cluster before it changes access.
 *
 * @param status             CREATING, ACTIVE, UPDATING, DELETING, FAILED, PENDING
 * @param authenticationMode CONFIG_MAP, API_AND_CONFIG_MAP or API
 */
public record ClusterState(String status, String authenticationMode) {

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
