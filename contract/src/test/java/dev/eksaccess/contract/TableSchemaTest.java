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

    /** The IAM patterns of mutable partitions single out grant states, leases and pending grants, never a record. */
    @Test
    void mutablePartitions_matchGrantLeaseAndPendingPartitions_neverAnAuditPartition() {
        String cluster = "arn:aws:eks:eu-west-1:111122223333:cluster/prod";

        assertThat(List.of(Tables.LEDGER_GRANT_PARTITION_PREFIX + cluster,
                Tables.LEDGER_LEASE_PARTITION_PREFIX + cluster + "#bootstrap", Tables.LEDGER_PENDING_PARTITION))
                .allSatisfy(partition -> assertThat(mutable(partition)).as(partition).isTrue());
        assertThat(List.of(Tables.LEDGER_AUDIT_PARTITION_PREFIX + cluster, Tables.LEDGER_AUDIT_PARTITION_PREFIX + "none",
                "PENDING#x", "GRANT", "LEASE"))
                .allSatisfy(partition -> assertThat(mutable(partition)).as(partition).isFalse());
    }

    /** IAM StringLike: '*' any run of characters, '?' one. */
    private static boolean mutable(String partition) {
        return Tables.LEDGER_MUTABLE_PARTITIONS.stream().anyMatch(pattern -> partition.matches(
                java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q")));
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
