package dev.eksaccess.cli;

import dev.eksaccess.contract.Tables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A DynamoDB client for unit tests that answers the ledger's two Queries from items in memory, in one page: the
 * {@code byRequest} index by request id, and the {@code PENDING} partition with an optional sort key prefix. The
 * integration tests run the same queries against dynalite.
 */
final class InMemoryLedger implements DynamoDbClient {

    private final List<Map<String, AttributeValue>> items;
    final List<QueryRequest> queries = new ArrayList<>();

    InMemoryLedger(Collection<Map<String, AttributeValue>> items) {
        this.items = List.copyOf(items);
    }

    /** A connector that hands out this client (closing it does nothing). */
    DynamoDbConnector connector() {
        return (region, endpoint) -> this;
    }

    @Override
    public QueryResponse query(QueryRequest query) {
        queries.add(query);
        Map<String, AttributeValue> values = query.expressionAttributeValues();
        List<Map<String, AttributeValue>> found;
        if (Tables.LEDGER_BY_REQUEST_INDEX.equals(query.indexName())) {
            found = items.stream().filter(item -> item.containsKey("requestId") && item.containsKey("recordedAt"))
                    .filter(item -> item.get("requestId").equals(values.get(":id")))
                    .sorted(Comparator.comparing(item -> item.get("recordedAt").s()))
                    .toList();
        } else {
            String prefix = values.containsKey(":prefix") ? values.get(":prefix").s() : "";
            found = items.stream().filter(item -> item.get("pk").equals(values.get(":pending")))
                    .filter(item -> item.get("sk").s().startsWith(prefix))
                    .sorted(Comparator.comparing(item -> item.get("sk").s()))
                    .toList();
        }
        return QueryResponse.builder().items(found).count(found.size()).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
