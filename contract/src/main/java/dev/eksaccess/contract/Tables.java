package dev.eksaccess.contract;

/**
 * Key schema of the two DynamoDB tables, shared by the functions (which read and write them) and the CDK app
 * (which creates them), so the two cannot disagree.
 */
public final class Tables {

    /** Registry: one item per cluster, keyed by cluster ARN. */
    public static final String REGISTRY_PARTITION_KEY = "clusterArn";

    /** Ledger: single-table design for audit records and per-grant state. */
    public static final String LEDGER_PARTITION_KEY = "pk";
    public static final String LEDGER_SORT_KEY = "sk";

    /** Ledger index to query audit records by principal. */
    public static final String LEDGER_BY_PRINCIPAL_INDEX = "byPrincipal";
    public static final String LEDGER_BY_PRINCIPAL_PARTITION_KEY = "principalArn";
    public static final String LEDGER_BY_PRINCIPAL_SORT_KEY = "recordedAt";

    /** Sparse ledger index of time-bound grants, to find the expired ones without relying on TTL. */
    public static final String LEDGER_BY_EXPIRY_INDEX = "byExpiry";
    public static final String LEDGER_BY_EXPIRY_PARTITION_KEY = "expiryBucket";
    public static final String LEDGER_BY_EXPIRY_SORT_KEY = "expiresAt";

    private Tables() {
    }
}
