package dev.eksaccess.delivery;

import dev.eksaccess.authz.Authorizer;
import dev.eksaccess.authz.Senders;
import java.util.Objects;

/**
 * What the {@link RequestProcessor} needs to decide who may do what, and to tell them: sender resolution, the
 * eligibility rules and internal senders, the grants held for approval, and the outcome events.
 */
public record AccessControl(Senders senders, Authorizer authorizer, PendingApprovals pending,
                            OutcomePublisher outcomes) {

    public AccessControl {
        Objects.requireNonNull(senders, "senders");
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(outcomes, "outcomes");
    }
}
