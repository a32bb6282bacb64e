package dev.eksaccess.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Counts a client's requests by operation, once per call (not per retry), and estimates the DynamoDB on-demand request
 * units they cost: a write of an item up to 1 KB is 1 WRU (2 in a transaction), a strongly consistent read of up to
 * 4 KB 1 RRU, an eventually consistent one 0.5 (2 in a transaction). Items here are small (records of a request);
 * a ledger record with before/after states over 1 KB would cost 2 WRU, so the write units are a lower bound.
 */
final class ApiCounter implements ExecutionInterceptor {

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(operation, k -> new LongAdder()).increment();
        units(context.request(), operation);
    }

    private void units(SdkRequest request, String operation) {
        switch (request) {
            case GetItemRequest get -> readUnits.add(Boolean.TRUE.equals(get.consistentRead()) ? 1 : 0.5);
            case QueryRequest query -> readUnits.add(Boolean.TRUE.equals(query.consistentRead()) ? 1 : 0.5);
            case TransactGetItemsRequest get -> readUnits.add(2.0 * get.transactItems().size());
            case TransactWriteItemsRequest write -> writeUnits.add(2.0 * write.transactItems().size());
            case BatchWriteItemRequest batch -> batch.requestItems().values().forEach(items -> writeUnits.add(items.size()));
            default -> {
                if (operation.equals("PutItem") || operation.equals("UpdateItem") || operation.equals("DeleteItem")) {
                    writeUnits.add(1);
                }
            }
        }
    }

    Map<String, Long> calls() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((name, count) -> copy.put(name, count.sum()));
        return copy;
    }

    long total() {
        return calls().values().stream().mapToLong(Long::longValue).sum();
    }

    double readUnits() {
        return readUnits.sum();
    }

    double writeUnits() {
        return writeUnits.sum();
    }
}
