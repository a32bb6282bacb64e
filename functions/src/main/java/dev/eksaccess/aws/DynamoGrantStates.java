package dev.eksaccess.aws;

import static dev.eksaccess.aws.LedgerItems.*;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.reconcile.ClusterGrants;
import dev.eksaccess.reconcile.ExpiryRequeue;
import dev.eksaccess.eks.AccessScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Per-grant state in the ledger table: {@code pk = GRANT#arn}, {@code sk = GRANT#principal#policy}, a partition of
 * mutable items ({@link Tables#LEDGER_MUTABLE_PARTITIONS}), apart from the cluster's audit records. A pending
 * time-bound grant also carries {@code expiryBucket} and {@code expiresAt}, which puts it in the sparse
 * {@code byExpiry} index the sweep queries; queuing its revocation removes {@code expiryBucket} again.
 */
public final class DynamoGrantStates implements GrantStateStore, ClusterGrants, ExpiryRequeue {

    static final String GRANT_PREFIX = "GRANT#";
    /**
     * The one expiry bucket. Time-bound grants number in the thousands at most, so a single index partition is
     * enough, and one query finds every overdue grant however long the sweep was down.
     */
    static final String EXPIRY_BUCKET = "expiring";
    /**
     * The bucket of grants kept overdue: their expiry revoke was refused by a safety rule. In the same sparse index,
     * so the sweep finds them with one query; never queried as due, so they are not revoked again and again.
     */
    static final String OVERDUE_BUCKET = "overdue";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoGrantStates(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<GrantState> find(String clusterArn, String principalArn, String policyArn) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(clusterArn, principalArn, policyArn))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public List<GrantState> findByPrincipal(String clusterArn, String principalArn) {
        return queryPartition(clusterArn, GRANT_PREFIX + principalArn + "#");
    }

    @Override
    public List<GrantState> ofCluster(String clusterArn) {
        return queryPartition(clusterArn, GRANT_PREFIX);
    }

    /** The cluster's grant states whose sort key starts with {@code prefix}, by consistent, paginated queries. */
    private List<GrantState> queryPartition(String clusterArn, String prefix) {
        List<GrantState> states = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY,
                            "#sk", Tables.LEDGER_SORT_KEY))
                    .expressionAttributeValues(Map.of(":pk", s(partition(clusterArn)),
                            ":prefix", s(prefix)))
                    .exclusiveStartKey(exclusiveStart));
            page.items().forEach(item -> states.add(fromItem(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return states;
    }

    @Override
    public boolean save(GrantState state) {
        Map<String, AttributeValue> item = item(state);
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR lastRequestedAt <= :t")
                    .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY))
                    .expressionAttributeValues(Map.of(":t", s(timestamp(state.lastRequestedAt())))));
            return true;
        } catch (ConditionalCheckFailedException newerApplied) {
            return false;
        }
    }

    /**
     * Rewritten whole with a conditional put (the processor's role puts grant items already; it needs no update
     * permission for this), only while the item is still the granted state {@code state} describes.
     */
    @Override
    public boolean markOverdue(GrantState state, String reason, Instant at) {
        if (!state.granted() || state.expiresAt() == null) {
            return false;
        }
        Map<String, AttributeValue> item = item(state);
        item.put(Tables.LEDGER_BY_EXPIRY_PARTITION_KEY, s(OVERDUE_BUCKET));
        item.put("overdueSince", s(timestamp(at)));
        item.put("overdueReason", s(reason.length() <= 2000 ? reason : reason.substring(0, 2000)));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("lastRequestId = :id AND granted = :granted")
                    .expressionAttributeValues(Map.of(":id", s(state.lastRequestId()),
                            ":granted", AttributeValue.fromBool(true))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    @Override
    public List<GrantState> findOverdue(int limit) {
        return queryBucket(OVERDUE_BUCKET, null, limit);
    }

    private static Map<String, AttributeValue> item(GrantState state) {
        Map<String, AttributeValue> item = new HashMap<>(key(state.clusterArn(), state.principalArn(),
                state.policyArn()));
        item.put("itemType", s("grant"));
        item.put("clusterArn", s(state.clusterArn()));
        item.put("grantPrincipal", s(state.principalArn()));
        item.put("policyArn", s(state.policyArn()));
        item.put("granted", AttributeValue.fromBool(state.granted()));
        item.put("lastRequestedAt", s(timestamp(state.lastRequestedAt())));
        item.put("lastRequestId", s(state.lastRequestId()));
        if (state.granted() && state.expiresAt() != null) {
            item.put(Tables.LEDGER_BY_EXPIRY_SORT_KEY, s(timestamp(state.expiresAt())));
            item.put(Tables.LEDGER_BY_EXPIRY_PARTITION_KEY, s(EXPIRY_BUCKET));
        }
        if (state.desired() != null) {
            GrantState.Desired desired = state.desired();
            item.put("scopeType", s(desired.scope().type().wireName()));
            if (desired.scope().type() == AccessScope.Type.NAMESPACE) {
                item.put("scopeNamespaces", strings(desired.scope().namespaces()));
            }
            if (desired.kubernetesGroups() != null) {
                item.put("kubernetesGroups", strings(desired.kubernetesGroups()));
            }
            putIfNotNull(item, "username", desired.username());
            item.put("ruleId", s(desired.ruleId()));
            item.put("entryOwned", AttributeValue.fromBool(desired.entryOwned()));
        }
        return item;
    }

    @Override
    public List<GrantState> findExpired(Instant now, int limit) {
        return queryBucket(EXPIRY_BUCKET, now, limit);
    }

    /** The grants of one expiry bucket, oldest expiry first; those expired at or before {@code now} when not null. */
    private List<GrantState> queryBucket(String bucket, Instant now, int limit) {
        List<GrantState> expired = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        Map<String, AttributeValue> values = now == null ? Map.of(":bucket", s(bucket))
                : Map.of(":bucket", s(bucket), ":now", s(timestamp(now)));
        Map<String, String> names = now == null ? Map.of("#bucket", Tables.LEDGER_BY_EXPIRY_PARTITION_KEY)
                : Map.of("#bucket", Tables.LEDGER_BY_EXPIRY_PARTITION_KEY, "#expires", Tables.LEDGER_BY_EXPIRY_SORT_KEY);
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).indexName(Tables.LEDGER_BY_EXPIRY_INDEX)
                    .keyConditionExpression(now == null ? "#bucket = :bucket" : "#bucket = :bucket AND #expires <= :now")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .limit(limit - expired.size())
                    .exclusiveStartKey(exclusiveStart));
            page.items().forEach(item -> expired.add(fromItem(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && expired.size() < limit);
        return expired;
    }

    @Override
    public boolean markRevocationQueued(GrantState state) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(key(state.clusterArn(), state.principalArn(), state.policyArn()))
                    .updateExpression("REMOVE #bucket SET revocationQueuedAt = :now")
                    .conditionExpression("lastRequestId = :id AND #expires = :expires")
                    .expressionAttributeNames(Map.of("#bucket", Tables.LEDGER_BY_EXPIRY_PARTITION_KEY,
                            "#expires", Tables.LEDGER_BY_EXPIRY_SORT_KEY))
                    .expressionAttributeValues(Map.of(":id", s(state.lastRequestId()),
                            ":expires", s(timestamp(state.expiresAt())), ":now", s(timestamp(Instant.now())))));
            return true;
        } catch (ConditionalCheckFailedException rescheduled) {
            return false;
        }
    }

    /**
     * Puts the grant back in the sweep's bucket (and forgets that its revoke was queued) while it is still the granted,
     * time-bound state the reconciler read and not kept overdue.
     */
    @Override
    public boolean requeue(GrantState state) {
        if (!state.granted() || state.expiresAt() == null) {
            return false;
        }
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(key(state.clusterArn(), state.principalArn(), state.policyArn()))
                    .updateExpression("SET #bucket = :expiring REMOVE revocationQueuedAt")
                    .conditionExpression("lastRequestId = :id AND granted = :granted AND #expires = :expires"
                            + " AND (attribute_not_exists(#bucket) OR #bucket = :expiring)")
                    .expressionAttributeNames(Map.of("#bucket", Tables.LEDGER_BY_EXPIRY_PARTITION_KEY,
                            "#expires", Tables.LEDGER_BY_EXPIRY_SORT_KEY))
                    .expressionAttributeValues(Map.of(":id", s(state.lastRequestId()),
                            ":granted", AttributeValue.fromBool(true), ":expires", s(timestamp(state.expiresAt())),
                            ":expiring", s(EXPIRY_BUCKET))));
            return true;
        } catch (ConditionalCheckFailedException changedOrOverdue) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String clusterArn, String principalArn, String policyArn) {
        return Map.of(Tables.LEDGER_PARTITION_KEY, s(partition(clusterArn)),
                Tables.LEDGER_SORT_KEY, s(GRANT_PREFIX + principalArn + "#" + policyArn));
    }

    /** The partition of a cluster's grant states: never its audit records' ({@link LedgerItems#clusterKey}). */
    static String partition(String clusterArn) {
        return Tables.LEDGER_GRANT_PARTITION_PREFIX + clusterArn;
    }

    private static GrantState fromItem(Map<String, AttributeValue> item) {
        AttributeValue granted = item.get("granted");
        return new GrantState(string(item, "clusterArn"), string(item, "grantPrincipal"), string(item, "policyArn"),
                granted != null && Boolean.TRUE.equals(granted.bool()), instant(item, "lastRequestedAt"),
                string(item, "lastRequestId"), instant(item, Tables.LEDGER_BY_EXPIRY_SORT_KEY), desired(item));
    }

    /** What the grant set, when the item keeps it (items written before it was kept do not). */
    private static GrantState.Desired desired(Map<String, AttributeValue> item) {
        String scopeType = string(item, "scopeType");
        if (scopeType == null || string(item, "ruleId") == null) {
            return null;
        }
        AccessScope scope = AccessScope.Type.CLUSTER.wireName().equals(scopeType) ? AccessScope.cluster()
                : AccessScope.namespaces(strings(item, "scopeNamespaces"));
        AttributeValue owned = item.get("entryOwned");
        return new GrantState.Desired(scope, item.containsKey("kubernetesGroups") ? strings(item, "kubernetesGroups")
                : null, string(item, "username"), string(item, "ruleId"),
                owned != null && Boolean.TRUE.equals(owned.bool()));
    }

    private static AttributeValue strings(List<String> values) {
        return AttributeValue.fromL(values.stream().map(LedgerItems::s).toList());
    }

    private static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasL() ? List.of() : value.l().stream().map(AttributeValue::s).toList();
    }
}
