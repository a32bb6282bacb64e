package dev.eksaccess.aws;

import static dev.eksaccess.aws.LedgerItems.*;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.RestoreHistory;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The restores of each entry in the ledger table, next to its grant states: {@code pk = GRANT#clusterArn},
 * {@code sk = RESTORES#principal}, a list of times. The {@code GRANT#} partition is one of the mutable ones
 * ({@link Tables#LEDGER_MUTABLE_PARTITIONS}), so the audit records stay append-only; the sort key never starts with
 * {@code GRANT#}, so a principal's grant states ({@link DynamoGrantStates#findByPrincipal}) never include it. Written
 * with a plain put under the entry's lease, which makes this processor its only writer at a time.
 */
public final class DynamoRestoreHistory implements RestoreHistory {

    static final String RESTORES_PREFIX = "RESTORES#";
    private static final String RESTORED_AT = "restoredAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoRestoreHistory(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<Instant> find(String clusterArn, String principalArn) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(clusterArn, principalArn))).item();
        AttributeValue times = item == null ? null : item.get(RESTORED_AT);
        return times == null || !times.hasL() ? List.of()
                : times.l().stream().map(time -> Instant.parse(time.s())).toList();
    }

    @Override
    public void save(String clusterArn, String principalArn, List<Instant> restoredAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(clusterArn, principalArn));
        item.put("itemType", s("restore-history"));
        item.put(RESTORED_AT, AttributeValue.fromL(restoredAt.stream().map(at -> s(timestamp(at))).toList()));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> key(String clusterArn, String principalArn) {
        return Map.of(Tables.LEDGER_PARTITION_KEY, s(DynamoGrantStates.partition(clusterArn)),
                Tables.LEDGER_SORT_KEY, s(RESTORES_PREFIX + principalArn));
    }
}
