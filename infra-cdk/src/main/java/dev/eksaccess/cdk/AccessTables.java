package dev.eksaccess.cdk;

import dev.eksaccess.contract.TableSchema;
import dev.eksaccess.contract.Tables;
import java.util.Optional;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The cluster registry and the audit ledger, shaped as the contract defines them ({@link Tables#REGISTRY},
 * {@link Tables#LEDGER}). Both hold records nobody may lose (who created a cluster, who was granted what), so they
 * are retained when the stack is deleted, cannot be deleted while deletion protection is on, and can be restored to any second of the last 35 days.
 */
public final class AccessTables extends Construct {

    private final Table registry;
    private final Table ledger;
    private final Table inventory;

    /** @param key the customer managed key to encrypt with; empty: the AWS managed key */
    public AccessTables(Construct scope, String id, Optional<IKey> key) {
        super(scope, id);
        this.registry = table("Registry", Tables.REGISTRY, key, Optional.empty());
        // Keys only: all the tamper alarm reads (LedgerTamperAlarm), and no record's content leaves the table.
        this.ledger = table("Ledger", Tables.LEDGER, key, Optional.of(StreamViewType.KEYS_ONLY));
        // The reconciliation's snapshots (docs/drift.md): each replaced by the next, old ones deleted by TTL.
        this.inventory = table("Inventory", Tables.INVENTORY, key, Optional.empty(),
                Optional.of(Tables.INVENTORY_TTL_ATTRIBUTE));
    }

    private Table table(String id, TableSchema schema, Optional<IKey> key, Optional<StreamViewType> stream) {
        return table(id, schema, key, stream, Optional.empty());
    }

    private Table table(String id, TableSchema schema, Optional<IKey> key, Optional<StreamViewType> stream,
                        Optional<String> timeToLive) {
        Table.Builder builder = Table.Builder.create(this, id)
                .partitionKey(attribute(schema.partitionKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(key.isPresent() ? TableEncryption.CUSTOMER_MANAGED : TableEncryption.AWS_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN)
                // Retain keeps the table when the stack goes; this keeps anyone from deleting it by hand or by API.
                .deletionProtection(true);
        key.ifPresent(builder::encryptionKey);
        stream.ifPresent(builder::stream);
        timeToLive.ifPresent(builder::timeToLiveAttribute);
        schema.sortKey().ifPresent(sortKey -> builder.sortKey(attribute(sortKey)));
        Table table = builder.build();
        for (TableSchema.Index index : schema.indexes()) {
            GlobalSecondaryIndexProps.Builder props = GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(attribute(index.partitionKey()))
                    .projectionType(projection(index.projection()));
            index.sortKey().ifPresent(sortKey -> props.sortKey(attribute(sortKey)));
            table.addGlobalSecondaryIndex(props.build());
        }
        return table;
    }

    private static Attribute attribute(TableSchema.Key key) {
        AttributeType type = switch (key.type()) {
            case STRING -> AttributeType.STRING;
            case NUMBER -> AttributeType.NUMBER;
            case BINARY -> AttributeType.BINARY;
        };
        return Attribute.builder().name(key.name()).type(type).build();
    }

    private static ProjectionType projection(TableSchema.Projection projection) {
        return switch (projection) {
            case ALL -> ProjectionType.ALL;
            case KEYS_ONLY -> ProjectionType.KEYS_ONLY;
        };
    }

    public Table registry() {
        return registry;
    }

    public Table ledger() {
        return ledger;
    }

    public Table inventory() {
        return inventory;
    }
}
