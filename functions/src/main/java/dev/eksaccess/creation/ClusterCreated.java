package dev.eksaccess.creation;

import dev.eksaccess.model.ClusterRef;
import java.time.Instant;
import java.util.Objects;

/**
 * A successful {@code CreateCluster} call, as read from its CloudTrail event.
 *
 * @param cluster               the new cluster
 * @param creator               who created it
 * @param eventId               CloudTrail {@code eventID}
 * @param eventTime             CloudTrail {@code eventTime}
 * @param source                the service in {@code userIdentity.invokedBy}, else the {@code userAgent}; may be null
 * @param authenticationMode    effective authentication mode
 * @param bootstrapCreatorAdmin effective {@code bootstrapClusterCreatorAdminPermissions}
 * @param accessConfigOrigin    where the authentication mode was read from
 */
public record ClusterCreated(
        ClusterRef cluster,
        Creator creator,
        String eventId,
        Instant eventTime,
        String source,
        AuthenticationMode authenticationMode,
        boolean bootstrapCreatorAdmin,
        AccessConfigOrigin accessConfigOrigin) implements CreateClusterCall {

    public ClusterCreated {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(authenticationMode, "authenticationMode");
        Objects.requireNonNull(accessConfigOrigin, "accessConfigOrigin");
    }

    /** The cluster's ARN, the registry key. */
    public String clusterArn() {
        return cluster.arn();
    }

    /**
     * Where the effective authentication mode came from. The request may omit {@code accessConfig}, so the response
     * (what EKS applied) is preferred; EKS's API defaults apply when neither has a value.
     */
    public enum AccessConfigOrigin {
        /** {@code responseElements.cluster.accessConfig}: what EKS applied. */
        RESPONSE,
        /** {@code requestParameters.accessConfig}: what was asked for (the response lacked a value). */
        REQUEST,
        /** Neither had a value: EKS's defaults for API calls, CONFIG_MAP and bootstrap true. */
        EKS_DEFAULT
    }
}
