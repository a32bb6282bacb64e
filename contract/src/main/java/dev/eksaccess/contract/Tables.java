package dev.eksaccess.contract;

/**
 * The two DynamoDB tables: their key attributes' names, which the functions read and write, and their whole
 * {@link TableSchema}, from which the CDK app creates the deployed tables and test-support the emulated ones, so none
 * of them can disagree.
 */
public final class Tables {

    /** Ledger index of audit records by request id: what {@code eks-access status ID} reads. */
    public static final String LEDGER_BY_REQUEST_INDEX = "byRequest";
    public static final String LEDGER_BY_REQUEST_PARTITION_KEY = "requestId";

    /** Registry: one item per cluster, keyed by cluster ARN. */
    public static final String REGISTRY_PARTITION_KEY = "clusterArn";

    /** Ledger: single-table design for audit records and per-grant state. */
    public static final String LEDGER_PARTITION_KEY = "pk";
    public static final String LEDGER_SORT_KEY = "sk";
    /**
     * The ledger partition of grants waiting for approval (sort key {@code REQUEST_ID#REQUESTER_ARN}): the functions
     * write it, the CLI reads it, and the stack's {@code dynamodb:LeadingKeys} conditions name it.
     */
    public static final String LEDGER_PENDING_PARTITION = "PENDING";

    /** Ledger index to query audit records by principal. */
    public static final String LEDGER_BY_PRINCIPAL_INDEX = "byPrincipal";
    public static final String LEDGER_BY_PRINCIPAL_PARTITION_KEY = "principalArn";
    public static final String LEDGER_BY_PRINCIPAL_SORT_KEY = "recordedAt";

    /** Sparse ledger index of time-bound grants, to find the expired ones without relying on TTL. */
    public static final String LEDGER_BY_EXPIRY_INDEX = "byExpiry";
    public static final String LEDGER_BY_EXPIRY_PARTITION_KEY = "expiryBucket";
    public static final String LEDGER_BY_EXPIRY_SORT_KEY = "expiresAt";

    /** The registry's shape: keyed by {@link #REGISTRY_PARTITION_KEY} alone. */
    public static final TableSchema REGISTRY = TableSchema.keyedBy(TableSchema.Key.string(REGISTRY_PARTITION_KEY));

    /**
     * The ledger's shape: keyed by {@link #LEDGER_PARTITION_KEY} and {@link #LEDGER_SORT_KEY}, with the index by
     * principal, the index by request id and the sparse index by expiry (only items of time-bound grants carry {@link
     * #LEDGER_BY_EXPIRY_PARTITION_KEY}, so the sweep reads just those). Both project every attribute: the sweep reads
     * whole grant states from its index.
     */
    public static final TableSchema LEDGER = TableSchema
            .keyedBy(TableSchema.Key.string(LEDGER_PARTITION_KEY), TableSchema.Key.string(LEDGER_SORT_KEY))
            .withIndex(LEDGER_BY_PRINCIPAL_INDEX, TableSchema.Key.string(LEDGER_BY_PRINCIPAL_PARTITION_KEY),
                    TableSchema.Key.string(LEDGER_BY_PRINCIPAL_SORT_KEY))
            .withIndex(LEDGER_BY_EXPIRY_INDEX, TableSchema.Key.string(LEDGER_BY_EXPIRY_PARTITION_KEY),
                    TableSchema.Key.string(LEDGER_BY_EXPIRY_SORT_KEY))
            .withIndex(LEDGER_BY_REQUEST_INDEX, TableSchema.Key.string(LEDGER_BY_REQUEST_PARTITION_KEY),
                    TableSchema.Key.string(LEDGER_BY_PRINCIPAL_SORT_KEY));

    private Tables() {
    }
}
