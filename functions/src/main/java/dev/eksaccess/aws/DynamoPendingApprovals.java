package dev.eksaccess.aws;

import static dev.eksaccess.aws.LedgerItems.*;

import dev.eksaccess.authz.PendingApproval;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.PendingApprovals;
import dev.eksaccess.delivery.PendingGrant;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Grants that wait for approval, in the ledger table under one partition: {@code pk = PENDING},
 * {@code sk = requestId#requesterArn}, so that "what waits" is one Query (the CLI's {@code pending}, the sweep's
 * expiries) and "which requests have this id" a Query with {@code begins_with}. Items carry {@code pendingRequestId},
 * never {@code requestId}, {@code recordedAt} or {@code expiryBucket}, so they stay out of every index. Updates are
 * conditional on {@code version}; a decided grant is deleted (its decision is in the audit records).
 */
public final class DynamoPendingApprovals implements PendingApprovals {

    /** The one partition of pending grants; IAM conditions name it ({@code dynamodb:LeadingKeys}). */
    public static final String PARTITION = Tables.LEDGER_PENDING_PARTITION;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPendingApprovals(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<PendingGrant> find(String requestId) {
        return query("#pk = :pk AND begins_with(#sk, :prefix)", Map.of(":pk", s(PARTITION),
                ":prefix", s(requestId + "#")), null, Integer.MAX_VALUE).stream()
                .filter(p -> p.requestId().equals(requestId)).toList();
    }

    @Override
    public boolean create(PendingGrant pending) {
        return conditionalPut(pending, "attribute_not_exists(#pk)", Map.of());
    }

    @Override
    public boolean update(PendingGrant pending) {
        return conditionalPut(pending, "#version = :expected",
                Map.of(":expected", AttributeValue.fromN(Long.toString(pending.version() - 1))));
    }

    @Override
    public boolean delete(PendingGrant pending) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(pending))
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY)));
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        }
    }

    @Override
    public List<PendingGrant> findExpired(Instant now, int limit) {
        return query("#pk = :pk", Map.of(":pk", s(PARTITION)), Map.entry(":now", s(timestamp(now))), limit);
    }

    private List<PendingGrant> query(String keyCondition, Map<String, AttributeValue> values,
                                     Map.Entry<String, AttributeValue> expiredBefore, int limit) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", Tables.LEDGER_PARTITION_KEY));
        if (keyCondition.contains("#sk")) {
            names.put("#sk", Tables.LEDGER_SORT_KEY);
        }
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        String filter = null;
        if (expiredBefore != null) {
            allValues.put(expiredBefore.getKey(), expiredBefore.getValue());
            filter = "expiresAt <= " + expiredBefore.getKey();
        }
        List<PendingGrant> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression(keyCondition).expressionAttributeNames(names)
                    .expressionAttributeValues(allValues).exclusiveStartKey(start);
            if (filter != null) {
                request.filterExpression(filter);
            }
            QueryResponse page = dynamo.query(request.build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (found.size() < limit) {
                    found.add(fromItem(item));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && found.size() < limit);
        return found;
    }

    private boolean conditionalPut(PendingGrant pending, String condition, Map<String, AttributeValue> values) {
        // DynamoDB refuses names the expressions do not use: the update's condition names only #version.
        Map<String, String> names = new HashMap<>();
        if (condition.contains("#pk")) {
            names.put("#pk", Tables.LEDGER_PARTITION_KEY);
        }
        if (condition.contains("#version")) {
            names.put("#version", "version");
        }
        try {
            dynamo.putItem(r -> r.tableName(table).item(toItem(pending)).conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values.isEmpty() ? null : values));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(PendingGrant pending) {
        return Map.of(Tables.LEDGER_PARTITION_KEY, s(PARTITION),
                Tables.LEDGER_SORT_KEY, s(pending.requestId() + "#" + pending.requesterArn()));
    }

    static Map<String, AttributeValue> toItem(PendingGrant pending) {
        PendingApproval approval = pending.approval();
        AccessRequest request = pending.request();
        Map<String, AttributeValue> item = new HashMap<>(key(pending));
        item.put("itemType", s("pending-approval"));
        item.put("pendingRequestId", s(approval.requestId()));
        item.put("requesterArn", s(approval.requesterArn()));
        putIfNotNull(item, "requesterSession", pending.requesterSession().orElse(null));
        putIfNotNull(item, "senderId", pending.senderId());
        item.put("ruleId", s(approval.ruleId()));
        item.put("approvers", strings(pending.approvers()));
        item.put("required", AttributeValue.fromN(Integer.toString(approval.required())));
        item.put("approvedBy", strings(approval.approvedBy()));
        item.put("expiresAt", s(timestamp(approval.expiresAt())));
        item.put("createdAt", s(timestamp(pending.createdAt())));
        item.put("version", AttributeValue.fromN(Long.toString(pending.version())));
        // The grant itself, field by field: applied as it was validated when held.
        item.put("action", s(request.action().wireName()));
        item.put("clusterArn", s(request.cluster().arn()));
        item.put("principalArn", s(request.principalArn()));
        item.put("policy", s(request.policyName()));
        item.put("scopeType", s(request.scope().type().wireName()));
        item.put("namespaces", strings(request.scope().namespaces()));
        if (request.kubernetesGroups() != null) {
            item.put("kubernetesGroups", strings(request.kubernetesGroups()));
        }
        putIfNotNull(item, "username", request.username());
        putIfNotNull(item, "grantExpiresAt", request.expiresAt() == null ? null : request.expiresAt().toString());
        item.put("requestedAt", s(request.requestedAt().toString()));
        putIfNotNull(item, "requestedBy", request.requestedBy());
        putIfNotNull(item, "reason", request.reason());
        return item;
    }

    static PendingGrant fromItem(Map<String, AttributeValue> item) {
        ClusterRef cluster = ClusterRef.parseArn(string(item, "clusterArn")).orElseThrow(
                () -> new IllegalStateException("pending grant " + string(item, Tables.LEDGER_SORT_KEY)
                        + " has no valid clusterArn"));
        AccessScope scope = AccessScope.Type.CLUSTER.wireName().equals(string(item, "scopeType"))
                ? AccessScope.cluster() : AccessScope.namespaces(list(item, "namespaces"));
        String grantExpiresAt = string(item, "grantExpiresAt");
        String requestId = string(item, "pendingRequestId");
        // Held before recovers existed: a grant.
        Action action = Action.fromWire(string(item, "action")).orElse(Action.GRANT);
        AccessRequest request = new AccessRequest(action, cluster, string(item, "principalArn"),
                string(item, "policy"), scope, item.containsKey("kubernetesGroups") ? list(item, "kubernetesGroups")
                : null, string(item, "username"), grantExpiresAt == null ? null : Instant.parse(grantExpiresAt),
                requestId, Instant.parse(string(item, "requestedAt")), string(item, "requestedBy"),
                string(item, "reason"));
        PendingApproval approval = new PendingApproval(requestId, string(item, "ruleId"),
                string(item, "requesterArn"), request.principalArn(), Integer.parseInt(item.get("required").n()),
                list(item, "approvedBy"), instant(item, "expiresAt"));
        return new PendingGrant(approval, request, list(item, "approvers"),
                Optional.ofNullable(string(item, "requesterSession")), string(item, "senderId"),
                instant(item, "createdAt"), Long.parseLong(item.get("version").n()));
    }

    private static AttributeValue strings(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    private static List<String> list(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasL() ? List.of() : value.l().stream().map(AttributeValue::s).toList();
    }
}
