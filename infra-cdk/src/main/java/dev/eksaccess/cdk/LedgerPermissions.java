package dev.eksaccess.cdk;

import dev.eksaccess.contract.Tables;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * What the functions may do to the ledger table beyond reading it and putting items: the ledger is append-only for
 * them (docs/architecture.md, "The ledger"). Items are changed or deleted only in the partitions of mutable items
 * ({@link Tables#LEDGER_MUTABLE_PARTITIONS}: grant states, leases, grants waiting for approval, told apart by
 * {@code dynamodb:LeadingKeys}); the audit records' partitions get no UpdateItem or DeleteItem, and an explicit Deny
 * says so, so that no statement added later (or a managed policy attached by hand) can allow it. Bulk and PartiQL
 * writes, which would bypass the adapters' conditional puts, and the table-level actions that could end the records
 * wholesale (a TTL attribute, switching deletion protection off, deleting the table) are denied outright.
 *
 * <p>PutItem itself cannot be limited this way: IAM has no condition key on a request's condition expression, so a
 * role that may put a record may put it over an existing one. The adapters never do (every record is a conditional
 * put of a new item, {@code DynamoLedger}); docs/threat-model.md names what remains.
 */
final class LedgerPermissions {

    /** Grant states' partitions, which the expiry sweep updates (it takes grants off the expiry schedule). */
    static final List<String> GRANT_STATES = List.of(Tables.LEDGER_GRANT_PARTITION_PREFIX + "*");
    /** Leases' and pending grants' partitions, where the grant processor deletes (released, decided). */
    static final List<String> LEASES_AND_PENDING = List.of(Tables.LEDGER_LEASE_PARTITION_PREFIX + "*",
            Tables.LEDGER_PENDING_PARTITION);
    /** Changing or deleting items: allowed (in the mutable partitions) by the statements below only. */
    static final List<String> ITEM_CHANGES = List.of("dynamodb:UpdateItem", "dynamodb:DeleteItem");
    /** Writes no function makes, denied on the ledger whatever the partition. */
    static final List<String> NEVER = List.of("dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert",
            "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete", "dynamodb:UpdateTimeToLive", "dynamodb:UpdateTable",
            "dynamodb:DeleteTable");

    private LedgerPermissions() {
    }

    /**
     * Allows {@code actions} on the ledger's items in {@code partitions} only.
     *
     * @param partitions some of {@link Tables#LEDGER_MUTABLE_PARTITIONS}
     * @throws IllegalArgumentException when a partition is not one of them
     */
    static PolicyStatement inMutablePartitions(String sid, String ledgerArn, List<String> partitions,
                                               String... actions) {
        if (!Tables.LEDGER_MUTABLE_PARTITIONS.containsAll(partitions)) {
            throw new IllegalArgumentException(partitions + " are not all partitions of mutable items "
                    + Tables.LEDGER_MUTABLE_PARTITIONS);
        }
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(List.of(actions))
                .resources(List.of(ledgerArn))
                .conditions(Map.of("ForAllValues:StringLike",
                        Map.of("dynamodb:LeadingKeys", partitions)))
                .build();
    }

    /** The explicit Deny statements every function role with access to the ledger gets. */
    static List<PolicyStatement> appendOnly(String ledgerArn) {
        return List.of(
                PolicyStatement.Builder.create()
                        .sid("AuditRecordsAreNeverChanged")
                        .effect(Effect.DENY)
                        .actions(ITEM_CHANGES)
                        .resources(List.of(ledgerArn))
                        .conditions(Map.of("ForAnyValue:StringNotLike",
                                Map.of("dynamodb:LeadingKeys", Tables.LEDGER_MUTABLE_PARTITIONS)))
                        .build(),
                PolicyStatement.Builder.create()
                        .sid("LedgerHasNoBulkOrTableWrites")
                        .effect(Effect.DENY)
                        .actions(NEVER)
                        .resources(List.of(ledgerArn))
                        .build());
    }
}
