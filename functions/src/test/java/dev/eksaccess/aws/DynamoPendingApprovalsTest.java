package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.authz.PendingApproval;
import dev.eksaccess.delivery.PendingGrant;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * The requests {@link DynamoPendingApprovals} sends. DynamoDB refuses a request whose ExpressionAttributeNames hold
 * a name no expression uses ("Value provided in ExpressionAttributeNames unused in expressions"); the versioned
 * update once sent {@code #pk} with a condition on {@code #version} only, so every approval short of the last failed.
 */
class DynamoPendingApprovalsTest {

    private final List<PutItemRequest> puts = new ArrayList<>();
    private final DynamoDbClient dynamo = new DynamoDbClient() {
        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            puts.add(request);
            return PutItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    };

    private static PendingGrant held() {
        Instant t = Instant.parse("2026-11-28T10:00:00Z");
        AccessRequest request = new AccessRequest(Action.GRANT,
                ClusterRef.parseArn("arn:aws:eks:eu-west-1:111122223333:cluster/c").orElseThrow(),
                "arn:aws:iam::111122223333:role/dev", "AmazonEKSClusterAdminPolicy", AccessScope.cluster(), null, null,
                t.plusSeconds(3600), "CHG-1", t, null, null);
        return new PendingGrant(PendingApproval.of("CHG-1", "rule", "arn:aws:iam::111122223333:role/ci",
                request.principalArn(), 2, t.plusSeconds(600)), request, List.of(), Optional.empty(), "AROAX:ci", t, 1);
    }

    @Test
    void createAndUpdate_nameOnlyTheAttributesTheirConditionUses() {
        PendingGrant pending = held();
        DynamoPendingApprovals approvals = new DynamoPendingApprovals(dynamo, "ledger");

        approvals.create(pending);
        approvals.update(pending.with(pending.approval()));

        assertThat(puts).hasSize(2).allSatisfy(put -> assertThat(put.expressionAttributeNames().keySet())
                .allSatisfy(name -> assertThat(put.conditionExpression()).contains(name)));
        assertThat(puts.get(1).conditionExpression()).isEqualTo("#version = :expected");
        assertThat(puts.get(1).expressionAttributeNames()).containsOnlyKeys("#version");
    }
}
