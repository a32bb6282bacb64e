package dev.eksaccess.testsupport;

import java.time.Duration;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Creates tables and waits until they are usable. The table shape stays with the code that owns it (the functions
 * and the CDK app define theirs from {@code dev.eksaccess.contract.Tables}); this only adds the wait that real
 * DynamoDB, LocalStack and dynalite all need, since a new table is CREATING for a while.
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

    /** Creates the table and returns its description once it is ACTIVE. */
    public static TableDescription createAndAwait(DynamoDbClient dynamoDb, CreateTableRequest request) {
        dynamoDb.createTable(request);
        return dynamoDb.waiter()
                .waitUntilTableExists(DescribeTableRequest.builder().tableName(request.tableName()).build(),
                        FAST_POLLING)
                .matched().response()
                .orElseThrow(() -> new IllegalStateException("Table " + request.tableName() + " did not become ACTIVE"))
                .table();
    }
}
