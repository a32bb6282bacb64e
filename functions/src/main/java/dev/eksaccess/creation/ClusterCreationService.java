package dev.eksaccess.creation;

import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.BootstrapRequest;
import java.time.Clock;

/**
 * Records a new cluster in the registry and hands its admin bootstrap to the grant queue.
 *
 * <p>Delivery is at least once, so every step is safe to repeat. The record is written only if absent; a bootstrap
 * request is sent after the write, so a failed send leaves a {@link BootstrapStatus#PENDING} record from the same
 * event, and the redelivery sends the request again (the grant processor treats the same request id once).
 * A different event for a recorded ARN means the cluster was deleted and created again (EKS refuses to create a
 * name that exists, and that failed call carries an {@code errorCode}): if the event is newer the record is replaced
 * and the new cluster bootstrapped like any other; if not, it is a late delivery and changes nothing. Outages of the
 * registry or the queue propagate as exceptions, so that the event is retried.
 *
 * <p>Before any of that, the event is verified with EKS ({@link ClusterVerifier}): anyone allowed to put events on
 * the bus could forge one, or replay an earlier cluster's, to have a creator of their choosing recorded and made
 * admin. An event EKS does not confirm changes nothing. Every event that names a cluster is verified, duplicates and
 * late ones too, so that each forged or replayed one is seen, whatever the registry holds.
 */
public final class ClusterCreationService {

    private final CreationRegistry registry;
    private final BootstrapQueue queue;
    private final BootstrapPlanner planner;
    private final ClusterVerifier verifier;
    private final Clock clock;

    public ClusterCreationService(CreationRegistry registry, BootstrapQueue queue, BootstrapPlanner planner,
                                  ClusterVerifier verifier, Clock clock) {
        this.registry = registry;
        this.queue = queue;
        this.planner = planner;
        this.verifier = verifier;
        this.clock = clock;
    }

    /**
     * Handles one CreateCluster call.
     *
     * @param functionAccount the account this function runs in, to recognise clusters of other accounts
     * @throws RuntimeException when EKS, the registry or the queue cannot be reached: the event is to be retried
     */
    public CreationOutcome handle(CreateClusterCall call, String functionAccount) {
        return switch (call) {
            case CreateClusterCall.Failed failed -> new CreationOutcome.Ignored(failed);
            case ClusterCreated created -> verifier.verify(created, functionAccount)
                    .<CreationOutcome>map(mismatch -> new CreationOutcome.Unverified(created, mismatch))
                    .orElseGet(() -> record(created, functionAccount));
        };
    }

    /**
     * The record {@link #handle} would write for {@code created}, with its bootstrap decision, without writing it or
     * sending anything. SnapStart priming runs the real planning code through this.
     */
    public ClusterRecord plannedRecord(ClusterCreated created, String functionAccount) {
        return record(created, planner.plan(created, functionAccount), clock.instant());
    }

    private CreationOutcome record(ClusterCreated created, String functionAccount) {
        ClusterRecord record = plannedRecord(created, functionAccount);
        ClusterRecord stored = registry.putIfAbsent(record);
        // The port returns the very instance it wrote; an equal record could be an earlier write of the same event.
        if (stored == record) {
            return new CreationOutcome.Recorded(record, sendIfPending(record));
        }
        if (created.eventId().equals(stored.eventId())) {
            return new CreationOutcome.Duplicate(stored, sendIfPending(stored));
        }
        if (stored.eventTime() == null || created.eventTime().isAfter(stored.eventTime())) {
            if (!registry.replace(stored.eventId(), record)) {
                // Another delivery changed the record between our read and write; a retry sees its result.
                throw new IllegalStateException("the registry record for " + record.clusterArn()
                        + " changed while it was being replaced; the event will be retried");
            }
            return new CreationOutcome.Replaced(stored, record, sendIfPending(record));
        }
        return new CreationOutcome.Stale(stored, created);
    }

    private boolean sendIfPending(ClusterRecord record) {
        if (record.bootstrapStatus() != BootstrapStatus.PENDING) {
            return false;
        }
        queue.send(BootstrapRequest.forEvent(record.clusterArn(), record.eventId(), record.eventTime()));
        return true;
    }

    /**
     * The registry record of {@code created} with its bootstrap {@code decision}, as of {@code at}: one mapping for the
     * clusters this function records and those that adoption registers.
     */
    public static ClusterRecord record(ClusterCreated created, BootstrapDecision decision, java.time.Instant at) {
        Creator creator = created.creator();
        return new ClusterRecord(
                created.clusterArn(),
                created.cluster().name(),
                created.cluster().accountId(),
                created.cluster().region(),
                creator.principalArn(),
                creator.identityType(),
                creator.sessionName(),
                decision.creatorNote(),
                created.eventId(),
                created.eventTime(),
                created.source(),
                created.authenticationMode().name(),
                created.bootstrapCreatorAdmin(),
                decision.status(),
                decision.reason(),
                at);
    }
}
