package dev.eksaccess.contract;

import java.util.List;

/**
 * The DynamoDB tables: their key attributes' names, which the functions read and write, and their whole
 * {@link TableSchema}, from which the CDK app creates the deployed tables and test-support the emulated ones, so none
 * of them can disagree.
 */
public final class Tables {

    /** Ledger index of audit records by request id: what {@code eks-access status ID} reads. */
    public static final String LEDGER_BY_REQUEST_INDEX = "byRequest";
    public static final String LEDGER_BY_REQUEST_PARTITION_KEY = "requestId";

    /** Registry: one item per cluster, keyed by cluster ARN. */
    public static final String REGISTRY_PARTITION_KEY = "clusterArn";

    /**
     * Ledger: one table, its items told apart by partition (docs/architecture.md, "The ledger"). Audit records are in
     * partitions of their own ({@link #LEDGER_AUDIT_PARTITION_PREFIX}), written once and never changed; every item the
     * functions change or delete is in a partition {@link #LEDGER_MUTABLE_PARTITIONS} names, which is how the stack's
     * {@code dynamodb:LeadingKeys} conditions tell the two apart.
     */
    public static final String LEDGER_PARTITION_KEY = "pk";
    public static final String LEDGER_SORT_KEY = "sk";
    /**
     * Partitions of audit records: {@code CLUSTER#<cluster ARN>}, or {@code CLUSTER#none} for messages that named no
     * valid cluster. Append-only: the functions put each record once and may neither update nor delete one.
     */
    public static final String LEDGER_AUDIT_PARTITION_PREFIX = "CLUSTER#";
    /**
     * Sort key prefix of a change someone else made to a cluster's access, in that cluster's audit partition:
     * {@code EXTERNAL#<CloudTrail event id>}, put once (docs/drift.md).
     */
    public static final String LEDGER_EXTERNAL_CHANGE_PREFIX = "EXTERNAL#";
    /** Partitions of per-grant state: {@code GRANT#<cluster ARN>}, sort key {@code GRANT#<principal>#<policy ARN>}. */
    public static final String LEDGER_GRANT_PARTITION_PREFIX = "GRANT#";
    /** Partitions of leases: {@code LEASE#<cluster ARN>#<subject>}, sort key {@code LEASE}. */
    public static final String LEDGER_LEASE_PARTITION_PREFIX = "LEASE#";
    /**
     * The ledger partition of grants waiting for approval (sort key {@code REQUEST_ID#REQUESTER_ARN}): the functions
     * write it, the CLI reads it, and the stack's {@code dynamodb:LeadingKeys} conditions name it.
     */
    public static final String LEDGER_PENDING_PARTITION = "PENDING";
    /**
     * The partitions of mutable items (grant states, leases, grants waiting for approval) as IAM {@code StringLike}
     * patterns of {@code dynamodb:LeadingKeys}: the only partitions where the functions may update or delete items.
     * None matches an audit partition ({@link #LEDGER_AUDIT_PARTITION_PREFIX}).
     */
    public static final List<String> LEDGER_MUTABLE_PARTITIONS = List.of(LEDGER_GRANT_PARTITION_PREFIX + "*",
            LEDGER_LEASE_PARTITION_PREFIX + "*", LEDGER_PENDING_PARTITION);

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

    /**
     * Inventory (docs/drift.md, "Reconciliation and inventory"): each reconciliation's snapshot in a partition of its
     * own ({@link #INVENTORY_SNAPSHOT_PREFIX} and the run's id), then the pointer item ({@link #INVENTORY_CURRENT} in
     * both keys) names it: a reader follows the pointer, so it sees one whole snapshot, never a mix of two. Old
     * snapshots expire through TTL ({@link #INVENTORY_TTL_ATTRIBUTE}); the pointer never does.
     */
    public static final String INVENTORY_PARTITION_KEY = "snapshot";
    public static final String INVENTORY_SORT_KEY = "item";
    public static final String INVENTORY_CURRENT = "CURRENT";
    public static final String INVENTORY_SNAPSHOT_PREFIX = "SNAPSHOT#";
    /** Epoch seconds after which DynamoDB may delete a snapshot's items. */
    public static final String INVENTORY_TTL_ATTRIBUTE = "expireAt";

    /** The inventory's shape: keyed by {@link #INVENTORY_PARTITION_KEY} and {@link #INVENTORY_SORT_KEY}. */
    public static final TableSchema INVENTORY = TableSchema.keyedBy(TableSchema.Key.string(INVENTORY_PARTITION_KEY),
            TableSchema.Key.string(INVENTORY_SORT_KEY));

    private Tables() {
    }
}
