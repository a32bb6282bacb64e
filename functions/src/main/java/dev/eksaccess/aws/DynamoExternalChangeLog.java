package dev.eksaccess.aws;

import static dev.eksaccess.aws.LedgerItems.*;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.creation.Creator;
import dev.eksaccess.drift.AccessChange;
import dev.eksaccess.drift.ChangeClass;
import dev.eksaccess.drift.ExternalChange;
import dev.eksaccess.drift.ExternalChangeLog;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * External changes in the ledger, next to the audit records of the cluster they changed: one item per CloudTrail
 * event, {@code pk = CLUSTER#<cluster ARN>}, {@code sk = EXTERNAL#<event id>} ({@link
 * Tables#LEDGER_EXTERNAL_CHANGE_PREFIX}), put once with {@code attribute_not_exists} like every audit record
 * ({@link DynamoLedger}): a redelivered event finds its item there and writes nothing. The item carries the
 * principal and {@code recordedAt}, so the {@code byPrincipal} index answers "what happened to this principal" with
 * the changes others made too; it has no {@code requestId}, so it never appears among a request's records.
 */
public final class DynamoExternalChangeLog implements ExternalChangeLog {

    /** The items' {@code itemType}. */
    static final String ITEM_TYPE = "external-change";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoExternalChangeLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean recordOnce(ExternalChange change) {
        return putNew(dynamo, table, toItem(change));
    }

    /** The external changes recorded for a cluster, in event id order (one consistent Query of its partition). */
    public List<ExternalChange> find(String clusterArn) {
        QueryRequest query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :external)")
                .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY, "#sk", Tables.LEDGER_SORT_KEY))
                .expressionAttributeValues(Map.of(":pk", s(clusterKey(clusterArn)),
                        ":external", s(Tables.LEDGER_EXTERNAL_CHANGE_PREFIX))).build();
        List<ExternalChange> found = new ArrayList<>();
        dynamo.queryPaginator(query).items().forEach(item -> found.add(fromItem(item)));
        return found;
    }

    static String sortKey(String eventId) {
        return Tables.LEDGER_EXTERNAL_CHANGE_PREFIX + eventId;
    }

    static Map<String, AttributeValue> toItem(ExternalChange recorded) {
        AccessChange change = recorded.change();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Tables.LEDGER_PARTITION_KEY, s(clusterKey(change.cluster().arn())));
        item.put(Tables.LEDGER_SORT_KEY, s(sortKey(change.eventId())));
        item.put("itemType", s(ITEM_TYPE));
        item.put("eventId", s(change.eventId()));
        item.put("eventTime", s(timestamp(change.eventTime())));
        item.put("eventName", s(change.kind().eventName()));
        item.put("clusterArn", s(change.cluster().arn()));
        putIfNotNull(item, Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY, change.principalArn());
        putIfNotNull(item, "policyArn", change.policyArn());
        if (change.scope() != null) {
            item.put("scopeType", s(change.scope().type().wireName()));
            if (!change.scope().namespaces().isEmpty()) {
                item.put("namespaces", AttributeValue.fromL(change.scope().namespaces().stream().map(LedgerItems::s)
                        .toList()));
            }
        }
        if (!change.kubernetesGroups().isEmpty()) {
            item.put("kubernetesGroups", AttributeValue.fromL(change.kubernetesGroups().stream().map(LedgerItems::s)
                    .toList()));
        }
        putIfNotNull(item, "authenticationMode", change.authenticationMode());
        Creator actor = change.actor();
        putIfNotNull(item, "actorType", actor.identityType());
        putIfNotNull(item, "actorArn", actor.principalArn());
        putIfNotNull(item, "actorSession", actor.sessionName());
        putIfNotNull(item, "actorInvokedBy", actor.invokedBy());
        item.put("summary", s(change.summary()));
        item.put("severity", s(recorded.judged().severity().name()));
        item.put("severityReason", s(recorded.judged().reason()));
        item.put(Tables.LEDGER_BY_PRINCIPAL_SORT_KEY, s(timestamp(recorded.recordedAt())));
        return item;
    }

    static ExternalChange fromItem(Map<String, AttributeValue> item) {
        ClusterRef cluster = ClusterRef.parseArn(string(item, "clusterArn")).orElseThrow(() -> new IllegalStateException(
                "ledger item " + string(item, Tables.LEDGER_SORT_KEY) + " has no valid clusterArn"));
        String eventName = string(item, "eventName");
        AccessChange.Kind kind = Arrays.stream(AccessChange.Kind.values())
                .filter(k -> k.eventName().equals(eventName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("ledger item " + string(item, Tables.LEDGER_SORT_KEY)
                        + " has an unknown eventName: " + eventName));
        String scopeType = string(item, "scopeType");
        AccessScope scope = scopeType == null ? null : AccessScope.Type.CLUSTER.wireName().equals(scopeType)
                ? AccessScope.cluster() : AccessScope.namespaces(strings(item, "namespaces"));
        // Only what the record keeps of the actor: whether it could hold an entry is not the ledger's business.
        Creator actor = new Creator(string(item, "actorType"), string(item, "actorArn"), string(item, "actorSession"),
                string(item, "actorInvokedBy"), true, null);
        AccessChange change = new AccessChange(string(item, "eventId"), instant(item, "eventTime"), cluster, kind,
                string(item, Tables.LEDGER_BY_PRINCIPAL_PARTITION_KEY), string(item, "policyArn"), scope,
                strings(item, "kubernetesGroups"), string(item, "authenticationMode"), actor);
        return new ExternalChange(change, new ChangeClass(ChangeClass.Severity.valueOf(string(item, "severity")),
                string(item, "severityReason")), instant(item, Tables.LEDGER_BY_PRINCIPAL_SORT_KEY));
    }

    private static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasL() ? List.of() : value.l().stream().map(AttributeValue::s).toList();
    }
}
