package dev.eksaccess.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * The last applied request for one cluster, principal and policy: orders requests (a request older than
 * {@code lastRequestedAt} is stale) and schedules the revocation of time-bound grants.
 *
 * @param clusterArn      the cluster
 * @param principalArn    the principal
 * @param policyArn       the access policy
 * @param granted         whether the last applied request granted (true) or revoked (false) the policy
 * @param lastRequestedAt {@code requestedAt} of the last applied request
 * @param lastRequestId   its request id
 * @param expiresAt       when a time-bound grant must be revoked; null when none is pending
 */
public record GrantState(String clusterArn, String principalArn, String policyArn, boolean granted,
                         Instant lastRequestedAt, String lastRequestId, Instant expiresAt) {

    /**
     * The policy of the state an applied revoke without policy leaves, next to the states of the policies it
     * revoked: it makes every older request for the principal stale, including a grant of a policy that had no
     * state yet when the revoke arrived (a grant sent before the revoke and delivered after it).
     */
    public static final String ALL_POLICIES = "*";

    public GrantState {
        Objects.requireNonNull(clusterArn, "clusterArn");
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(policyArn, "policyArn");
        Objects.requireNonNull(lastRequestedAt, "lastRequestedAt");
        Objects.requireNonNull(lastRequestId, "lastRequestId");
    }

    /** Whether a request made at {@code requestedAt} is older than the last one applied. */
    public boolean isNewerThan(Instant requestedAt) {
        return lastRequestedAt.isAfter(requestedAt);
    }
}
