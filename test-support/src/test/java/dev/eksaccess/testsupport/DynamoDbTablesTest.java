package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.TableSchema;
import dev.eksaccess.contract.TableSchema.AttributeType;
import dev.eksaccess.contract.TableSchema.Key;
import dev.eksaccess.contract.Tables;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class DynamoDbTablesTest {

    @Test
    void createRequest_forTheLedger_declaresItsKeysIndexesAndEveryKeyAttribute() {
        CreateTableRequest request = DynamoDbTables.createRequest("ledger-1", Tables.LEDGER);

        assertThat(request.tableName()).isEqualTo("ledger-1");
        assertThat(request.billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(request.keySchema()).containsExactly(key("pk", KeyType.HASH), key("sk", KeyType.RANGE));
        assertThat(request.attributeDefinitions()).containsExactly(string("pk"), string("sk"),
                string("principalArn"), string("recordedAt"), string("expiryBucket"), string("expiresAt"),
                string("requestId"));
        assertThat(request.globalSecondaryIndexes()).containsExactly(
                index("byPrincipal", "principalArn", "recordedAt"),
                index("byExpiry", "expiryBucket", "expiresAt"),
                index("byRequest", "requestId", "recordedAt"));
    }

    @Test
    void createRequest_forTheRegistry_hasAPartitionKeyAloneAndNoIndexes() {
        CreateTableRequest request = DynamoDbTables.createRequest("registry-1", Tables.REGISTRY);

        assertThat(request.keySchema()).containsExactly(key("clusterArn", KeyType.HASH));
        assertThat(request.attributeDefinitions()).containsExactly(string("clusterArn"));
        // Absent, not empty: DynamoDB refuses an empty list of indexes.
        assertThat(request.hasGlobalSecondaryIndexes()).isFalse();
    }

    @Test
    void createRequest_mapsEachAttributeTypeToDynamoDbsScalarType() {
        TableSchema schema = TableSchema.keyedBy(new Key("n", AttributeType.NUMBER), new Key("b", AttributeType.BINARY));

        assertThat(DynamoDbTables.createRequest("t", schema).attributeDefinitions()).containsExactly(
                AttributeDefinition.builder().attributeName("n").attributeType(ScalarAttributeType.N).build(),
                AttributeDefinition.builder().attributeName("b").attributeType(ScalarAttributeType.B).build());
    }

    private static GlobalSecondaryIndex index(String name, String partitionKey, String sortKey) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(List.of(key(partitionKey, KeyType.HASH), key(sortKey, KeyType.RANGE)))
                .projection(p -> p.projectionType(ProjectionType.ALL)).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
