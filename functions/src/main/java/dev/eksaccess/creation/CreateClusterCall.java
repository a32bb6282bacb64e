package dev.eksaccess.creation;

/**
 * A CloudTrail {@code CreateCluster} call: either it created a cluster ({@link ClusterCreated}) or it failed
 * ({@link Failed}), in which case there is no cluster and nothing to do.
 */
public sealed interface CreateClusterCall permits ClusterCreated, CreateClusterCall.Failed {

    /** CloudTrail event id, or null when a failed call's event lacks one. */
    String eventId();

    /**
     * A call that AWS refused ({@code detail.errorCode} present).
     *
     * @param eventId      CloudTrail event id, or null
     * @param clusterName  the requested name, or null
     * @param errorCode    CloudTrail {@code errorCode}
     * @param errorMessage CloudTrail {@code errorMessage}, or null
     */
    record Failed(String eventId, String clusterName, String errorCode, String errorMessage) implements CreateClusterCall {
    }
}
