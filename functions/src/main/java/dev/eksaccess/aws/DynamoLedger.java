package dev.eksaccess.aws;

import static dev.eksaccess.aws.LedgerItems.*;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.AuditLedger;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The audit ledger in DynamoDB. One item per cluster, sender and request ({@code pk = CLUSTER#arn},
 * {@code sk = REQUEST#senderKey#requestId}, the sender key being the sender's ARN or {@code unknown-sender}),
 * written conditionally so that it doubles as the duplicate marker; the {@code byPrincipal} index
 * ({@code principalArn}, {@code recordedAt}) answers "what happened to this principal", and the {@code byRequest} index
 * ({@code requestId}, {@code recordedAt}) "what happened to this request". Redeliveries get items of their own
 * ({@code sk = REQUEST#senderKey#id#DUPLICATE#time#n}). '#' is in neither ARNs nor request ids, so keys cannot
 * collide.
 */
public final class DynamoLedger implements AuditLedger {

    static final String REQUEST_PREFIX = "REQUEST#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<AuditRecord> find(String clusterArn, String senderKey, String requestId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(Tables.LEDGER_PARTITION_KEY, s(clusterKey(clusterArn)),
                        Tables.LEDGER_SORT_KEY, s(sortKey(senderKey, requestId))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean record(AuditRecord record) {
        try {
            dynamo.putItem(r -> r.tableName(table)
                    .item(toItem(record, sortKey(record.senderKey(), record.requestId())))
                    .conditionExpression("attribute_not_exists(#pk) OR #outcome IN (:transient, :pending)")
                    .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY, "#outcome", "outcome"))
                    .expressionAttributeValues(Map.of(":transient", s(Outcome.FAILED_TRANSIENT.wireName()),
                            ":pending", s(Outcome.PENDING_APPROVAL.wireName()))));
            return true;
        } catch (ConditionalCheckFailedException finalRecordExists) {
            return false;
        }
    }

    @Override
    public List<AuditRecord> findByRequestId(String requestId) {
        List<AuditRecord> found = new ArrayList<>();
        QueryRequest query = QueryRequest.builder().tableName(table).indexName(Tables.LEDGER_BY_REQUEST_INDEX)
                .keyConditionExpression("#id = :id")
                .expressionAttributeNames(Map.of("#id", Tables.LEDGER_BY_REQUEST_PARTITION_KEY))
                .expressionAttributeValues(Map.of(":id", s(requestId))).build();
        for (QueryResponse page : dynamo.queryPaginator(query)) {
            page.items().stream().map(DynamoLedger::fromItem).forEach(found::add);
        }
        return found;
    }

    @Override
    public void recordDuplicate(AuditRecord record) {
        String sk = sortKey(record.senderKey(), record.requestId()) + "#DUPLICATE#" + timestamp(record.recordedAt()) + "#"
                + UUID.randomUUID().toString().substring(0, 8);
        dynamo.putItem(r -> r.tableName(table).item(toItem(record, sk)));
    }

    static String sortKey(String senderKey, String requestId) {
        return REQUEST_PREFIX + senderKey + "#" + requestId;
    }

    static Map<String, AttributeValue> toItem(AuditRecord record, String sortKey) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Tables.LEDGER_PARTITION_KEY, s(clusterKey(record.clusterArn())));
        item.put(Tables.LEDGER_SORT_KEY, s(sortKey));
        item.put("itemType", s("audit"));
        item.put("requestId", s(record.requestId()));
        putIfNotNull(item, "clusterArn", record.clusterArn());
        // Only audit items carry principalArn, so the byPrincipal index holds nothing else.
        putIfNotNull(item, Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY, record.principalArn());
        putIfNotNull(item, "action", record.action());
        putIfNotNull(item, "policy", record.policy());
        putIfNotNull(item, "senderId", record.senderId());
        putIfNotNull(item, "senderArn", record.senderArn());
        putIfNotNull(item, "senderSession", record.senderSession());
        putIfNotNull(item, "ruleId", record.ruleId());
        putIfNotNull(item, "requestedBy", record.requestedBy());
        putIfNotNull(item, "reason", record.reason());
        putIfNotNull(item, "requestedAt", record.requestedAt() == null ? null : timestamp(record.requestedAt()));
        item.put("outcome", s(record.outcome().wireName()));
        putIfNotNull(item, "outcomeReason", record.outcomeReason());
        putIfNotNull(item, "before", record.before());
        putIfNotNull(item, "after", record.after());
        item.put(Tables.LEDGER_BY_PRINCIPAL_SORT_KEY, s(timestamp(record.recordedAt())));
        return item;
    }

    static AuditRecord fromItem(Map<String, AttributeValue> item) {
        return new AuditRecord(string(item, "requestId"), string(item, "clusterArn"),
                string(item, Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY), string(item, "action"), string(item, "policy"),
                string(item, "senderId"), string(item, "requestedBy"), string(item, "reason"),
                instant(item, "requestedAt"), Outcome.fromWire(string(item, "outcome")), string(item, "outcomeReason"),
                string(item, "before"), string(item, "after"), instant(item, Tables.LEDGER_BY_PRINCIPAL_SORT_KEY),
                string(item, "senderArn"), string(item, "senderSession"), string(item, "ruleId"));
    }
}
