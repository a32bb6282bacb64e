package dev.eksaccess.storm;

import dev.eksaccess.contract.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit records of the storm, read back the way an operator would: one query per cluster partition
 * ({@code pk = CLUSTER#arn}, {@code begins_with(sk, "REQUEST#")}), plus the partition of messages without a valid
 * cluster. A request's own record is {@code REQUEST#id}; every redelivery that found it final left a
 * {@code REQUEST#id#DUPLICATE#...} record next to it.
 *
 * @param records every audit record found
 */
record LedgerCensus(List<Record> records) {

    /**
     * One audit record.
     *
     * @param duplicate whether it is the record of a redelivery rather than the request's own record
     */
    record Record(String clusterPartition, String requestId, boolean duplicate, String outcome, String reason,
                  String recordedAt) {
    }

    static LedgerCensus read(DynamoDbClient dynamo, String table, List<String> clusterArns) {
        List<String> partitions = new ArrayList<>(clusterArns.stream().map(arn -> "CLUSTER#" + arn).toList());
        partitions.add("CLUSTER#none");
        List<Record> records = new ArrayList<>();
        for (String partition : partitions) {
            dynamo.queryPaginator(q -> q.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :audit)")
                    .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY, "#sk", Tables.LEDGER_SORT_KEY))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition),
                            ":audit", AttributeValue.fromS("REQUEST#"))))
                    .items().forEach(item -> records.add(new Record(partition, item.get("requestId").s(),
                            item.get(Tables.LEDGER_SORT_KEY).s().contains("#DUPLICATE#"), item.get("outcome").s(),
                            item.containsKey("outcomeReason") ? item.get("outcomeReason").s() : null,
                            item.get(Tables.LEDGER_BY_PRINCIPAL_SORT_KEY).s())));
        }
        return new LedgerCensus(List.copyOf(records));
    }

    /** Each request's own record. */
    Map<String, Record> ownRecords() {
        return records.stream().filter(r -> !r.duplicate())
                .collect(Collectors.toMap(Record::requestId, r -> r, (a, b) -> {
                    throw new IllegalStateException("two own records of request " + a.requestId());
                }));
    }

    /** How many redeliveries of each request were recorded as duplicates. */
    Map<String, Long> duplicatesByRequest() {
        return records.stream().filter(Record::duplicate)
                .collect(Collectors.groupingBy(Record::requestId, Collectors.counting()));
    }

    long ownWithOutcome(String outcome) {
        return records.stream().filter(r -> !r.duplicate() && r.outcome().equals(outcome)).count();
    }

    long duplicates() {
        return records.stream().filter(Record::duplicate).count();
    }
}
