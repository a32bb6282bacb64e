package dev.eksaccess.adopt;

import dev.eksaccess.adopt.AdoptionReport.Listing;
import dev.eksaccess.adopt.AdoptionScope.Location;
import dev.eksaccess.adopt.ClusterAdoption.Action;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.creation.AuthenticationMode;
import dev.eksaccess.creation.BootstrapPlanner;
import dev.eksaccess.creation.BootstrapQueue;
import dev.eksaccess.creation.ClusterCreated;
import dev.eksaccess.creation.ClusterCreated.AccessConfigOrigin;
import dev.eksaccess.creation.ClusterCreationService;
import dev.eksaccess.creation.Creator;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.eks.EksNotFoundException;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.registry.ClusterRegistry;
import dev.eksaccess.request.BootstrapRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adopts the clusters that existed before the system (docs/adopt.md): in the hub and every member account and region,
 * every cluster ListClusters names that the registry lacks is described, its creator looked up in CloudTrail's event
 * history ({@link CreatorSearch}), registered as the cluster-creation function registers a new one (the same
 * {@link BootstrapPlanner} and record), and given the same admin bootstrap through the grant queue, where the grant
 * processor applies it with all its rules.
 *
 * <p>Idempotent: a registered cluster is left alone, so a second run registers and sends nothing, except that an
 * adopted cluster whose bootstrap is still PENDING gets its request sent again (the same request id: the grant
 * processor acts on it once). Only ACTIVE clusters are adopted; clusters younger than {@link #LEFT_TO_CREATION} are
 * the cluster-creation function's (CloudTrail's history lags by minutes, EventBridge does not). A failure in one
 * account, region or cluster is reported and the run goes on. In plan mode nothing is written or sent.
 */
public final class AdoptionService {

    /** Clusters created less than this long ago are left to the cluster-creation function. */
    public static final Duration LEFT_TO_CREATION = Duration.ofHours(1);
    /** The registry record's {@code source} of an adopted cluster starts so. */
    public static final String SOURCE = "eks-access adopt";
    /** The {@code requestedBy} of an adoption's bootstrap request. */
    public static final String REQUESTED_BY = BootstrapRequest.ADOPTION;
    /** The event id recorded for a cluster whose CreateCluster event was not found starts so. */
    public static final String UNKNOWN_EVENT_PREFIX = "adopted-";

    private final ClusterLister lister;
    private final EksAccessProvider eks;
    private final CreateClusterHistory history;
    private final ClusterRegistry registry;
    private final BootstrapQueue queue;
    private final BootstrapPlanner planner;
    private final Clock clock;

    public AdoptionService(ClusterLister lister, EksAccessProvider eks, CreateClusterHistory history,
                           ClusterRegistry registry, BootstrapQueue queue, BootstrapPlanner planner, Clock clock) {
        this.lister = lister;
        this.eks = eks;
        this.history = history;
        this.registry = registry;
        this.queue = queue;
        this.planner = planner;
        this.clock = clock;
    }

    /**
     * One run.
     *
     * @param runId names the member-account sessions ({@code eks-access.adoption}, session {@code runId})
     * @param plan  report what would be done, writing and sending nothing
     */
    public AdoptionReport run(AdoptionScope scope, String runId, boolean plan) {
        CreatorSearch creators = new CreatorSearch(history, clock);
        ActingFor actingFor = ActingFor.function(SessionIdentity.ADOPTION, runId);
        List<Listing> listings = new ArrayList<>();
        List<ClusterAdoption> clusters = new ArrayList<>();
        for (Location location : scope.locations()) {
            List<String> names;
            try {
                names = lister.clusterNames(location.accountId(), location.region());
            } catch (RuntimeException e) {
                listings.add(new Listing(location, 0, "ListClusters failed: " + describe(e)));
                continue;
            }
            listings.add(new Listing(location, names.size(), null));
            for (String name : names) {
                ClusterRef ref = new ClusterRef(ClusterRef.partitionOf(location.region()), location.region(),
                        location.accountId(), name);
                try {
                    clusters.add(adopt(ref, scope.hubAccount(), actingFor, creators, plan));
                } catch (RuntimeException e) {
                    clusters.add(new ClusterAdoption(ref.arn(), Action.FAILED, describe(e)
                            + "; a later run tries again", null));
                }
            }
        }
        return new AdoptionReport(plan, listings, clusters, scope.notes(), null);
    }

