package dev.eksaccess.aws;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.UniqueNames;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creates ledger tables with the key schema and indexes of {@link Tables}, as the CDK app does. */
public final class LedgerTables {

    private LedgerTables() {
    }

    /** A new, empty ledger table with a unique name; returns the name. */
    public static String create(DynamoDbClient dynamoDb) {
        return DynamoDbTables.createAndAwait(dynamoDb, CreateTableRequest.builder()
                .tableName(UniqueNames.unique("ledger"))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(Tables.LEDGER_PARTITION_KEY), string(Tables.LEDGER_SORT_KEY),
                        string(Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY), string(Tables.LEDGER_BY_PRINCIPAL_SORT_KEY),
                        string(Tables.LEDGER_BY_EXPIRY_PARTITION_KEY), string(Tables.LEDGER_BY_EXPIRY_SORT_KEY))
                .keySchema(hash(Tables.LEDGER_PARTITION_KEY), range(Tables.LEDGER_SORT_KEY))
                .globalSecondaryIndexes(
                        index(Tables.LEDGER_BY_PRINCIPAL_INDEX, Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY,
                                Tables.LEDGER_BY_PRINCIPAL_SORT_KEY),
                        index(Tables.LEDGER_BY_EXPIRY_INDEX, Tables.LEDGER_BY_EXPIRY_PARTITION_KEY,
                                Tables.LEDGER_BY_EXPIRY_SORT_KEY))
                .build()).tableName();
    }

    private static GlobalSecondaryIndex index(String name, String partitionKey, String sortKey) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(hash(partitionKey), range(sortKey))
                .projection(p -> p.projectionType(ProjectionType.ALL)).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }
}
