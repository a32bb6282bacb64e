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
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The audit ledger in DynamoDB, append-only: every record is an item of its own, put once with
 * {@code attribute_not_exists}, and never updated, replaced or deleted (the stack's IAM denies the functions both).
 * A request's records are in its cluster's audit partition ({@code pk = CLUSTER#arn}, {@link
 * Tables#LEDGER_AUDIT_PARTITION_PREFIX}), keyed by sender and request id ({@code REQUEST#senderKey#requestId}, the
 * sender key being the sender's ARN or {@code unknown-sender}):
 * <ul>
 * <li>{@code REQUEST#senderKey#id}: how the request ended, or that it waits for approval. Its conditional put doubles
 * as the duplicate marker.</li>
 * <li>{@code REQUEST#senderKey#id#decided}: how a held request ended once decided, next to the record that it waited
 * (which stays as it was).</li>
 * <li>{@code REQUEST#senderKey#id#failed-transient#time#n}: each attempt that failed transiently; the request is
 * retried.</li>
 * <li>{@code REQUEST#senderKey#id#DUPLICATE#time#n}: each redelivery of a request that had ended.</li>
 * </ul>
 * The {@code byPrincipal} index ({@code principalArn}, {@code recordedAt}) answers "what happened to this principal",
 * and the {@code byRequest} index ({@code requestId}, {@code recordedAt}) "what happened to this request". '#' is in
 * neither ARNs nor request ids, so keys cannot collide.
 */
public final class DynamoLedger implements AuditLedger {

    static final String REQUEST_PREFIX = "REQUEST#";
    /** After the request's own key: its decided record. */
    static final String DECIDED_SUFFIX = "#decided";
    /** After the request's own key: one of its transiently failed attempts. */
    static final String ATTEMPT_SUFFIX = "#" + Outcome.FAILED_TRANSIENT.wireName() + "#";
    /** After the request's own key: one of its redeliveries. */
    static final String DUPLICATE_SUFFIX = "#DUPLICATE#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * The request's current record ({@link #current}), from one consistent Query of the request's keys
     * ({@code REQUEST#senderKey#id} up to {@code REQUEST#senderKey#id#~}).
     */
    @Override
    public Optional<AuditRecord> find(String clusterArn, String senderKey, String requestId) {
        String own = sortKey(senderKey, requestId);
        QueryRequest query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :own AND :last")
                .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY, "#sk", Tables.LEDGER_SORT_KEY))
                .expressionAttributeValues(Map.of(":pk", s(clusterKey(clusterArn)), ":own", s(own),
                        ":last", s(own + "#~"))).build();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(query).items().forEach(items::add);
        return current(own, items).map(DynamoLedger::fromItem);
    }

    /**
     * Which of a request's audit items is its current record: its decided record, else its own (unless a failed
     * attempt came after an own record that may be superseded), else its latest failed attempt. Items of other
     * requests (longer ids in the same key range) and duplicates' records are left out by their keys.
     *
     * @param own   the request's own sort key ({@link #sortKey})
     * @param items audit items of its partition, in key order
     */
    public static Optional<Map<String, AttributeValue>> current(String own, List<Map<String, AttributeValue>> items) {
        Map<String, AttributeValue> decided = null;
        Map<String, AttributeValue> first = null;
        Map<String, AttributeValue> attempt = null;
        for (Map<String, AttributeValue> item : items) {
            String sk = string(item, Tables.LEDGER_SORT_KEY);
            if (sk.equals(own + DECIDED_SUFFIX)) {
                decided = item;
            } else if (sk.equals(own)) {
                first = item;
            } else if (sk.startsWith(own + ATTEMPT_SUFFIX)) {
                attempt = item; // in key order, which is time order: the last one is the latest
            }
        }
        if (decided != null) {
            return Optional.of(decided);
        }
        if (first != null && attempt != null && Outcome.fromWire(string(first, "outcome")).isReplaceable()
                && string(attempt, Tables.LEDGER_BY_PRINCIPAL_SORT_KEY).compareTo(
                string(first, Tables.LEDGER_BY_PRINCIPAL_SORT_KEY)) > 0) {
            return Optional.of(attempt); // a held request whose decision failed for now: retried as it would be
        }
        return Optional.ofNullable(first != null ? first : attempt);
    }

    /**
     * The own sort key of the request an audit item belongs to: its own key without the suffix of a decided record, a
     * failed attempt or a duplicate.
     */
    public static String ownSortKey(String sortKey) {
        for (String suffix : List.of(DECIDED_SUFFIX, ATTEMPT_SUFFIX, DUPLICATE_SUFFIX)) {
            int at = sortKey.indexOf(suffix);
            if (at > 0) {
                return sortKey.substring(0, at);
            }
        }
        return sortKey;
    }

    /**
     * Puts the record as a new item, never over another: a transient failure as an attempt of its own, an outcome as
     * the request's own record, or as its decided record when the own one may be superseded (it waits for approval,
     * or is a failed attempt written before records were append-only).
     */
    @Override
    public boolean record(AuditRecord record) {
        String own = sortKey(record.senderKey(), record.requestId());
        if (record.outcome() == Outcome.FAILED_TRANSIENT) {
            if (find(record.clusterArn(), record.senderKey(), record.requestId())
                    .filter(current -> !current.outcome().isReplaceable()).isPresent()) {
                return false;
            }
            return putNew(record, own + ATTEMPT_SUFFIX + uniqueSuffix(record));
        }
        if (putNew(record, own)) {
            return true;
        }
        Optional<AuditRecord> current = find(record.clusterArn(), record.senderKey(), record.requestId());
        return current.isPresent() && current.get().outcome().isReplaceable()
                && record.outcome() != Outcome.PENDING_APPROVAL && putNew(record, own + DECIDED_SUFFIX);
    }

    /** Puts the record under {@code sortKey} unless an item is there: true when it was put. */
    private boolean putNew(AuditRecord record, String sortKey) {
        return LedgerItems.putNew(dynamo, table, toItem(record, sortKey));
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
        putNew(record, sortKey(record.senderKey(), record.requestId()) + DUPLICATE_SUFFIX + uniqueSuffix(record));
    }

    /** Time, then a random part: keys of one request's attempts or duplicates sort by time and never meet. */
    private static String uniqueSuffix(AuditRecord record) {
        return timestamp(record.recordedAt()) + "#" + UUID.randomUUID().toString().substring(0, 8);
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
