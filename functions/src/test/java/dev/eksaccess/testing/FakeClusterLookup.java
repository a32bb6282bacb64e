package dev.eksaccess.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eksaccess.creation.ClusterLookup;
import dev.eksaccess.creation.DescribedCluster;
import dev.eksaccess.model.ClusterRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EKS's DescribeCluster as the cluster-creation function sees it, in a map: the clusters EKS holds, keyed by the ARN
 * they are asked for. Can be told to fail the next calls, like throttling that outlasts the SDK's retries.
 */
public final class FakeClusterLookup implements ClusterLookup {

    private final Map<String, DescribedCluster> clusters = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private int failuresLeft;

    /** EKS holding the cluster of every CreateCluster sample, created when its event says. */
    public static FakeClusterLookup holdingEverySample() {
        FakeClusterLookup eks = new FakeClusterLookup();
        EventFiles.list("cloudtrail/create-cluster").forEach(name -> eks.holding(EventFiles.json(name)));
        return eks;
    }

    /**
     * The cluster {@code event} describes, as EKS holds it when CloudTrail reports the call: its ARN, created at the
     * event's time, CREATING. Events without a cluster (failed calls) are skipped.
     */
    public synchronized FakeClusterLookup holding(JsonNode event) {
        JsonNode arn = event.at("/detail/responseElements/cluster/arn");
        if (arn.isTextual()) {
            clusters.put(arn.asText(), new DescribedCluster(arn.asText(),
                    Instant.parse(event.at("/detail/eventTime").asText()), "CREATING"));
        }
        return this;
    }

    /** Answers {@code described} when the cluster with ARN {@code askedArn} is asked for. */
    public synchronized FakeClusterLookup holding(String askedArn, DescribedCluster described) {
        clusters.put(askedArn, described);
        return this;
    }

    /** The cluster was deleted. */
    public synchronized void delete(String arn) {
        clusters.remove(arn);
    }

    /** The next {@code count} calls fail as EKS throttling would. */
    public synchronized void failNext(int count) {
        failuresLeft = count;
    }

    /** The ARNs asked for, in order. */
    public synchronized List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public synchronized Optional<DescribedCluster> describe(ClusterRef cluster, String eventId, String functionAccount) {
        asked.add(cluster.arn());
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IllegalStateException("EKS is throttling DescribeCluster (simulated)");
        }
        return Optional.ofNullable(clusters.get(cluster.arn()));
    }
}
