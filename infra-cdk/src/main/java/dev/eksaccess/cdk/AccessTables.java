package dev.eksaccess.cdk;

import dev.eksaccess.contract.Tables;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The cluster registry and the audit ledger, keyed as {@link Tables} says. Both hold records nobody may lose
 * (who created a cluster, who was granted what), so they are retained when the stack is deleted and can be
 * restored to any second of the last 35 days.
 */
public final class AccessTables extends Construct {

    private final Table registry;
    private final Table ledger;

    public AccessTables(Construct scope, String id) {
        super(scope, id);
        this.registry = table("Registry", Tables.REGISTRY_PARTITION_KEY, null);
        this.ledger = table("Ledger", Tables.LEDGER_PARTITION_KEY, Tables.LEDGER_SORT_KEY);
        addIndex(Tables.LEDGER_BY_PRINCIPAL_INDEX, Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY,
                Tables.LEDGER_BY_PRINCIPAL_SORT_KEY);
        // Sparse: only items of time-bound grants carry expiryBucket, so the sweep reads just those.
        addIndex(Tables.LEDGER_BY_EXPIRY_INDEX, Tables.LEDGER_BY_EXPIRY_PARTITION_KEY, Tables.LEDGER_BY_EXPIRY_SORT_KEY);
    }

    private void addIndex(String name, String partitionKey, String sortKey) {
        ledger.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(name)
                .partitionKey(string(partitionKey))
                .sortKey(string(sortKey))
                .projectionType(ProjectionType.ALL)
                .build());
    }

    private Table table(String id, String partitionKey, String sortKey) {
        Table.Builder builder = Table.Builder.create(this, id)
                .partitionKey(string(partitionKey))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN);
        if (sortKey != null) {
            builder.sortKey(string(sortKey));
        }
        return builder.build();
    }

    private static Attribute string(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    public Table registry() {
        return registry;
    }

    public Table ledger() {
        return ledger;
    }
}
