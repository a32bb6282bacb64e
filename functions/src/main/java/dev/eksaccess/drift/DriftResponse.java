package dev.eksaccess.drift;

/**
 * What the system does about an external change once it is recorded: the seam where repair ({@code drift: restore},
 * docs/drift.md) plugs in. Called for every recorded change, and again when its event is delivered again (the first
 * attempt may have failed after recording), so an implementation must be idempotent per CloudTrail event id.
 */
@FunctionalInterface
public interface DriftResponse {

    /**
     * Records and reports only: the deployment has no grant queue to send restores to, so nothing is done about any
     * change, whatever the rules' {@code drift} (start-up refuses a rule asking for {@code restore} then).
     */
    DriftResponse NONE = change -> new DriftResponder.NoRestore("repair is not configured (no grant queue): "
            + "reported, not restored");

    /**
     * @return what was done about the change, for the function's log line: a restore sent, or why none
     * @throws RuntimeException when it failed: the event is delivered again, and found recorded
     */
    DriftResponder.Response respond(ExternalChange change);
}
