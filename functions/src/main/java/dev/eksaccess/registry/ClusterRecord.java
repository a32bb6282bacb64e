package dev.eksaccess.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * What the registry knows of one cluster: who created it, how, and where its admin bootstrap stands.
 *
 * @param clusterArn            the key
 * @param clusterName           the cluster's name
 * @param accountId             account that owns the cluster
 * @param region                region of the cluster
 * @param creatorPrincipalArn   IAM user or role ARN (role ARN with its path, never an STS session ARN);
 *                              for identities that cannot be an access-entry principal, their CloudTrail ARN
 * @param creatorIdentityType   CloudTrail {@code userIdentity.type} (IAMUser, AssumedRole, Root, ...)
 * @param creatorSessionName    role session name, or null
 * @param creatorNote           what the system did not do for this creator and why, or null
 * @param eventId               CloudTrail event id of the CreateCluster call
 * @param eventTime             CloudTrail event time
 * @param source                user agent, or the service in {@code invokedBy}
 * @param authenticationMode    effective authentication mode (CONFIG_MAP, API_AND_CONFIG_MAP, API)
 * @param bootstrapCreatorAdmin EKS's bootstrapClusterCreatorAdminPermissions flag
 * @param bootstrapStatus       where the admin bootstrap stands
 * @param bootstrapReason       human-readable reason for the status
 * @param updatedAt             when the status last changed
 */
public record ClusterRecord(
        String clusterArn,
        String clusterName,
        String accountId,
        String region,
        String creatorPrincipalArn,
        String creatorIdentityType,
        String creatorSessionName,
        String creatorNote,
        String eventId,
        Instant eventTime,
        String source,
        String authenticationMode,
        boolean bootstrapCreatorAdmin,
        BootstrapStatus bootstrapStatus,
        String bootstrapReason,
        Instant updatedAt) {

    public ClusterRecord {
        Objects.requireNonNull(clusterArn, "clusterArn");
        Objects.requireNonNull(bootstrapStatus, "bootstrapStatus");
    }

    /** A copy with another bootstrap status and reason. */
    public ClusterRecord withBootstrap(BootstrapStatus status, String reason, Instant at) {
        return new ClusterRecord(clusterArn, clusterName, accountId, region, creatorPrincipalArn, creatorIdentityType,
                creatorSessionName, creatorNote, eventId, eventTime, source, authenticationMode, bootstrapCreatorAdmin,
                status, reason, at);
    }
}
