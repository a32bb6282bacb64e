package dev.eksaccess.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.TableSchema.AttributeType;
import dev.eksaccess.contract.TableSchema.Index;
import dev.eksaccess.contract.TableSchema.Key;
import dev.eksaccess.contract.TableSchema.Projection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TableSchemaTest {

    @Test
    void ledger_isKeyedByPkAndSkWithTheIndexesTheFunctionsQuery() {
        TableSchema ledger = Tables.LEDGER;

        assertThat(ledger.partitionKey()).isEqualTo(new Key("pk", AttributeType.STRING));
        assertThat(ledger.sortKey()).contains(new Key("sk", AttributeType.STRING));
        assertThat(ledger.indexes()).containsExactly(
                new Index("byPrincipal", Key.string("principalArn"), Optional.of(Key.string("recordedAt")),
                        Projection.ALL),
                new Index("byExpiry", Key.string("expiryBucket"), Optional.of(Key.string("expiresAt")),
                        Projection.ALL),
                new Index("byRequest", Key.string("requestId"), Optional.of(Key.string("recordedAt")),
                        Projection.ALL));
    }

    @Test
    void registry_isKeyedByClusterArnAlone() {
        assertThat(Tables.REGISTRY).isEqualTo(new TableSchema(Key.string("clusterArn"), Optional.empty(), List.of()));
    }

    @Test
    void keyAttributes_listEachKeyOfTheTableAndItsIndexesOnceInOrderOfFirstUse() {
        TableSchema schema = TableSchema.keyedBy(Key.string("pk"), Key.string("sk"))
                .withIndex("bySk", Key.string("sk"), Key.string("at"))
                .withIndex("byAt", Key.string("at"), Key.string("pk"));

        assertThat(schema.keyAttributes()).containsExactly(Key.string("pk"), Key.string("sk"), Key.string("at"));
        assertThat(Tables.LEDGER.keyAttributes()).extracting(Key::name)
                .containsExactly("pk", "sk", "principalArn", "recordedAt", "expiryBucket", "expiresAt", "requestId");
    }

    @Test
    void oneAttributeWithTwoTypes_isRefused() {
        TableSchema table = TableSchema.keyedBy(Key.string("pk"));

        assertThatThrownBy(() -> table.withIndex("byPk", new Key("pk", AttributeType.NUMBER), Key.string("at")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute pk is used as a key of type STRING and of type NUMBER");
    }

    @Test
    void twoIndexesWithOneName_areRefused() {
        TableSchema table = TableSchema.keyedBy(Key.string("pk")).withIndex("by", Key.string("a"), Key.string("b"));

        assertThatThrownBy(() -> table.withIndex("by", Key.string("c"), Key.string("d")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("two indexes share a name");
    }
}
