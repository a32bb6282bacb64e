package dev.eksaccess.eks;

import java.util.Objects;

/** An access policy associated with an access entry, and its scope. */
public record AssociatedPolicy(String policyArn, AccessScope scope) {

    public AssociatedPolicy {
        Objects.requireNonNull(policyArn, "policyArn");
        Objects.requireNonNull(scope, "scope");
    }
}
