package dev.eksaccess.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.TableSchema;
import dev.eksaccess.contract.TableSchema.AttributeType;
import dev.eksaccess.contract.TableSchema.Key;
import dev.eksaccess.contract.Tables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.Table;

/**
 * The tables as deployed are the contract's: each table resource of the synthesized template, read back into a
 * {@link TableSchema}, equals {@link Tables#REGISTRY} or {@link Tables#LEDGER}. Emulated tables are created from the
 * same definitions (test-support's {@code DynamoDbTables}), so what the integration tests write to is what is deployed.
 */
class TableSchemaTemplateTest {

    @Test
    void fullDeployment_tablesAreTheContractsDefinitions() {
        EksAccessStack stack = TestApps.FULL.stacks().hub();

        assertThat(tables(TestApps.FULL.hub())).containsOnlyKeys(
                EksAccessStackTest.logicalId(stack.tables().registry()),
                EksAccessStackTest.logicalId(stack.tables().ledger()),
                EksAccessStackTest.logicalId(stack.tables().inventory()));
        assertThat(schemaOf(TestApps.FULL.hub(), stack.tables().registry())).isEqualTo(Tables.REGISTRY);
        assertThat(schemaOf(TestApps.FULL.hub(), stack.tables().ledger())).isEqualTo(Tables.LEDGER);
        assertThat(schemaOf(TestApps.FULL.hub(), stack.tables().inventory(), Tables.INVENTORY_TTL_ATTRIBUTE))
                .isEqualTo(Tables.INVENTORY);
    }

    @Test
    void minimalDeployment_tablesAreTheContractsDefinitions() {
        EksAccessStack stack = TestApps.minimal().stacks().hub();

        assertThat(schemaOf(TestApps.minimal().hub(), stack.tables().registry())).isEqualTo(Tables.REGISTRY);
        assertThat(schemaOf(TestApps.minimal().hub(), stack.tables().ledger())).isEqualTo(Tables.LEDGER);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> tables(Template template) {
        return (Map<String, Map<String, Object>>) (Map<String, ?>) template.findResources("AWS::DynamoDB::Table");
    }

    /**
     * The table's shape as the template states it. Fails when the template has what {@link TableSchema} cannot say
     * (a local index, a time-to-live attribute) or declares attributes that no key uses, which DynamoDB refuses.
     */
    @SuppressWarnings("unchecked")
    private static TableSchema schemaOf(Template template, Table table) {
        return schemaOf(template, table, null);
    }

    /** Also for a table whose items expire by the time-to-live attribute {@code ttl} (null: none may). */
    @SuppressWarnings("unchecked")
    private static TableSchema schemaOf(Template template, Table table, String ttl) {
        Map<String, Object> properties = (Map<String, Object>) tables(template)
                .get(EksAccessStackTest.logicalId(table)).get("Properties");
        assertThat(properties).doesNotContainKeys("LocalSecondaryIndexes");
        if (ttl == null) {
            assertThat(properties).doesNotContainKeys("TimeToLiveSpecification");
        } else {
            assertThat(properties.get("TimeToLiveSpecification")).isEqualTo(Map.of("AttributeName", ttl,
                    "Enabled", true));
        }

        List<Map<String, Object>> definitions = (List<Map<String, Object>>) properties.get("AttributeDefinitions");
        Map<String, AttributeType> types = new LinkedHashMap<>();
        definitions.forEach(definition -> types.put((String) definition.get("AttributeName"),
                switch ((String) definition.get("AttributeType")) {
                    case "S" -> AttributeType.STRING;
                    case "N" -> AttributeType.NUMBER;
                    case "B" -> AttributeType.BINARY;
                    default -> throw new AssertionError("attribute type " + definition);
                }));
        List<Key> key = keys((List<Map<String, Object>>) properties.get("KeySchema"), types);
        List<TableSchema.Index> indexes = new ArrayList<>();
        for (Map<String, Object> index : (List<Map<String, Object>>) properties.getOrDefault("GlobalSecondaryIndexes",
                List.of())) {
            List<Key> indexKey = keys((List<Map<String, Object>>) index.get("KeySchema"), types);
            String projection = (String) ((Map<String, Object>) index.get("Projection")).get("ProjectionType");
            indexes.add(new TableSchema.Index((String) index.get("IndexName"), indexKey.get(0),
                    indexKey.stream().skip(1).findFirst(), TableSchema.Projection.valueOf(projection)));
        }
        TableSchema schema = new TableSchema(key.get(0), key.stream().skip(1).findFirst(), indexes);
        assertThat(schema.keyAttributes()).as("attribute definitions").containsExactlyInAnyOrderElementsOf(
                types.entrySet().stream().map(entry -> new Key(entry.getKey(), entry.getValue())).toList());
        return schema;
    }

    /** A key schema as [partition key, sort key if any], typed by the attribute definitions. */
    private static List<Key> keys(List<Map<String, Object>> keySchema, Map<String, AttributeType> types) {
        assertThat(keySchema).extracting(element -> element.get("KeyType"))
                .isIn(List.of("HASH"), List.of("HASH", "RANGE"));
        return keySchema.stream().map(element -> (String) element.get("AttributeName"))
                .map(name -> new Key(name, Optional.ofNullable(types.get(name))
                        .orElseThrow(() -> new AssertionError("no attribute definition for key " + name))))
                .toList();
    }
}
