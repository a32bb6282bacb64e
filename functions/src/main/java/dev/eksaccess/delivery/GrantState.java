package dev.eksaccess.delivery;

import dev.eksaccess.eks.AccessScope;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param desired         for a granted state, what the grant set, so that it can be restored when someone else
 *                        changes it (docs/drift.md, "Repair"); null for revokes and for states written before it was
 *                        kept (those are never restored)
 */
public record GrantState(String clusterArn, String principalArn, String policyArn, boolean granted,
                         Instant lastRequestedAt, String lastRequestId, Instant expiresAt, Desired desired) {

    /**
     * What an applied grant set in EKS and why it was allowed.
     *
     * @param scope            the policy's scope
     * @param kubernetesGroups the groups the request set on the entry; null when it left them as they were
     * @param username         the username the request set; null when it left it as it was
     * @param ruleId           the eligibility rule (or internal sender) that allowed the grant
     * @param entryOwned       whether the entry carried this system's {@code managed-by} tag once the grant was
     *                         applied: only such an entry is ever re-created after someone deleted it
     */
    public record Desired(AccessScope scope, List<String> kubernetesGroups, String username, String ruleId,
                          boolean entryOwned) {

        public Desired {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(ruleId, "ruleId");
            kubernetesGroups = kubernetesGroups == null ? null : List.copyOf(kubernetesGroups);
        }
    }

    /** A state that keeps no desired state: every revoke, and grants written before it was kept. */
    public GrantState(String clusterArn, String principalArn, String policyArn, boolean granted,
                      Instant lastRequestedAt, String lastRequestId, Instant expiresAt) {
        this(clusterArn, principalArn, policyArn, granted, lastRequestedAt, lastRequestId, expiresAt, null);
    }

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

    /**
     * Why this state cannot be restored at {@code now}, or empty when it can: it must be granted, not past its expiry,
     * and keep what the grant set. The one definition the drift responder and the grant processor's restore share.
     */
    public Optional<String> notRestorableBecause(Instant now) {
        if (!granted) {
            return Optional.of(policyArn + " was revoked by request " + lastRequestId);
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return Optional.of(policyArn + " expired at " + expiresAt);
        }
        if (desired == null) {
            return Optional.of(policyArn + " was granted (request " + lastRequestId + ") before grant states "
                    + "kept the scope, so what to restore is not known");
        }
        return Optional.empty();
    }
}
