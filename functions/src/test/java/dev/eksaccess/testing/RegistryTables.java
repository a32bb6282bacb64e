package dev.eksaccess.testing;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.UniqueNames;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creates registry tables with the key schema of {@link Tables}, as the CDK app does. */
public final class RegistryTables {

    private RegistryTables() {
    }

    /** A new, empty registry table with a unique name; returns the name. */
    public static String create(DynamoDbClient dynamoDb) {
        return DynamoDbTables.createAndAwait(dynamoDb, CreateTableRequest.builder()
                .tableName(UniqueNames.unique("registry"))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName(Tables.REGISTRY_PARTITION_KEY).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(Tables.REGISTRY_PARTITION_KEY).keyType(KeyType.HASH))
                .build()).tableName();
    }
}
