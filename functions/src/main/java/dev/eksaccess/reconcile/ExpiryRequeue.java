package dev.eksaccess.reconcile;

import dev.eksaccess.delivery.GrantState;

/**
 * Hands a time-bound grant past its end, whose policy EKS still holds, back to the expiry sweep: the sweep, the only
 * sender the grant processor trusts with expiry revokes, queues the same revoke it queues for every expired grant,
 * so the same safety rules apply.
 */
@FunctionalInterface
public interface ExpiryRequeue {

    /**
     * Puts the grant back on the expiry schedule, unless a newer request changed it, or it is kept overdue because a
     * safety rule refused its revoke (that one is alarmed already, and another revoke would be refused again).
     *
     * @return whether it was put back
     */
    boolean requeue(GrantState grant);
}
