package dev.eksaccess.inventory;

/** Who made an access entry, as far as the system can tell. */
public enum Origin {
    /** This system: a grant state references it, or it carries the system's {@code managed-by} tag. */
    SYSTEM,
    /** EKS itself, for the cluster's creator ({@code bootstrapClusterCreatorAdminPermissions}). */
    CREATOR,
    /** Anyone else: a person, Terraform, the console. */
    EXTERNAL
}
