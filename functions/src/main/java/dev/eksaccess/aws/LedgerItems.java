package dev.eksaccess.aws;

import dev.eksaccess.contract.Tables;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Attribute helpers shared by the ledger table's items (audit records, grant states, leases, pending grants). */
final class LedgerItems {

    /** Partition of the audit records about one cluster. */
    static final String CLUSTER_PREFIX = Tables.LEDGER_AUDIT_PARTITION_PREFIX;
    /** Partition of records of messages that named no valid cluster. */
    static final String NO_CLUSTER = CLUSTER_PREFIX + "none";

    /**
     * Fixed-width UTC timestamps (always with milliseconds): the tables store them as strings, and sort keys and
     * conditions compare them as strings, which {@link Instant#toString()} (variable width) would get wrong.
     */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LedgerItems() {
    }

    static String clusterKey(String clusterArn) {
        return clusterArn == null ? NO_CLUSTER : CLUSTER_PREFIX + clusterArn;
    }

    /**
     * Puts {@code item} as a new item of the ledger, never over another ({@code attribute_not_exists}): the one way
     * audit items are written. True when it was put, false when an item with its key was there already.
     */
    static boolean putNew(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY)));
            return true;
        } catch (ConditionalCheckFailedException recorded) {
            return false;
        }
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static void putIfNotNull(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        return value == null ? null : Instant.parse(value);
    }
}
