package dev.eksaccess.aws;

import static dev.eksaccess.aws.LedgerItems.instant;
import static dev.eksaccess.aws.LedgerItems.putIfNotNull;
import static dev.eksaccess.aws.LedgerItems.s;
import static dev.eksaccess.aws.LedgerItems.string;
import static dev.eksaccess.aws.LedgerItems.timestamp;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.inventory.ClusterInventory;
import dev.eksaccess.inventory.Flag;
import dev.eksaccess.inventory.InventoryEntry;
import dev.eksaccess.inventory.InventoryStore;
import dev.eksaccess.inventory.Origin;
import dev.eksaccess.inventory.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The inventory table ({@link Tables#INVENTORY}): a snapshot's items under {@code SNAPSHOT#<id>} (one per cluster,
 * sort key {@code C#<cluster ARN>}, one per entry, {@code E#<cluster ARN>#<principal ARN>}), written whole before the
 * pointer item names the snapshot; a reader follows the pointer. The pointer is only moved forward: a run that
 * finishes after a newer one leaves the newer one current.
 */
public final class DynamoInventory implements InventoryStore {

    /** How long a snapshot stays after it was taken (TTL); the pointer's is always there while runs go on. */
    static final Duration KEPT = Duration.ofDays(30);
    private static final String CLUSTER = "C#";
    private static final String ENTRY = "E#";
    private static final int BATCH = 25;
    private static final int BATCH_ATTEMPTS = 8;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoInventory(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void publish(Snapshot snapshot) {
        String partition = Tables.INVENTORY_SNAPSHOT_PREFIX + snapshot.snapshotId();
        AttributeValue expireAt = AttributeValue.fromN(Long.toString(
                snapshot.takenAt().plus(KEPT).getEpochSecond()));
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (ClusterInventory cluster : snapshot.clusters()) {
            Map<String, AttributeValue> item = key(partition, CLUSTER + cluster.clusterArn());
            item.put("clusterArn", s(cluster.clusterArn()));
            putIfNotNull(item, "authenticationMode", cluster.authenticationMode());
            putIfNotNull(item, "failure", cluster.failure());
            item.put("flags", flags(cluster.flags()));
            item.put(Tables.INVENTORY_TTL_ATTRIBUTE, expireAt);
            items.add(item);
            for (InventoryEntry entry : cluster.entries()) {
                items.add(entryItem(partition, entry, expireAt));
            }
        }
        for (int from = 0; from < items.size(); from += BATCH) {
            write(items.subList(from, Math.min(items.size(), from + BATCH)));
        }
        Map<String, AttributeValue> pointer = key(Tables.INVENTORY_CURRENT, Tables.INVENTORY_CURRENT);
        pointer.put("snapshotId", s(snapshot.snapshotId()));
        pointer.put("takenAt", s(timestamp(snapshot.takenAt())));
        pointer.put("clusters", AttributeValue.fromN(Integer.toString(snapshot.clusters().size())));
        try {
            dynamo.putItem(r -> r.tableName(table).item(pointer)
                    .conditionExpression("attribute_not_exists(takenAt) OR takenAt <= :t")
                    .expressionAttributeValues(Map.of(":t", s(timestamp(snapshot.takenAt())))));
        } catch (ConditionalCheckFailedException newerPublished) {
            // A run that started later finished first: its snapshot stays the current one.
        }
    }

    private static Map<String, AttributeValue> entryItem(String partition, InventoryEntry entry,
                                                         AttributeValue expireAt) {
        Map<String, AttributeValue> item = key(partition,
                ENTRY + entry.clusterArn() + "#" + entry.principalArn());
        item.put("clusterArn", s(entry.clusterArn()));
        item.put("principalArn", s(entry.principalArn()));
        item.put("type", s(entry.type()));
        item.put("kubernetesGroups", AttributeValue.fromL(entry.kubernetesGroups().stream().map(LedgerItems::s)
                .toList()));
        putIfNotNull(item, "username", entry.username());
        item.put("policies", AttributeValue.fromL(entry.policies().stream().map(policy -> AttributeValue.fromM(Map.of(
                "policyArn", s(policy.policyArn()),
                "scope", s(policy.scope().type().wireName()),
                "namespaces", AttributeValue.fromL(policy.scope().namespaces().stream().map(LedgerItems::s)
                        .toList())))).toList()));
        item.put("origin", s(entry.origin().name()));
        putIfNotNull(item, "requestId", entry.requestId());
        putIfNotNull(item, "expiresAt", entry.expiresAt() == null ? null : timestamp(entry.expiresAt()));
        item.put("flags", flags(entry.flags()));
        item.put(Tables.INVENTORY_TTL_ATTRIBUTE, expireAt);
        return item;
    }

    /** One BatchWriteItem, and again with what DynamoDB left unprocessed (throttling), backing off. */
    private void write(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> requests = items.stream()
                .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                .toList();
        for (int attempt = 0; !requests.isEmpty(); attempt++) {
            if (attempt == BATCH_ATTEMPTS) {
                throw new IllegalStateException(requests.size() + " inventory item(s) still unprocessed after "
                        + BATCH_ATTEMPTS + " BatchWriteItem attempts; the snapshot was not published");
            }
            if (attempt > 0) {
                sleep(50L << attempt);
            }
            List<WriteRequest> batch = requests;
            BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, batch)));
            requests = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of())
                    : List.of();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the inventory", e);
        }
    }

    /**
     * @throws IllegalStateException when the pointer names a snapshot whose items are gone (TTL: no run for
     *                               {@link #KEPT})
     */
    @Override
    public Optional<Snapshot> current() {
        Map<String, AttributeValue> pointer = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(Tables.INVENTORY_CURRENT, Tables.INVENTORY_CURRENT))).item();
        if (pointer == null || pointer.isEmpty()) {
            return Optional.empty();
        }
        String snapshotId = string(pointer, "snapshotId");
        Map<String, ClusterInventory> clusters = new LinkedHashMap<>();
        Map<String, List<InventoryEntry>> entries = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", Tables.INVENTORY_PARTITION_KEY))
                    .expressionAttributeValues(Map.of(":pk", s(Tables.INVENTORY_SNAPSHOT_PREFIX + snapshotId)))
                    .exclusiveStartKey(exclusiveStart));
            for (Map<String, AttributeValue> item : page.items()) {
                String clusterArn = string(item, "clusterArn");
                if (string(item, Tables.INVENTORY_SORT_KEY).startsWith(CLUSTER)) {
                    clusters.put(clusterArn, new ClusterInventory(clusterArn, string(item, "authenticationMode"),
                            string(item, "failure"), flags(item), List.of()));
                } else {
                    entries.computeIfAbsent(clusterArn, c -> new ArrayList<>()).add(entry(item));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        int expected = Integer.parseInt(pointer.get("clusters").n());
        if (clusters.size() != expected) {
            throw new IllegalStateException("the current inventory snapshot " + snapshotId + " (taken "
                    + string(pointer, "takenAt") + ") should hold " + expected + " cluster(s) and holds "
                    + clusters.size() + ": its items expired (kept " + KEPT.toDays() + " days) because no "
                    + "reconciliation has run since; run the reconciler");
        }
        List<ClusterInventory> whole = clusters.values().stream().map(c -> new ClusterInventory(c.clusterArn(),
                c.authenticationMode(), c.failure(), c.flags(), entries.getOrDefault(c.clusterArn(), List.of())))
                .toList();
        return Optional.of(new Snapshot(snapshotId, instant(pointer, "takenAt"), whole));
    }

    private static InventoryEntry entry(Map<String, AttributeValue> item) {
        List<AssociatedPolicy> policies = item.get("policies").l().stream().map(AttributeValue::m)
                .map(policy -> new AssociatedPolicy(policy.get("policyArn").s(),
                        "cluster".equals(policy.get("scope").s()) ? AccessScope.cluster()
                                : AccessScope.namespaces(strings(policy.get("namespaces")))))
                .toList();
        return new InventoryEntry(string(item, "clusterArn"), string(item, "principalArn"), string(item, "type"),
                strings(item.get("kubernetesGroups")), string(item, "username"), policies,
                Origin.valueOf(string(item, "origin")), string(item, "requestId"), instant(item, "expiresAt"),
                flags(item));
    }

    private static List<String> strings(AttributeValue list) {
        return list == null ? List.of() : list.l().stream().map(AttributeValue::s).toList();
    }

    private static AttributeValue flags(Set<Flag> flags) {
        return AttributeValue.fromL(flags.stream().sorted().map(flag -> s(flag.name())).toList());
    }

    private static Set<Flag> flags(Map<String, AttributeValue> item) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        strings(item.get("flags")).forEach(flag -> flags.add(Flag.valueOf(flag)));
        return flags;
    }

    private static Map<String, AttributeValue> key(String partition, String sort) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(Tables.INVENTORY_PARTITION_KEY, s(partition));
        key.put(Tables.INVENTORY_SORT_KEY, s(sort));
        return key;
    }
}
