package dev.eksaccess.delivery;

import dev.eksaccess.contract.DeploymentSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The no-loop rule of drift repair (docs/drift.md, "Repair"): an entry restored {@link #MAX_RESTORES} times within
 * {@code window} is not restored a third time. Someone (a person, a Terraform run, another controller) keeps changing
 * it back; fighting them would be a loop, so the restore is stopped, recorded, and the alarm raised for a person.
 *
 * <p>A restore counts while it lies strictly less than {@code window} before now: one exactly {@code window} old no
 * longer does.
 *
 * @param window how long a restore counts (the deployment file's {@code driftRestoreWindow}, default
 *               {@link #DEFAULT_WINDOW})
 */
public record RestoreLimit(Duration window) {

    /** Restores of one entry within the window after which the next is stopped. */
    public static final int MAX_RESTORES = 2;
    public static final Duration DEFAULT_WINDOW = DeploymentSettings.DEFAULT_DRIFT_RESTORE_WINDOW;
    public static final Duration MAX_WINDOW = DeploymentSettings.MAX_DRIFT_RESTORE_WINDOW;
    public static final RestoreLimit DEFAULT = new RestoreLimit(DEFAULT_WINDOW);

    public RestoreLimit {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("the restore window must be more than zero and at most " + MAX_WINDOW
                    + ": " + window);
        }
    }

    /** The restores in {@code kept} that still count at {@code now}, oldest first. */
    public List<Instant> counting(List<Instant> kept, Instant now) {
        Instant since = now.minus(window);
        return kept.stream().filter(at -> at.isAfter(since) && !at.isAfter(now)).sorted().toList();
    }

    /** Whether one more restore may be applied at {@code now}. */
    public boolean allows(List<Instant> kept, Instant now) {
        return counting(kept, now).size() < MAX_RESTORES;
    }

    /** What to keep once a restore was applied at {@code now}: the ones that still count, and this one. */
    public List<Instant> after(List<Instant> kept, Instant now) {
        List<Instant> next = new ArrayList<>(counting(kept, now));
        next.add(now);
        return next;
    }
}
