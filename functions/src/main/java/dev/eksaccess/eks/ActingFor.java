package dev.eksaccess.eks;

import java.util.Objects;

/**
 * Who a change in EKS is made for, so that a member account's CloudTrail can say it: the sender of the request (the
 * IAM role or user ARN its SQS sender id resolved to, never the message's own {@code requestedBy} text) or, for the
 * system's own requests (bootstrap, expiry), the function that sent it; and the request's id.
 *
 * @param principalArn the sender's ARN, or null when a function of the system asks
 * @param function     the function's name (contract's {@code SessionIdentity.CLUSTER_CREATION}, {@code EXPIRY_SWEEP}),
 *                     or null for a sender
 * @param requestId    the request's id, as the ledger records it
 */
public record ActingFor(String principalArn, String function, String requestId) {

    public ActingFor {
        Objects.requireNonNull(requestId, "requestId");
        if ((principalArn == null) == (function == null)) {
            throw new IllegalArgumentException("exactly one of principalArn and function is named");
        }
    }

    /** A request of a sender. */
    public static ActingFor sender(String principalArn, String requestId) {
        return new ActingFor(Objects.requireNonNull(principalArn, "principalArn"), null, requestId);
    }

    /** A request one of the system's functions sent. */
    public static ActingFor function(String function, String requestId) {
        return new ActingFor(null, Objects.requireNonNull(function, "function"), requestId);
    }
}