    private ClusterAdoption adopt(ClusterRef ref, String hubAccount, ActingFor actingFor, CreatorSearch creators,
                                  boolean plan) {
        Optional<ClusterRecord> registered = registry.find(ref.arn());
        if (registered.isPresent()) {
            return alreadyRegistered(registered.get(), plan);
        }
        ClusterState described;
        try {
            described = eks.forCluster(ref, actingFor).describeCluster(ref);
        } catch (EksNotFoundException gone) {
            return new ClusterAdoption(ref.arn(), Action.SKIPPED, "deleted since ListClusters named it", null);
        }
        Instant now = clock.instant();
        if (!described.isActive()) {
            return new ClusterAdoption(ref.arn(), Action.SKIPPED, "the cluster is " + described.status()
                    + ", not ACTIVE; a later run adopts it once it is", null);
        }
        if (described.createdAt() != null && described.createdAt().isAfter(now.minus(LEFT_TO_CREATION))) {
            return new ClusterAdoption(ref.arn(), Action.SKIPPED, "created at " + described.createdAt()
                    + ", less than " + LEFT_TO_CREATION.toMinutes() + " minutes ago: left to the cluster-creation "
                    + "function, which registers it from its CreateCluster event; a later run adopts it if it did not",
                    null);
        }
        Optional<AuthenticationMode> mode = AuthenticationMode.of(described.authenticationMode());
        if (mode.isEmpty()) {
            return new ClusterAdoption(ref.arn(), Action.SKIPPED, "EKS reports authentication mode "
                    + described.authenticationMode() + ", which this system does not know", null);
        }
        ClusterCreated created = asCreated(ref, described, mode.get(), creators.find(ref, described), now);
        ClusterRecord record = ClusterCreationService.record(created, planner.plan(created, hubAccount), now);
        boolean sends = record.bootstrapStatus() == BootstrapStatus.PENDING;
        if (plan) {
            return new ClusterAdoption(ref.arn(), Action.WOULD_ADOPT, "would register it"
                    + (sends ? " and send its admin bootstrap" : " (bootstrap " + record.bootstrapStatus() + ")"), record);
        }
        ClusterRecord stored = registry.putIfAbsent(record);
        if (stored != record) {
            return new ClusterAdoption(ref.arn(), Action.REGISTERED, "registered meanwhile by "
                    + (isAdopted(stored) ? "another adoption run" : "the cluster-creation function"), stored);
        }
        if (sends) {
            queue.send(bootstrapOf(record, now));
        }
        return new ClusterAdoption(ref.arn(), Action.ADOPTED, "registered"
                + (sends ? "; admin bootstrap sent to the grant queue" : "; bootstrap " + record.bootstrapStatus()),
                record);
    }

    private ClusterAdoption alreadyRegistered(ClusterRecord record, boolean plan) {
        if (!isAdopted(record) || record.bootstrapStatus() != BootstrapStatus.PENDING) {
            return new ClusterAdoption(record.clusterArn(), Action.REGISTERED, "in the registry (bootstrap "
                    + record.bootstrapStatus() + "): nothing to do", record);
        }
        if (plan) {
            return new ClusterAdoption(record.clusterArn(), Action.WOULD_SEND_BOOTSTRAP_AGAIN, "adopted earlier, "
                    + "bootstrap still PENDING: would send its request again", record);
        }
        queue.send(bootstrapOf(record, clock.instant()));
        return new ClusterAdoption(record.clusterArn(), Action.BOOTSTRAP_SENT_AGAIN, "adopted earlier, bootstrap "
                + "still PENDING: its request was sent again (the grant processor acts on a request id once)", record);
    }

    /** Whether adoption wrote {@code record}, rather than the cluster-creation function. */
    public static boolean isAdopted(ClusterRecord record) {
        return record.source() != null && record.source().startsWith(SOURCE);
    }

    /**
     * The bootstrap request of an adopted cluster: the request id of its record ({@code bootstrap:} + event id), and
     * made now, so that the grant processor's bootstrap deadline counts from the adoption, not from a CreateCluster
     * call long past.
     */
    static BootstrapRequest bootstrapOf(ClusterRecord record, Instant now) {
        return new BootstrapRequest(record.clusterArn(), BootstrapRequest.requestIdFor(record.eventId()), now,
                REQUESTED_BY);
    }

    /** The cluster as if its CreateCluster event had been delivered now, with today's authentication mode. */
    private static ClusterCreated asCreated(ClusterRef ref, ClusterState described, AuthenticationMode mode,
                                            CreatorSearch.Result creator, Instant now) {
        return switch (creator) {
            case CreatorSearch.Found found -> {
                ClusterCreated event = found.event();
                String source = SOURCE + " (CreateCluster event found" + (event.source() == null ? ""
                        : "; created through " + event.source()) + ")";
                yield new ClusterCreated(ref, event.creator(), event.eventId(), event.eventTime(), source, mode,
                        event.bootstrapCreatorAdmin(), event.accessConfigOrigin());
            }
            case CreatorSearch.Unknown unknown -> {
                Instant createdAt = described.createdAt();
                // No event: the id names the cluster's creation time, so a cluster created again under the same ARN
                // gets another bootstrap request id. EKS's default for the flag stands in for the unknown one.
                String eventId = UNKNOWN_EVENT_PREFIX + (createdAt == null ? "no-created-at" : createdAt.getEpochSecond());
                yield new ClusterCreated(ref, Creator.unknown(unknown.reason()), eventId,
                        createdAt == null ? now : createdAt, SOURCE + " (creator unknown)", mode, true,
                        AccessConfigOrigin.EKS_DEFAULT);
            }
        };
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
