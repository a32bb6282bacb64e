package dev.eksaccess.drift;

import dev.eksaccess.contract.DriftMode;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.delivery.RestoreQueue;
import dev.eksaccess.drift.AccessChange.Kind;
import dev.eksaccess.request.RestoreRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides what repair an external change calls for (docs/drift.md, "Repair"), and asks for it: nothing, or a
 * {@code restore} of exactly the grant states the change touched, sent to the grant queue, where the grant processor
 * re-applies them with every safety rule. Called with each change the drift function recorded.
 *
 * <p>Restored, when the grant's drift mode ({@link DriftMode#of}) is {@code restore}: a deleted entry that eks-access
 * created, with every current grant it held; a disassociated policy a current grant holds; such a policy associated
 * again with another scope. Never restored: what no current grant holds (never granted, revoked, expired, or kept
 * from before grant states recorded their scope), a policy someone else granted, an entry eks-access did not create,
 * new entries, changes of groups or username, and the authentication mode. Whether a restore is one too many (the
 * no-loop rule) is the grant processor's to decide, under the entry's lease.
 */
public final class DriftResponder {

    /** What became of a change. */
    public sealed interface Response {
        /** Why, in one sentence for the log and the ledger. */
        String reason();
    }

    /** Nothing is restored. */
    public record NoRestore(String reason) implements Response {
    }

    /** A restore was sent. */
    public record Restore(RestoreRequest request, String reason) implements Response {
    }

    /** The drift mode of a grant, from the rule that allowed it and its cluster. */
    @FunctionalInterface
    public interface Modes {
        DriftMode of(String ruleId, String clusterArn);

        /** {@link DriftMode#of} over the deployed document's rules and the deployment's {@code driftRestoreClusters}. */
        static Modes of(Optional<EligibilityDocument> document, List<String> restoreClusters) {
            return (ruleId, clusterArn) -> DriftMode.of(document.flatMap(d -> d.rule(ruleId)), restoreClusters,
                    clusterArn);
        }
    }

    private final GrantStateStore grants;
    private final Modes modes;
    private final RestoreQueue queue;
    private final Clock clock;

    public DriftResponder(GrantStateStore grants, Modes modes, RestoreQueue queue, Clock clock) {
        this.grants = grants;
        this.modes = modes;
        this.queue = queue;
        this.clock = clock;
    }

    /** Decides and, for a restore, sends it; a send that fails throws, so the event is retried (nothing is lost). */
    public Response respond(ExternalChange recorded) {
        Response response = decide(recorded.change());
        if (response instanceof Restore restore) {
            queue.send(restore.request());
        }
        return response;
    }

    /** What {@code change} calls for, without sending anything. */
    public Response decide(AccessChange change) {
        return switch (change.kind()) {
            case AUTHENTICATION_MODE, CREATE_ENTRY -> new NoRestore(change.kind().eventName()
                    + " takes nothing away that an eks-access grant holds: reported, not restored");
            case UPDATE_ENTRY -> new NoRestore("a change of an entry's groups or username is reported, not restored");
            case DELETE_ENTRY -> deletedEntry(change);
            case DISASSOCIATE_POLICY, ASSOCIATE_POLICY -> policy(change);
        };
    }

    private Response deletedEntry(AccessChange change) {
        Instant now = clock.instant();
        List<GrantState> current = grants.findByPrincipal(change.cluster().arn(), change.principalArn()).stream()
                .filter(state -> state.notRestorableBecause(now).isEmpty()).toList();
        if (current.isEmpty()) {
            return new NoRestore("no current eks-access grant held the entry of " + change.principalArn());
        }
        GrantState newest = current.stream().max(Comparator.comparing(GrantState::lastRequestedAt)).orElseThrow();
        if (!newest.desired().entryOwned()) {
            return new NoRestore("the entry of " + change.principalArn() + " was not created by eks-access (its grant "
                    + newest.lastRequestId() + " found it there): its deletion is not undone");
        }
        List<GrantState> restored = current.stream().filter(this::restores).toList();
        if (restored.isEmpty()) {
            return new NoRestore(alertOnly(current));
        }
        return restore(change, restored, "the deleted entry held " + restored.size() + " grant"
                + (restored.size() == 1 ? "" : "s") + " of eks-access");
    }

    private Response policy(AccessChange change) {
        Optional<GrantState> state = grants.find(change.cluster().arn(), change.principalArn(), change.policyArn());
        if (state.isEmpty()) {
            return new NoRestore(change.policyArn() + " on " + change.principalArn() + " is not granted by eks-access");
        }
        Optional<String> notCurrent = state.get().notRestorableBecause(clock.instant());
        if (notCurrent.isPresent()) {
            return new NoRestore("no current grant holds it: " + notCurrent.get());
        }
        if (change.kind() == Kind.ASSOCIATE_POLICY) {
            if (change.scope() == null) {
                return new NoRestore("CloudTrail did not record the scope associated, so it cannot be compared");
            }
            if (change.scope().sameAs(state.get().desired().scope())) {
                return new NoRestore("associated with the scope eks-access granted (" + change.scope() + ")");
            }
        }
        if (!restores(state.get())) {
            return new NoRestore(alertOnly(List.of(state.get())));
        }
        return restore(change, List.of(state.get()), change.kind() == Kind.ASSOCIATE_POLICY
                ? "its scope was changed from " + state.get().desired().scope() + " to " + change.scope()
                : "it was disassociated");
    }

    private boolean restores(GrantState state) {
        return modes.of(state.desired().ruleId(), state.clusterArn()) == DriftMode.RESTORE;
    }

    private static String alertOnly(List<GrantState> states) {
        return "drift mode alert for " + states.stream().map(s -> s.policyArn() + " (rule " + s.desired().ruleId()
                + ")").toList() + ": reported, not restored";
    }

    private Restore restore(AccessChange change, List<GrantState> states, String why) {
        RestoreRequest request = new RestoreRequest(change.cluster(), change.principalArn(), states.stream()
                .map(s -> new RestoreRequest.Grant(s.policyArn(), s.lastRequestId())).toList(), change.eventId(),
                RestoreRequest.requestIdFor(change.eventId()), clock.instant(), RestoreRequest.REQUESTED_BY);
        return new Restore(request, "restore requested (" + request.requestId() + "): " + why);
    }
}
