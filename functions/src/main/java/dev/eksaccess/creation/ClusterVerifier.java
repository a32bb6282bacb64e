package dev.eksaccess.creation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a CloudTrail CreateCluster event against what EKS says of the cluster before anything is recorded: the
 * cluster must exist, have the event's ARN, and have been created within {@link #CREATED_AT_TOLERANCE} of the event's
 * {@code eventTime}. Any status counts (a new cluster is still CREATING).
 *
 * <p>This is what refuses a forged event (no such cluster, or another one) and a replayed event of an earlier
 * cluster of the same name (deleted and created again: same ARN, later {@code createdAt}). Anyone who can put an
 * event on the bus can choose every field of it, but not what EKS answers.
 */
public final class ClusterVerifier {

    /**
     * How far {@code createdAt} may be from the event's {@code eventTime}. Both are stamped while the one
     * CreateCluster request is handled, so they differ by its latency and clock skew (seconds; the samples agree to
     * the second). A cluster of the same name can only be created again after the first one was deleted, and EKS
     * deletes a cluster only once it has left CREATING: several minutes after its own CreateCluster, deletion
     * included. Five minutes is far above any latency and below that cycle, so the replay of an earlier cluster's
     * event does not pass for the new cluster.
     */
    public static final Duration CREATED_AT_TOLERANCE = Duration.ofMinutes(5);

    /** Null only for {@link #trustingEvents()}. */
    private final ClusterLookup lookup;

    public ClusterVerifier(ClusterLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    private ClusterVerifier() {
        this.lookup = null;
    }

    /**
     * A verifier that asks nothing and trusts every event. Only for wiring without EKS (the local sandbox and the
     * benchmarks, whose emulated clusters do not yet carry their events' creation time); the Lambda runtime's wiring
     * always verifies.
     */
    public static ClusterVerifier trustingEvents() {
        return new ClusterVerifier();
    }

    /**
     * Verifies {@code event}; empty when EKS confirms it.
     *
     * @throws RuntimeException from the {@link ClusterLookup} when EKS cannot be asked: the event is retried
     */
    public Optional<Mismatch> verify(ClusterCreated event, String functionAccount) {
        if (lookup == null) {
            return Optional.empty();
        }
        Optional<DescribedCluster> described = lookup.describe(event.cluster(), event.eventId(), functionAccount);
        if (described.isEmpty()) {
            return Optional.of(new Mismatch(Mismatch.Kind.CLUSTER_NOT_FOUND, null, "EKS has no cluster "
                    + event.cluster().name() + " in account " + event.cluster().accountId() + " and region "
                    + event.cluster().region() + ": the event describes a cluster that does not exist"));
        }
        DescribedCluster cluster = described.get();
        if (!event.clusterArn().equals(cluster.arn())) {
            return Optional.of(new Mismatch(Mismatch.Kind.ARN_MISMATCH, cluster, "EKS reports the cluster's ARN as "
                    + cluster.arn() + ", not the event's " + event.clusterArn()));
        }
        Instant createdAt = cluster.createdAt();
        if (createdAt == null) {
            return Optional.of(new Mismatch(Mismatch.Kind.CREATED_AT_MISMATCH, cluster,
                    "EKS reports no createdAt for " + event.clusterArn() + ", so the event cannot be matched to it"));
        }
        Duration apart = Duration.between(event.eventTime(), createdAt).abs();
        if (apart.compareTo(CREATED_AT_TOLERANCE) > 0) {
            return Optional.of(new Mismatch(Mismatch.Kind.CREATED_AT_MISMATCH, cluster, "EKS created "
                    + event.clusterArn() + " at " + createdAt + ", " + apart + " from the event's time "
                    + event.eventTime() + " (tolerance " + CREATED_AT_TOLERANCE + "): the event is about another cluster of the "
                    + "same name (an earlier one, replayed) or was forged"));
        }
        return Optional.empty();
    }

    /**
     * Why EKS does not confirm an event.
     *
     * @param kind      which check failed
     * @param described what EKS reported, or null when it has no such cluster
     * @param reason    for a person: what EKS said and what the event claimed
     */
    public record Mismatch(Kind kind, DescribedCluster described, String reason) {

        public Mismatch {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }

        /** Each check, named as the log line's {@code errorType}. */
        public enum Kind {
            /** DescribeCluster answered 404. */
            CLUSTER_NOT_FOUND("ClusterNotFound"),
            /** The cluster EKS describes has another ARN. */
            ARN_MISMATCH("ClusterArnMismatch"),
            /** EKS created the cluster too far from the event's time, or does not say when. */
            CREATED_AT_MISMATCH("ClusterCreatedAtMismatch");

            private final String errorType;

            Kind(String errorType) {
                this.errorType = errorType;
            }

            /** The {@code errorType} of the log line, which raises the logged-errors alarm. */
            public String errorType() {
                return errorType;
            }
        }
    }
}
