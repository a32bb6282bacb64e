package dev.eksaccess.storm;

import dev.eksaccess.aws.DynamoLedger;
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
 * cluster. A request's own record is {@code REQUEST#senderArn#id} (or {@code REQUEST#unknown-sender#id}); every
 * redelivery that found it final left a {@code REQUEST#senderArn#id#DUPLICATE#...} record next to it. Records are
 * never replaced: of a request's own records, only its current one is counted (a held grant's decision, not the record
 * that it waited; an outcome, not the failed attempts before it).
 *
 * @param records every audit record found
 */
record LedgerCensus(List<Record> records) {

    /**
     * One audit record.
     *
     * @param duplicate whether it is the record of a redelivery rather than the request's own record
     * @param senderArn the ARN the SQS SenderId resolved to, or null for an unknown sender
     * @param ruleId    the eligibility rule (or internal sender) that allowed or held the request, or null
     * @param readEks   whether the record holds what EKS had before or after the change (it read the cluster)
     */
    record Record(String clusterPartition, String requestId, boolean duplicate, String outcome, String reason,
                  String recordedAt, String senderArn, String ruleId, boolean readEks) {
    }

    static LedgerCensus read(DynamoDbClient dynamo, String table, List<String> clusterArns) {
        List<String> partitions = new ArrayList<>(clusterArns.stream().map(arn -> "CLUSTER#" + arn).toList());
        partitions.add("CLUSTER#none");
        List<Record> records = new ArrayList<>();
        for (String partition : partitions) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            dynamo.queryPaginator(q -> q.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :audit)")
                    .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY, "#sk", Tables.LEDGER_SORT_KEY))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition),
                            ":audit", AttributeValue.fromS("REQUEST#"))))
                    .items().forEach(items::add);
            // A request's records are append-only: of its own ones, the current one counts (as DynamoLedger.find
            // reads it); those it superseded (the record that it waited, failed attempts) stay, as history.
            Map<String, List<Map<String, AttributeValue>>> byRequest = items.stream()
                    .filter(item -> !duplicate(item))
                    .collect(Collectors.groupingBy(item -> DynamoLedger.ownSortKey(sortKey(item))));
            List<Map<String, AttributeValue>> counted = new ArrayList<>(items.stream().filter(LedgerCensus::duplicate)
                    .toList());
            byRequest.forEach((own, ofRequest) -> DynamoLedger.current(own, ofRequest).ifPresent(counted::add));
            counted.forEach(item -> records.add(new Record(partition, item.get("requestId").s(), duplicate(item),
                    item.get("outcome").s(), item.containsKey("outcomeReason") ? item.get("outcomeReason").s() : null,
                    item.get(Tables.LEDGER_BY_PRINCIPAL_SORT_KEY).s(), text(item, "senderArn"),
                    text(item, "ruleId"), item.containsKey("before") || item.containsKey("after"))));
        }
        return new LedgerCensus(List.copyOf(records));
    }

    private static String sortKey(Map<String, AttributeValue> item) {
        return item.get(Tables.LEDGER_SORT_KEY).s();
    }

    private static boolean duplicate(Map<String, AttributeValue> item) {
        return sortKey(item).contains("#DUPLICATE#");
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }

    /**
     * Each request's own records: one per cluster partition it was recorded in. A grant or revoke has one; a decision
     * may have two (see {@code FaultStormIT}'s decision accounting).
     */
    Map<String, List<Record>> ownRecords() {
        return records.stream().filter(r -> !r.duplicate()).collect(Collectors.groupingBy(Record::requestId));
    }

    /** The single own record of each request that has exactly one. */
    Map<String, Record> ownRecord() {
        return ownRecords().entrySet().stream().filter(e -> e.getValue().size() == 1)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
    }

    /** How many redeliveries of each request were recorded as duplicates. */
    Map<String, Long> duplicatesByRequest() {
        return records.stream().filter(Record::duplicate)
                .collect(Collectors.groupingBy(Record::requestId, Collectors.counting()));
    }

    long ownWithOutcome(String outcome) {
        return records.stream().filter(r -> !r.duplicate() && r.outcome().equals(outcome)).count();
    }

    /** Own records of requests whose id starts with {@code prefix}, with this outcome. */
    long ownWithOutcome(String outcome, String prefix) {
        return records.stream().filter(r -> !r.duplicate() && r.outcome().equals(outcome)
                && r.requestId().startsWith(prefix)).count();
    }

    long duplicates() {
        return records.stream().filter(Record::duplicate).count();
    }
}
