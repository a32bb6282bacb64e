package dev.eksaccess.reconcile;

import java.util.Objects;

/**
 * A difference between the grant states and what EKS holds, or a cluster that could not be compared.
 *
 * @param kind         what kind of difference
 * @param clusterArn   the cluster
 * @param principalArn the principal, or null for a cluster
 * @param policyArn    the policy, or null
 * @param detail       for a person: the grant's request, the failure
 */
public record Finding(Kind kind, String clusterArn, String principalArn, String policyArn, String detail) {

    /** The comparisons the reconciler makes. */
    public enum Kind {
        /** A grant state says the policy is granted and current; EKS lacks the entry or the policy. Reported. */
        MISSING_GRANT,
        /** An entry this system created holds a policy no grant state holds as granted. Reported. */
        EXTRA_POLICY,
        /** A time-bound grant past its end whose policy EKS still holds: handed back to the expiry sweep. */
        EXPIRED_REQUEUED,
        /** Like {@link #EXPIRED_REQUEUED}, but not handed back: it is kept overdue, or a newer request changed it. */
        EXPIRED_NOT_REQUEUED,
        /** An entry this system created (managed-by tag) that no granted state and no admin bootstrap references. */
        UNREFERENCED_ENTRY,
        /** The cluster could not be read; the run went on with the others. */
        CLUSTER_FAILED,
        /** The run's time ran out before this cluster; a later run reads it. */
        CLUSTER_NOT_READ
    }

    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(clusterArn, "clusterArn");
        Objects.requireNonNull(detail, "detail");
    }
}
