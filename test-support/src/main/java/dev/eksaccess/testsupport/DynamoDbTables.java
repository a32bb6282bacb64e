package dev.eksaccess.testsupport;

import dev.eksaccess.contract.TableSchema;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Creates tables shaped as a {@link TableSchema} says (the contract's {@code Tables.REGISTRY} and {@code Tables.LEDGER},
 * from which the CDK app creates the deployed ones) and waits until they are usable: real DynamoDB, LocalStack and
 * dynalite all keep a new table CREATING for a while. On-demand billing, as deployed; nothing else of the deployment
 * (encryption, backups) changes what the functions can write.
 */
public final class DynamoDbTables {

    /**
     * The SDK's table waiter polls every 20 s, tuned for real DynamoDB; emulators are ACTIVE within milliseconds,
     * so poll often and give up after a minute.
     */
    private static final WaiterOverrideConfiguration FAST_POLLING = WaiterOverrideConfiguration.builder()
            .backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(100)))
            .maxAttempts(600)
            .waitTimeout(Duration.ofMinutes(1))
            .build();

    private DynamoDbTables() {
    }

    /** Creates table {@code name} shaped as {@code schema} and returns its description once it is ACTIVE. */
    public static TableDescription create(DynamoDbClient dynamoDb, String name, TableSchema schema) {
        return createAndAwait(dynamoDb, createRequest(name, schema));
    }

    /** Creates a table shaped as {@code schema}, named {@code prefix} plus a random suffix; returns the name. */
    public static String createUnique(DynamoDbClient dynamoDb, String prefix, TableSchema schema) {
        return create(dynamoDb, UniqueNames.unique(prefix), schema).tableName();
    }

    /** The CreateTable request for table {@code name} shaped as {@code schema}. */
    public static CreateTableRequest createRequest(String name, TableSchema schema) {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(schema.keyAttributes().stream()
                        .map(key -> AttributeDefinition.builder().attributeName(key.name())
                                .attributeType(type(key.type())).build())
                        .toList())
                .keySchema(keySchema(schema.partitionKey(), schema.sortKey()));
        if (!schema.indexes().isEmpty()) {
            request.globalSecondaryIndexes(schema.indexes().stream()
                    .map(index -> GlobalSecondaryIndex.builder()
                            .indexName(index.name())
                            .keySchema(keySchema(index.partitionKey(), index.sortKey()))
                            .projection(p -> p.projectionType(projection(index.projection())))
                            .build())
                    .toList());
        }
        return request.build();
    }

    private static TableDescription createAndAwait(DynamoDbClient dynamoDb, CreateTableRequest request) {
        dynamoDb.createTable(request);
        return dynamoDb.waiter()
                .waitUntilTableExists(DescribeTableRequest.builder().tableName(request.tableName()).build(),
                        FAST_POLLING)
                .matched().response()
                .orElseThrow(() -> new IllegalStateException("Table " + request.tableName() + " did not become ACTIVE"))
                .table();
    }

    private static KeySchemaElement[] keySchema(TableSchema.Key partitionKey, Optional<TableSchema.Key> sortKey) {
        KeySchemaElement hash = KeySchemaElement.builder().attributeName(partitionKey.name()).keyType(KeyType.HASH)
                .build();
        return sortKey.map(key -> new KeySchemaElement[] {hash,
                        KeySchemaElement.builder().attributeName(key.name()).keyType(KeyType.RANGE).build()})
                .orElseGet(() -> new KeySchemaElement[] {hash});
    }

    private static ScalarAttributeType type(TableSchema.AttributeType type) {
        return switch (type) {
            case STRING -> ScalarAttributeType.S;
            case NUMBER -> ScalarAttributeType.N;
            case BINARY -> ScalarAttributeType.B;
        };
    }

    private static ProjectionType projection(TableSchema.Projection projection) {
        return switch (projection) {
            case ALL -> ProjectionType.ALL;
            case KEYS_ONLY -> ProjectionType.KEYS_ONLY;
        };
    }
}
