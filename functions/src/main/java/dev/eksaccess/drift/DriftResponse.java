package dev.eksaccess.drift;

/**
 * What the system does about an external change once it is recorded: the seam where repair ({@code drift: restore},
 * docs/drift.md) plugs in. Called for every recorded change, and again when its event is delivered again (the first
 * attempt may have failed after recording), so an implementation must be idempotent per CloudTrail event id.
 */
@FunctionalInterface
public interface DriftResponse {

    /** Records and reports only ({@code drift: alert}, the default): nothing is done about the change. */
    DriftResponse NONE = change -> { };

    /** @throws RuntimeException when it failed: the event is delivered again, and found recorded */
    void respond(ExternalChange change);
}
