package dev.eksaccess.aws;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.creation.CreationRegistry;
import dev.eksaccess.reconcile.RegisteredClusters;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The cluster registry in DynamoDB: one item per cluster, keyed by {@link Tables#REGISTRY_PARTITION_KEY}.
 *
 * <p>Every write is conditional, so that concurrent or repeated deliveries cannot overwrite each other, and every
 * read is strongly consistent, so that a write is seen by the read that follows it. Service errors propagate as
 * SDK exceptions: an outage is never mistaken for "not found".
 */
public final class DynamoClusterRegistry implements CreationRegistry, RegisteredClusters {

    static final String KEY = Tables.REGISTRY_PARTITION_KEY;
    static final String CLUSTER_NAME = "clusterName";
    static final String ACCOUNT_ID = "accountId";
    static final String REGION = "region";
    static final String CREATOR_PRINCIPAL_ARN = "creatorPrincipalArn";
    static final String CREATOR_IDENTITY_TYPE = "creatorIdentityType";
    static final String CREATOR_SESSION_NAME = "creatorSessionName";
    static final String CREATOR_NOTE = "creatorNote";
    static final String EVENT_ID = "eventId";
    static final String EVENT_TIME = "eventTime";
    static final String SOURCE = "source";
    static final String AUTHENTICATION_MODE = "authenticationMode";
    static final String BOOTSTRAP_CREATOR_ADMIN = "bootstrapCreatorAdmin";
    static final String BOOTSTRAP_STATUS = "bootstrapStatus";
    static final String BOOTSTRAP_REASON = "bootstrapReason";
    static final String UPDATED_AT = "updatedAt";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public DynamoClusterRegistry(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public ClusterRecord putIfAbsent(ClusterRecord record) {
        try {
            dynamoDb.putItem(put -> put.tableName(table).item(toItem(record))
                    .conditionExpression("attribute_not_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", KEY)));
            return record;
        } catch (ConditionalCheckFailedException exists) {
            return find(record.clusterArn()).orElseThrow(() -> new IllegalStateException(
                    "registry record for " + record.clusterArn() + " exists by the write condition but was not found "
                            + "by a consistent read; it was deleted concurrently"));
        }
    }

    @Override
    public Optional<ClusterRecord> find(String clusterArn) {
        GetItemResponse response = dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                .key(Map.of(KEY, AttributeValue.fromS(clusterArn))));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(fromItem(response.item())) : Optional.empty();
    }

    /** Every record, by a consistent, paginated scan (the registry holds one item per cluster). */
    @Override
    public List<ClusterRecord> all() {
        List<ClusterRecord> records = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            ScanResponse page = dynamoDb.scan(scan -> scan.tableName(table).consistentRead(true)
                    .exclusiveStartKey(exclusiveStart));
            page.items().forEach(item -> records.add(fromItem(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return records;
    }

    @Override
    public boolean updateBootstrap(String clusterArn, BootstrapStatus status, String reason) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table)
                    .key(Map.of(KEY, AttributeValue.fromS(clusterArn)))
                    .updateExpression("SET #status = :status, #reason = :reason, #updated = :updated")
                    .conditionExpression("attribute_exists(#key) AND #status <> :done")
                    .expressionAttributeNames(Map.of("#key", KEY, "#status", BOOTSTRAP_STATUS,
                            "#reason", BOOTSTRAP_REASON, "#updated", UPDATED_AT))
                    .expressionAttributeValues(Map.of(
                            ":status", AttributeValue.fromS(status.name()),
                            ":reason", AttributeValue.fromS(reason),
                            ":updated", AttributeValue.fromS(clock.instant().toString()),
                            ":done", AttributeValue.fromS(BootstrapStatus.DONE.name()))));
            return true;
        } catch (ConditionalCheckFailedException absentOrDone) {
            return false;
        }
    }

    @Override
    public boolean replace(String expectedEventId, ClusterRecord replacement) {
        try {
            dynamoDb.putItem(put -> put.tableName(table).item(toItem(replacement))
                    .conditionExpression("#event = :expected")
                    .expressionAttributeNames(Map.of("#event", EVENT_ID))
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromS(expectedEventId))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    static Map<String, AttributeValue> toItem(ClusterRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(record.clusterArn()));
        putText(item, CLUSTER_NAME, record.clusterName());
        putText(item, ACCOUNT_ID, record.accountId());
        putText(item, REGION, record.region());
        putText(item, CREATOR_PRINCIPAL_ARN, record.creatorPrincipalArn());
        putText(item, CREATOR_IDENTITY_TYPE, record.creatorIdentityType());
        putText(item, CREATOR_SESSION_NAME, record.creatorSessionName());
        putText(item, CREATOR_NOTE, record.creatorNote());
        putText(item, EVENT_ID, record.eventId());
        putText(item, EVENT_TIME, record.eventTime() == null ? null : record.eventTime().toString());
        putText(item, SOURCE, record.source());
        putText(item, AUTHENTICATION_MODE, record.authenticationMode());
        item.put(BOOTSTRAP_CREATOR_ADMIN, AttributeValue.fromBool(record.bootstrapCreatorAdmin()));
        item.put(BOOTSTRAP_STATUS, AttributeValue.fromS(record.bootstrapStatus().name()));
        putText(item, BOOTSTRAP_REASON, record.bootstrapReason());
        putText(item, UPDATED_AT, record.updatedAt() == null ? null : record.updatedAt().toString());
        return item;
    }

    static ClusterRecord fromItem(Map<String, AttributeValue> item) {
        String arn = text(item, KEY);
        String status = text(item, BOOTSTRAP_STATUS);
        BootstrapStatus bootstrapStatus;
        try {
            bootstrapStatus = BootstrapStatus.valueOf(status);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("registry item " + arn + " has an unknown " + BOOTSTRAP_STATUS + " '" + status + "'");
        }
        AttributeValue flag = item.get(BOOTSTRAP_CREATOR_ADMIN);
        return new ClusterRecord(arn,
                text(item, CLUSTER_NAME),
                text(item, ACCOUNT_ID),
                text(item, REGION),
                text(item, CREATOR_PRINCIPAL_ARN),
                text(item, CREATOR_IDENTITY_TYPE),
                text(item, CREATOR_SESSION_NAME),
                text(item, CREATOR_NOTE),
                text(item, EVENT_ID),
                instant(item, arn, EVENT_TIME),
                text(item, SOURCE),
                text(item, AUTHENTICATION_MODE),
                flag != null && Boolean.TRUE.equals(flag.bool()),
                bootstrapStatus,
                text(item, BOOTSTRAP_REASON),
                instant(item, arn, UPDATED_AT));
    }

    private static void putText(Map<String, AttributeValue> item, String name, String value) {
        // DynamoDB refuses empty strings in some positions and null is not a value: absent means unknown.
        if (value != null && !value.isEmpty()) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String arn, String name) {
        String value = text(item, name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("registry item " + arn + " has a malformed " + name + " '" + value + "'");
        }
    }
}
