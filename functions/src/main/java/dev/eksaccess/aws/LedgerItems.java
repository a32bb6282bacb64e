package dev.eksaccess.aws;

import dev.eksaccess.contract.Tables;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
