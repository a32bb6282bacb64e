package dev.eksaccess.registry;

/** Where the admin bootstrap of a cluster stands. */
public enum BootstrapStatus {
    /** Handed to the grant queue; waiting for the cluster (or its mode switch) to become ACTIVE. */
    PENDING,
    /** Every admin principal has its entry and policy. */
    DONE,
    /** Nothing will happen without a change of setting or of the cluster; the reason says which. */
    BLOCKED,
    /** The system had nothing to do (for example, no admin principals are configured). */
    NOT_NEEDED
}
