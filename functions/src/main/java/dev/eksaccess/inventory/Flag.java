package dev.eksaccess.inventory;

/** What the inventory points out about an entry or a cluster, for a person to look at. */
public enum Flag {
    /** A STANDARD entry without any access policy (it reaches the API only through RBAC bindings of its groups). */
    NO_POLICY(false),
    /** The entry's IAM role or user no longer exists (IAM GetRole/GetUser: NoSuchEntity). */
    PRINCIPAL_GONE(false),
    /** A time-bound grant past its end whose policy is still associated. */
    PAST_END(false),
    /** The cluster is in CONFIG_MAP mode: its access is in aws-auth, which access entries do not show. */
    CONFIG_MAP(true),
    /** Only the cluster's creator holds AmazonEKSClusterAdminPolicy at cluster scope. */
    ONLY_CREATOR_ADMIN(true),
    /** The cluster could not be read (EKS error, missing cluster, unreachable account); see its failure. */
    UNREADABLE(true);

    private final boolean ofCluster;

    Flag(boolean ofCluster) {
        this.ofCluster = ofCluster;
    }

    /** Whether the flag is about a whole cluster rather than one entry. */
    public boolean ofCluster() {
        return ofCluster;
    }
}
