package dev.eksaccess.adopt;

import dev.eksaccess.adopt.AdoptionScope.Location;
import dev.eksaccess.creation.CreationOutcome;
import dev.eksaccess.json.Json;
import java.util.List;
import java.util.Objects;

/**
 * One adoption run: every account and region listed (or why not) and every cluster found, with what was done.
 *
 * @param plan     whether this was a plan (nothing written or sent)
 * @param listings each account and region, in the order looked at
 * @param clusters each cluster found, in the order found
 * @param notes    where the run did not look, and why ({@link AdoptionScope#notes()})
 * @param refused  why the invocation was refused before looking anywhere (a malformed or foreign account), or null
 */
public record AdoptionReport(boolean plan, List<Listing> listings, List<ClusterAdoption> clusters, List<String> notes,
                             String refused) {

    public AdoptionReport {
        listings = List.copyOf(listings);
        clusters = List.copyOf(clusters);
        notes = List.copyOf(notes);
    }

    public AdoptionReport(boolean plan, List<Listing> listings, List<ClusterAdoption> clusters) {
        this(plan, listings, clusters, List.of(), null);
    }

    /** An invocation refused before looking anywhere: nothing listed, registered or sent. */
    public static AdoptionReport refused(boolean plan, String reason) {
        return new AdoptionReport(plan, List.of(), List.of(), List.of(), Objects.requireNonNull(reason, "reason"));
    }

    /**
     * ListClusters in one account and region.
     *
     * @param location where
     * @param clusters how many clusters it listed
     * @param error    why it could not list them, or null
     */
    public record Listing(Location location, int clusters, String error) {

        public Listing {
            Objects.requireNonNull(location, "location");
        }
    }

    /** How many clusters ended with {@code action}. */
    public long count(ClusterAdoption.Action action) {
        return clusters.stream().filter(c -> c.action() == action).count();
    }

    /** Whether every account and region was listed and no cluster failed: a run to repeat otherwise. */
    public boolean complete() {
        return refused == null && listings.stream().allMatch(l -> l.error() == null)
                && count(ClusterAdoption.Action.FAILED) == 0;
    }

    /** The report as one JSON object (the CLI's {@code --json}, the function's response). */
    public String toJson() {
        return Json.object(json -> {
            json.writeBooleanField("plan", plan);
            json.writeBooleanField("complete", complete());
            if (refused != null) {
                json.writeStringField("refused", refused);
            }
            if (!notes.isEmpty()) {
                Json.writeStrings(json, "notes", notes);
            }
            json.writeArrayFieldStart("listings");
            for (Listing listing : listings) {
                json.writeStartObject();
                json.writeStringField("accountId", listing.location().accountId());
                json.writeStringField("region", listing.location().region());
                json.writeNumberField("clusters", listing.clusters());
                if (listing.error() != null) {
                    json.writeStringField("error", listing.error());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("clusters");
            for (ClusterAdoption cluster : clusters) {
                json.writeStartObject();
                json.writeStringField("action", cluster.action().wireName());
                json.writeStringField("detail", cluster.detail());
                if (cluster.record() != null) {
                    CreationOutcome.writeRecord(json, cluster.record());
                } else {
                    json.writeStringField("clusterArn", cluster.clusterArn());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }
}
