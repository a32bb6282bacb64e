package dev.eksaccess.sandbox;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.testsupport.DynamoDbTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creates the registry and ledger tables with the key schema and indexes of {@link Tables}, as the CDK app does. */
final class SandboxTables {

    private SandboxTables() {
    }

    static String createRegistry(DynamoDbClient dynamoDb, String name) {
        return DynamoDbTables.createAndAwait(dynamoDb, CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(Tables.REGISTRY_PARTITION_KEY))
                .keySchema(key(Tables.REGISTRY_PARTITION_KEY, KeyType.HASH))
                .build()).tableName();
    }

    static String createLedger(DynamoDbClient dynamoDb, String name) {
        return DynamoDbTables.createAndAwait(dynamoDb, CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(Tables.LEDGER_PARTITION_KEY), string(Tables.LEDGER_SORT_KEY),
                        string(Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY), string(Tables.LEDGER_BY_PRINCIPAL_SORT_KEY),
                        string(Tables.LEDGER_BY_EXPIRY_PARTITION_KEY), string(Tables.LEDGER_BY_EXPIRY_SORT_KEY))
                .keySchema(key(Tables.LEDGER_PARTITION_KEY, KeyType.HASH), key(Tables.LEDGER_SORT_KEY, KeyType.RANGE))
                .globalSecondaryIndexes(
                        index(Tables.LEDGER_BY_PRINCIPAL_INDEX, Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY,
                                Tables.LEDGER_BY_PRINCIPAL_SORT_KEY),
                        index(Tables.LEDGER_BY_EXPIRY_INDEX, Tables.LEDGER_BY_EXPIRY_PARTITION_KEY,
                                Tables.LEDGER_BY_EXPIRY_SORT_KEY))
                .build()).tableName();
    }

    private static GlobalSecondaryIndex index(String name, String partitionKey, String sortKey) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(partitionKey, KeyType.HASH), key(sortKey, KeyType.RANGE))
                .projection(p -> p.projectionType(ProjectionType.ALL)).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
