package dev.eksaccess.bench;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.testsupport.DynamoDbTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The registry and ledger tables, keyed and indexed as {@link Tables} defines them for the CDK app. */
final class BenchTables {

    private BenchTables() {
    }

    static void createRegistry(DynamoDbClient dynamoDb, String name) {
        DynamoDbTables.createAndAwait(dynamoDb, CreateTableRequest.builder().tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute(Tables.REGISTRY_PARTITION_KEY))
                .keySchema(keyElement(Tables.REGISTRY_PARTITION_KEY, KeyType.HASH))
                .build());
    }

    static void createLedger(DynamoDbClient dynamoDb, String name) {
        DynamoDbTables.createAndAwait(dynamoDb, CreateTableRequest.builder().tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(Tables.LEDGER_PARTITION_KEY), attribute(Tables.LEDGER_SORT_KEY),
                        attribute(Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY),
                        attribute(Tables.LEDGER_BY_PRINCIPAL_SORT_KEY),
                        attribute(Tables.LEDGER_BY_EXPIRY_PARTITION_KEY), attribute(Tables.LEDGER_BY_EXPIRY_SORT_KEY))
                .keySchema(keyElement(Tables.LEDGER_PARTITION_KEY, KeyType.HASH),
                        keyElement(Tables.LEDGER_SORT_KEY, KeyType.RANGE))
                .globalSecondaryIndexes(
                        gsi(Tables.LEDGER_BY_PRINCIPAL_INDEX, Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY,
                                Tables.LEDGER_BY_PRINCIPAL_SORT_KEY),
                        gsi(Tables.LEDGER_BY_EXPIRY_INDEX, Tables.LEDGER_BY_EXPIRY_PARTITION_KEY,
                                Tables.LEDGER_BY_EXPIRY_SORT_KEY))
                .build());
    }

    private static GlobalSecondaryIndex gsi(String indexName, String hashKey, String rangeKey) {
        return GlobalSecondaryIndex.builder().indexName(indexName)
                .keySchema(keyElement(hashKey, KeyType.HASH), keyElement(rangeKey, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    private static AttributeDefinition attribute(String attributeName) {
        return AttributeDefinition.builder().attributeName(attributeName).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement keyElement(String attributeName, KeyType keyType) {
        return KeySchemaElement.builder().attributeName(attributeName).keyType(keyType).build();
    }
}
