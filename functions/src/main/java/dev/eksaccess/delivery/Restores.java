package dev.eksaccess.delivery;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.DriftMode;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.engine.AccessEngine;
import dev.eksaccess.engine.AccessSnapshot;
import dev.eksaccess.engine.ChangeResult;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.RestoreRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Applies a restore from the drift function (docs/drift.md, "Repair"): each named grant is re-applied through the
 * {@link AccessEngine}, with its safety rules, from the grant state this processor keeps, and only while that state is
 * still the one the restore names: the same last request, granted, not expired. The message itself carries nothing
 * that is applied, so a restore can only bring back what a current grant holds.
 *
 * <p>Runs under the lease of the entry (cluster and principal). An entry restored {@link RestoreLimit#MAX_RESTORES}
 * times within the window is not restored again: the restore is rejected with {@link #DRIFT_RESTORE_STOPPED}, which
 * logs it at ERROR and raises the alarm. A restore does not change the grant state: it is no new request, so it
 * neither reorders requests nor moves the expiry.
 */
final class Restores {

    /** The errorType of a restore stopped by the no-loop rule: the alarm's metric filter matches it. */
    static final String DRIFT_RESTORE_STOPPED = DriftMode.RESTORE_STOPPED;

    private final AccessEngine engine;
    private final GrantStateStore states;
    private final RestoreHistory history;
    private final RestoreLimit limit;
    private final Clock clock;

    Restores(AccessEngine engine, GrantStateStore states, RestoreHistory history, RestoreLimit limit, Clock clock) {
        this.engine = engine;
        this.states = states;
        this.history = history;
        this.limit = limit;
        this.clock = clock;
    }

    /** @throws dev.eksaccess.engine.RetryLaterException when EKS cannot be changed now: the restore is retried */
    ChangeResult apply(RestoreRequest restore, ActingFor actingFor) {
        Instant now = clock.instant();
        String cluster = restore.cluster().arn();
        List<GrantState> restorable = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (RestoreRequest.Grant grant : restore.grants()) {
            Optional<GrantState> state = states.find(cluster, restore.principalArn(), grant.policyArn());
            Optional<String> problem = state.isEmpty()
                    ? Optional.of(grant.policyArn() + " has no grant state of eks-access")
                    : !state.get().lastRequestId().equals(grant.grantRequestId())
                    ? Optional.of(grant.policyArn() + " was changed by request " + state.get().lastRequestId()
                    + " since request " + grant.grantRequestId() + " granted it")
                    : state.get().notRestorableBecause(now);
            problem.ifPresentOrElse(refused::add, () -> restorable.add(state.get()));
        }
        String cause = "CloudTrail event " + restore.causeEventId();
        if (restorable.isEmpty()) {
            return new ChangeResult.Rejected("nothing to restore after " + cause + ": " + String.join("; ", refused),
                    null);
        }
        List<Instant> kept = history.find(cluster, restore.principalArn());
        if (!limit.allows(kept, now)) {
            return new ChangeResult.Rejected("restore stopped: the entry of " + restore.principalArn() + " was "
                    + "restored " + limit.counting(kept, now).stream().map(Instant::toString)
                    .collect(Collectors.joining(" and ", "at ", "")) + ", " + RestoreLimit.MAX_RESTORES
                    + " times within " + limit.window() + ", and " + cause + " changed it again: someone keeps "
                    + "changing it back, so eks-access does not fight them; a person must decide which access is "
                    + "right", null, DRIFT_RESTORE_STOPPED);
        }
        List<ChangeResult.Applied> applied = new ArrayList<>();
        List<ChangeResult.Rejected> rejected = new ArrayList<>();
        for (GrantState state : restorable) {
            switch (engine.grant(regrant(restore, state), actingFor)) {
                case ChangeResult.Applied a -> applied.add(a);
                case ChangeResult.Rejected r -> rejected.add(r);
                case ChangeResult.Ignored i -> refused.add(i.summary());
            }
        }
        rejected.forEach(r -> refused.add(r.summary()));
        String notRestored = refused.isEmpty() ? "" : "; not restored: " + String.join("; ", refused);
        if (applied.isEmpty()) {
            ChangeResult.Rejected first = rejected.isEmpty() ? null : rejected.get(0);
            return new ChangeResult.Rejected("restore after " + cause + " refused" + notRestored,
                    first == null ? null : first.before(), first == null ? null : first.configurationError(),
                    first != null && first.bySafetyRule());
        }
        history.save(cluster, restore.principalArn(), limit.after(kept, now));
        AccessSnapshot before = applied.get(0).before();
        AccessSnapshot after = applied.get(applied.size() - 1).after();
        return new ChangeResult.Applied("restored after " + cause + ": " + applied.stream()
                .map(ChangeResult.Applied::summary).collect(Collectors.joining("; ")) + notRestored, before, after,
                List.of());
    }

    /** The grant {@code state} keeps, as a request of the restore's id: the engine's one path for grants. */
    private static AccessRequest regrant(RestoreRequest restore, GrantState state) {
        GrantState.Desired desired = state.desired();
        return new AccessRequest(Action.GRANT, restore.cluster(), restore.principalArn(),
                AccessPolicies.shortNameOf(state.policyArn()).orElseThrow(), desired.scope(),
                desired.kubernetesGroups(), desired.username(), state.expiresAt(), restore.requestId(),
                restore.requestedAt(), restore.requestedBy(), "restores request " + state.lastRequestId()
                + " after CloudTrail event " + restore.causeEventId());
    }
}
