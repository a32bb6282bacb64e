package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DynamoLeases} against DynamoDB (dynalite): the conditional put and delete are the whole mechanism. */
@ExtendWith(EmulatedAws.class)
class DynamoLeasesIT {

    private static final String CLUSTER = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod";
    private static final String DEV = "arn:aws:iam::111122223333:role/payments-dev";
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final AwsBackend aws;
    private String table;
    private DynamoLeases leases;

    DynamoLeasesIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTable() {
        table = DynamoDbTables.createUnique(aws.dynamoDb(), "ledger", Tables.LEDGER);
        leases = new DynamoLeases(aws.dynamoDb(), table);
    }

    @Test
    void freeLease_isTaken_andStoredOutsideTheClusterPartitionAndTheIndexes() {
        assertThat(leases.tryAcquire(CLUSTER, DEV, "a", NOW, NOW.plusSeconds(90))).isTrue();

        Map<String, AttributeValue> item = aws.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(Tables.LEDGER_PARTITION_KEY, AttributeValue.fromS("LEASE#" + CLUSTER + "#" + DEV),
                        Tables.LEDGER_SORT_KEY, AttributeValue.fromS("LEASE")))).item();
        assertThat(item.get("holder").s()).isEqualTo("a");
        assertThat(item.get("leaseExpiresAt").s()).isEqualTo("2026-11-28T10:01:30.000Z");
        assertThat(item).doesNotContainKeys(Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY,
                Tables.LEDGER_BY_EXPIRY_PARTITION_KEY, Tables.LEDGER_BY_EXPIRY_SORT_KEY);
    }

    @Test
    void heldLease_isNotTakenBeforeItExpires_byAnyone() {
        leases.tryAcquire(CLUSTER, DEV, "a", NOW, NOW.plusSeconds(90));

        assertThat(leases.tryAcquire(CLUSTER, DEV, "b", NOW.plusSeconds(89), NOW.plusSeconds(179))).isFalse();
        assertThat(leases.tryAcquire(CLUSTER, DEV, "a", NOW.plusSeconds(1), NOW.plusSeconds(91))).isFalse();
        assertThat(leases.tryAcquire(CLUSTER, "arn:aws:iam::111122223333:role/other", "b", NOW, NOW.plusSeconds(90)))
                .as("another principal's lease").isTrue();
        assertThat(leases.tryAcquire("arn:aws:eks:eu-west-1:111122223333:cluster/other", DEV, "b", NOW,
                NOW.plusSeconds(90))).as("another cluster's lease").isTrue();
    }

    @Test
    void expiredLease_isTakenOver_andThenOnlyTheNewHolderReleasesIt() {
        leases.tryAcquire(CLUSTER, DEV, "crashed", NOW, NOW.plusSeconds(90));

        assertThat(leases.tryAcquire(CLUSTER, DEV, "b", NOW.plusSeconds(90), NOW.plusSeconds(180))).isTrue();

        assertThat(leases.release(CLUSTER, DEV, "crashed")).isFalse();
        assertThat(leases.tryAcquire(CLUSTER, DEV, "c", NOW.plusSeconds(91), NOW.plusSeconds(181))).isFalse();
        assertThat(leases.release(CLUSTER, DEV, "b")).isTrue();
        assertThat(leases.release(CLUSTER, DEV, "b")).as("released already").isFalse();
        assertThat(leases.tryAcquire(CLUSTER, DEV, "c", NOW.plusSeconds(91), NOW.plusSeconds(181))).isTrue();
    }
}
