package dev.eksaccess.aws;

import static dev.eksaccess.aws.LedgerItems.*;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.PrincipalLeases;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Leases in the ledger table: {@code pk = LEASE#clusterArn#subject}, {@code sk = LEASE}, with {@code holder} and
 * {@code leaseExpiresAt}. Taken with a conditional put (no item, or an expired one), given back with a delete
 * conditional on the holder. The item carries neither {@code principalArn} nor {@code expiryBucket}, so it stays out
 * of both indexes; a lease that is never released is simply taken over once expired.
 */
public final class DynamoLeases implements PrincipalLeases {

    static final String LEASE_PREFIX = Tables.LEDGER_LEASE_PARTITION_PREFIX;
    static final String LEASE_SORT_KEY = "LEASE";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLeases(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean tryAcquire(String clusterArn, String subject, String holder, Instant now, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(clusterArn, subject));
        item.put("itemType", s("lease"));
        item.put("holder", s(holder));
        item.put("leaseExpiresAt", s(timestamp(expiresAt)));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR leaseExpiresAt <= :now")
                    .expressionAttributeNames(Map.of("#pk", Tables.LEDGER_PARTITION_KEY))
                    .expressionAttributeValues(Map.of(":now", s(timestamp(now)))));
            return true;
        } catch (ConditionalCheckFailedException heldByAnother) {
            return false;
        }
    }

    @Override
    public boolean release(String clusterArn, String subject, String holder) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(clusterArn, subject))
                    .conditionExpression("holder = :holder")
                    .expressionAttributeValues(Map.of(":holder", s(holder))));
            return true;
        } catch (ConditionalCheckFailedException notTheHolder) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String clusterArn, String subject) {
        return Map.of(Tables.LEDGER_PARTITION_KEY, s(LEASE_PREFIX + clusterArn + "#" + subject),
                Tables.LEDGER_SORT_KEY, s(LEASE_SORT_KEY));
    }
}
