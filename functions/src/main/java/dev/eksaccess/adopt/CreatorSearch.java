package dev.eksaccess.adopt;

import dev.eksaccess.adopt.AdoptionScope.Location;
import dev.eksaccess.adopt.CreateClusterHistory.HistoryUnavailableException;
import dev.eksaccess.contract.CreateClusterEventPattern;
import dev.eksaccess.creation.CloudTrailEventParser;
import dev.eksaccess.creation.ClusterCreated;
import dev.eksaccess.creation.ClusterVerifier;
import dev.eksaccess.creation.CreateClusterCall;
import dev.eksaccess.creation.DescribedCluster;
import dev.eksaccess.creation.MalformedEventException;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.model.ClusterRef;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the CreateCluster event of a cluster that existed before the system, in CloudTrail's event history.
 *
 * <p>The history of an account and region is read once per run, and only when a cluster there is young enough for
 * CloudTrail to still have its event. Each event is read by the cluster-creation function's own parser
 * ({@link CloudTrailEventParser}, so the creator rules of {@code CreatorResolver} stay one definition), after putting
 * it in the envelope EventBridge gives it; it is the cluster's event when it names the cluster's ARN and passes the
 * same check against DescribeCluster as a delivered event ({@link ClusterVerifier}: created within five minutes of the
 * event), which tells an earlier cluster of the same name from this one.
 */
final class CreatorSearch {

    /** What the search found: the event, or why there is none. */
    sealed interface Result {
    }

    /** The cluster's CreateCluster event. */
    record Found(ClusterCreated event) implements Result {
    }

    /** No event: the creator is recorded unknown, for this reason. */
    record Unknown(String reason) implements Result {
    }

    private final CreateClusterHistory history;
    private final CloudTrailEventParser parser = new CloudTrailEventParser();
    private final Clock clock;
    /** Per account and region: the events read, or why they could not be. */
    private final Map<Location, Object> read = new HashMap<>();

    CreatorSearch(CreateClusterHistory history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    Result find(ClusterRef cluster, ClusterState described) {
        Instant createdAt = described.createdAt();
        if (createdAt == null) {
            return new Unknown("EKS reports no createdAt for the cluster, so no CreateCluster event can be matched to it");
        }
        Instant now = clock.instant();
        if (createdAt.isBefore(now.minus(CreateClusterHistory.RETENTION))) {
            return new Unknown("the cluster was created at " + createdAt + ", more than "
                    + CreateClusterHistory.RETENTION.toDays() + " days ago: CloudTrail's event history no longer has "
                    + "its CreateCluster event (a trail's archive in S3 may)");
        }
        Location location = new Location(cluster.accountId(), cluster.region());
        Object events = read.computeIfAbsent(location, l -> readHistory(l, now));
        if (events instanceof String unavailable) {
            return new Unknown(unavailable);
        }
        @SuppressWarnings("unchecked")
        List<ClusterCreated> created = (List<ClusterCreated>) events;
        DescribedCluster facts = new DescribedCluster(described.arn(), createdAt, described.status());
        ClusterVerifier verifier = new ClusterVerifier((ref, eventId, account) -> Optional.of(facts));
        int sameName = 0;
        for (ClusterCreated event : created) {
            if (!event.clusterArn().equals(cluster.arn())) {
                continue;
            }
            sameName++;
            if (verifier.verify(event, cluster.accountId()).isEmpty()) {
                return new Found(event);
            }
        }
        return new Unknown("no CreateCluster event in CloudTrail's event history of account " + cluster.accountId()
                + " and region " + cluster.region() + " is this cluster's (created at " + createdAt + ")"
                + (sameName == 0 ? "" : "; " + sameName + " event(s) for its name are of an earlier cluster of the "
                + "same name (not within " + ClusterVerifier.CREATED_AT_TOLERANCE.toMinutes() + " minutes of createdAt)"));
    }

    private Object readHistory(Location location, Instant now) {
        List<String> raw;
        try {
            raw = history.createClusterEvents(location.accountId(), location.region(),
                    now.minus(CreateClusterHistory.RETENTION), now);
        } catch (HistoryUnavailableException e) {
            return "CloudTrail LookupEvents failed in account " + location.accountId() + " and region "
                    + location.region() + ": " + e.getMessage();
        }
        List<ClusterCreated> created = new ArrayList<>();
        for (String record : raw) {
            parse(record, location).ifPresent(created::add);
        }
        return created;
    }

    /** The successful CreateCluster call {@code record} describes; empty for a failed call or a malformed record. */
    private Optional<ClusterCreated> parse(String record, Location location) {
        try {
            if (!(Json.readWhole(record, Json.Duplicates.REJECT).orElse(null) instanceof JsonObject)) {
                return Optional.empty();
            }
        } catch (Exception notJson) {
            return Optional.empty();
        }
        String envelope = "{\"source\":" + Json.quote(CreateClusterEventPattern.SOURCE)
                + ",\"detail-type\":" + Json.quote(CreateClusterEventPattern.DETAIL_TYPE)
                + ",\"account\":" + Json.quote(location.accountId())
                + ",\"region\":" + Json.quote(location.region())
                + ",\"detail\":" + record + "}";
        try {
            CreateClusterCall call = parser.parse(envelope.getBytes(StandardCharsets.UTF_8));
            return call instanceof ClusterCreated created ? Optional.of(created) : Optional.empty();
        } catch (MalformedEventException malformed) {
            return Optional.empty();
        }
    }
}
