package dev.eksaccess.cli;

import dev.eksaccess.contract.Tables;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Reads the audit ledger as the grant processor writes it (docs/cli.md, "status"): audit records through the
 * {@code byRequest} index, and requests that wait for approval under the partition {@value #PENDING}. Read only: two
 * kinds of Query, nothing else (the IAM the stack's read-only policy grants).
 */
final class Ledger {

    /** The partition of requests that wait for approval; their sort key is {@code REQUEST_ID#REQUESTER_ARN}. */
    static final String PENDING = Tables.LEDGER_PENDING_PARTITION;
    /** The {@code itemType} of those items. */
    static final String PENDING_ITEM_TYPE = "pending-approval";

    /**
     * One audit record: what became of one message (a grant, revoke, bootstrap, approve, deny, ...) from one sender.
     * Any attribute may be absent (null), for example the cluster of a message that named no valid one.
     */
    record AuditRecord(String requestId, String action, String outcome, String outcomeReason, String clusterArn,
                       String principalArn, String policy, String senderId, String senderArn, String senderSession,
                       String requestedBy, String reason, String requestedAt, String ruleId, String recordedAt) {
    }

    /**
     * A request that waits for approval. Deleted once approved, denied or expired: the decision is then in the audit
     * records.
     *
     * @param required   how many different approvers must approve; null when the item does not say
     * @param approvers  who may approve
     * @param approvedBy who has approved so far
     * @param expiresAt  when it expires unless approved (fixed-width UTC, as stored)
     */
    record PendingApproval(String requestId, String requesterArn, String requesterSession, String clusterArn,
                           String principalArn, String policy, String ruleId, List<String> approvers,
                           Integer required, List<String> approvedBy, String expiresAt, String createdAt,
                           String requestedBy, String reason) {

        /** When it expires; empty when the item has no readable expiry. */
        Optional<Instant> expiry() {
            try {
                return Optional.ofNullable(expiresAt).map(Instant::parse);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }

        /** Whether its expiry has passed at {@code now} (it stays until the expiry sweep rejects it). */
        boolean expiredAt(Instant now) {
            return expiry().map(now::isAfter).orElse(false);
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;

    Ledger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Every audit record with {@code requestId}, from any sender, oldest first. */
    List<AuditRecord> records(String requestId) {
        return query(QueryRequest.builder().tableName(table).indexName(Tables.LEDGER_BY_REQUEST_INDEX)
                .keyConditionExpression("#id = :id")
                .expressionAttributeNames(Map.of("#id", Tables.LEDGER_BY_REQUEST_PARTITION_KEY))
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(requestId)))
                .build())
                .stream().map(Ledger::auditRecord).toList();
    }

    /** The requests with {@code requestId} that wait for approval: one per sender that used the id. */
    List<PendingApproval> pending(String requestId) {
        return pending(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pending AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY,
                        "#sk", Tables.LEDGER_SORT_KEY))
                .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(PENDING),
                        // Request ids never hold '#', so the prefix matches this id and no longer one.
                        ":prefix", AttributeValue.fromS(requestId + "#")))
                .build());
    }

    /** Every request that waits for approval. */
    List<PendingApproval> pending() {
        return pending(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pending")
                .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY))
                .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(PENDING)))
                .build());
    }

    private List<PendingApproval> pending(QueryRequest query) {
        return query(query).stream()
                .filter(item -> !item.containsKey("itemType") || PENDING_ITEM_TYPE.equals(string(item, "itemType")))
                .map(Ledger::pendingApproval).toList();
    }

    /** Every page of the query's items. */
    private List<Map<String, AttributeValue>> query(QueryRequest query) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(query).items().forEach(items::add);
        return items;
    }

    static AuditRecord auditRecord(Map<String, AttributeValue> item) {
        return new AuditRecord(string(item, "requestId"), string(item, "action"), string(item, "outcome"),
                string(item, "outcomeReason"), string(item, "clusterArn"), string(item, "principalArn"),
                string(item, "policy"), string(item, "senderId"), string(item, "senderArn"),
                string(item, "senderSession"), string(item, "requestedBy"), string(item, "reason"),
                string(item, "requestedAt"), string(item, "ruleId"), string(item, "recordedAt"));
    }

    static PendingApproval pendingApproval(Map<String, AttributeValue> item) {
        String requestId = string(item, "pendingRequestId");
        String requester = string(item, "requesterArn");
        String sk = string(item, Tables.LEDGER_SORT_KEY);
        if ((requestId == null || requester == null) && sk != null && sk.indexOf('#') > 0) {
            // The sort key holds both, should an attribute be missing.
            requestId = requestId != null ? requestId : sk.substring(0, sk.indexOf('#'));
            requester = requester != null ? requester : sk.substring(sk.indexOf('#') + 1);
        }
        return new PendingApproval(requestId, requester, string(item, "requesterSession"),
                string(item, "clusterArn"), string(item, "principalArn"), string(item, "policy"),
                string(item, "ruleId"), strings(item, "approvers"), number(item, "required"),
                strings(item, "approvedBy"), string(item, "expiresAt"), string(item, "createdAt"),
                string(item, "requestedBy"), string(item, "reason"));
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Integer number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.n());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A list of strings (L of S) or a string set (SS); empty when absent. */
    private static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null) {
            return List.of();
        }
        if (value.hasSs()) {
            return List.copyOf(value.ss());
        }
        if (value.hasL()) {
            return value.l().stream().map(AttributeValue::s).filter(s -> s != null).toList();
        }
        return List.of();
    }
}
