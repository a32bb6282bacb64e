package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.Tables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The DynamoDB behaviour the registry and ledger rely on, checked through the real SDK client against a backend,
 * on a table created from the contract's ledger definition ({@link Tables#LEDGER}).
 */
abstract class DynamoDbBehaviour {

    private static final String INDEX = Tables.LEDGER_BY_PRINCIPAL_INDEX;

    protected abstract AwsBackend backend();

    @Test
    void create_returnsAnActiveTableShapedAsTheContractsLedger() {
        // WHEN the ledger is created from its definition
        TableDescription table = createLedgerTable(backend().dynamoDb());

        // THEN it is ACTIVE, with the definition's key and indexes, each projecting every attribute
        assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(table.keySchema()).containsExactly(key(Tables.LEDGER_PARTITION_KEY, KeyType.HASH),
                key(Tables.LEDGER_SORT_KEY, KeyType.RANGE));
        assertThat(table.globalSecondaryIndexes()).extracting(index -> index.indexName())
                .containsExactlyInAnyOrder(Tables.LEDGER_BY_PRINCIPAL_INDEX, Tables.LEDGER_BY_EXPIRY_INDEX,
                        Tables.LEDGER_BY_REQUEST_INDEX);
        assertThat(table.globalSecondaryIndexes()).allSatisfy(index ->
                assertThat(index.projection().projectionType()).isEqualTo(ProjectionType.ALL));
        assertThat(table.globalSecondaryIndexes())
                .filteredOn(index -> index.indexName().equals(Tables.LEDGER_BY_EXPIRY_INDEX)).singleElement()
                .satisfies(index -> assertThat(index.keySchema()).containsExactly(
                        key(Tables.LEDGER_BY_EXPIRY_PARTITION_KEY, KeyType.HASH),
                        key(Tables.LEDGER_BY_EXPIRY_SORT_KEY, KeyType.RANGE)));
    }

    @Test
    void conditionalPut_refusesToOverwriteAnExistingItem() {
        // GIVEN a table holding one item
        DynamoDbClient dynamoDb = backend().dynamoDb();
        String table = createLedgerTable(dynamoDb).tableName();
        dynamoDb.putItem(put -> put.tableName(table).item(entry("grant#1", "v1", "arn:aws:iam::1:role/a", "t1")));

        // WHEN the same key is put again only if absent
        // THEN the condition fails and the first version stays
        assertThatThrownBy(() -> dynamoDb.putItem(put -> put.tableName(table)
                .item(entry("grant#1", "v1", "arn:aws:iam::1:role/b", "t2"))
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class);
        Map<String, AttributeValue> stored = dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("grant#1"), "sk", s("v1")))).item();
        assertThat(stored.get("principalArn").s()).isEqualTo("arn:aws:iam::1:role/a");
    }

    @Test
    void queryIndex_findsAPrincipalsItemsInSortKeyOrder() {
        // GIVEN items for two principals
        DynamoDbClient dynamoDb = backend().dynamoDb();
        String table = createLedgerTable(dynamoDb).tableName();
        String alice = "arn:aws:iam::1:role/alice";
        List.of(entry("grant#1", "v1", alice, "2026-01-02T00:00:00Z"),
                        entry("grant#2", "v1", "arn:aws:iam::1:role/bob", "2026-01-01T00:00:00Z"),
                        entry("grant#3", "v1", alice, "2026-01-01T00:00:00Z"))
                .forEach(item -> dynamoDb.putItem(put -> put.tableName(table).item(item)));

        // WHEN the index is queried for one principal
        List<Map<String, AttributeValue>> items = dynamoDb.query(query -> query.tableName(table).indexName(INDEX)
                .keyConditionExpression("principalArn = :p")
                .expressionAttributeValues(Map.of(":p", s(alice)))).items();

        // THEN only that principal's items come back, oldest first
        assertThat(items).extracting(item -> item.get("pk").s()).containsExactly("grant#3", "grant#1");
    }

    private static TableDescription createLedgerTable(DynamoDbClient dynamoDb) {
        return DynamoDbTables.create(dynamoDb, UniqueNames.unique("ledger"), Tables.LEDGER);
    }

    private static Map<String, AttributeValue> entry(String pk, String sk, String principalArn, String recordedAt) {
        return Map.of("pk", s(pk), "sk", s(sk), "principalArn", s(principalArn), "recordedAt", s(recordedAt));
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
