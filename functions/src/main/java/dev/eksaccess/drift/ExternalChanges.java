package dev.eksaccess.drift;

import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.EksAccessProvider;
import java.time.Clock;

/**
 * Handles one access change read from CloudTrail: skips the calls of this system's own roles, judges the others
 * against the cluster as it is now, and records each once.
 */
public final class ExternalChanges {

    /** What became of a change. */
    public sealed interface Handled {
        AccessChange change();
    }

    /** Made by one of this system's roles: not an external change. */
    public record OwnCall(AccessChange change) implements Handled {
    }

    /** Recorded now. */
    public record Recorded(AccessChange change, ExternalChange recorded) implements Handled {
    }

    /** The same CloudTrail event was recorded before (a redelivery). */
    public record AlreadyRecorded(AccessChange change, ExternalChange judgedAgain) implements Handled {
    }

    private final OwnRoles ownRoles;
    private final EksAccessProvider eks;
    private final ClusterAccessReader reader;
    private final ChangeClassifier classifier = new ChangeClassifier();
    private final ExternalChangeLog log;
    private final Clock clock;

    public ExternalChanges(OwnRoles ownRoles, EksAccessProvider eks, ClusterAccessReader reader, ExternalChangeLog log,
                           Clock clock) {
        this.ownRoles = ownRoles;
        this.eks = eks;
        this.reader = reader;
        this.log = log;
        this.clock = clock;
    }

    /** @throws dev.eksaccess.eks.EksAccessException when EKS cannot be read: the event is retried, nothing is lost */
    public Handled handle(AccessChange change) {
        if (ownRoles.made(change.actor())) {
            return new OwnCall(change);
        }
        ClusterAccessView view = reader.read(eks.forCluster(change.cluster(),
                ActingFor.function(SessionIdentity.ACCESS_CHANGES, change.eventId())), change.cluster(), change.principalArn());
        ExternalChange judged = new ExternalChange(change, classifier.classify(change, view), clock.instant());
        return log.recordOnce(judged) ? new Recorded(change, judged) : new AlreadyRecorded(change, judged);
    }
}
