package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.authz.PendingApproval;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.PendingGrant;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Grants held for approval in the ledger table against dynalite: conditional create, versioned update, delete,
 * lookup by request id across requesters, the sweep's expired ones, and items that stay out of every index (they
 * are no audit records: the principal's history, the expiry sweep and the lookup by request id must not see them).
 */
@ExtendWith(EmulatedAws.class)
class DynamoPendingApprovalsIT {

    static final String CLUSTER = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod";
    static final String DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";
    static final String CI = "arn:aws:iam::111122223333:role/teams/payments-ci";
    static final String SRE = "arn:aws:iam::111122223333:role/platform/sre";
    static final String ANA = "arn:aws:iam::111122223333:role/approvers/ana";
    static final String BEN = "arn:aws:iam::111122223333:role/approvers/ben";
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    private final AwsBackend aws;
    private String table;
    private DynamoPendingApprovals pending;

    DynamoPendingApprovalsIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTable() {
        table = DynamoDbTables.createUnique(aws.dynamoDb(), "ledger", Tables.LEDGER);
        pending = new DynamoPendingApprovals(aws.dynamoDb(), table);
    }

    private static PendingGrant held(String requestId, String requester, Instant expiresAt, AccessScope scope) {
        AccessRequest request = new AccessRequest(Action.GRANT, ClusterRef.parseArn(CLUSTER).orElseThrow(), DEV,
                "AmazonEKSClusterAdminPolicy", scope, scope.type() == AccessScope.Type.CLUSTER ? null
                : List.of("payments-readers"), scope.type() == AccessScope.Type.CLUSTER ? null : "payments-dev",
                T.plus(Duration.ofHours(4)), requestId, T, "carol@example.com", "incident 4711");
        return new PendingGrant(PendingApproval.of(requestId, "payments-admin", requester, DEV, 2, expiresAt),
                request, List.of(ANA, BEN), Optional.of("github-actions"), "AROAEXAMPLE000000001:github-actions", T, 1);
    }

    private static PendingGrant held(String requestId, String requester, Instant expiresAt) {
        return held(requestId, requester, expiresAt, AccessScope.cluster());
    }

    @Test
    void create_storesTheWholeGrant_findReadsItBack_andASecondCreateOfTheSameIdAndRequesterFails() {
        PendingGrant namespaced = held("CHG-1", CI, T.plusSeconds(3600),
                AccessScope.namespaces(List.of("payments", "payments-*")));

        assertThat(pending.create(namespaced)).isTrue();
        assertThat(pending.create(held("CHG-1", CI, T.plusSeconds(60)))).isFalse();

        assertThat(pending.find("CHG-1")).containsExactly(namespaced);
        assertThat(pending.find("CHG")).as("an id that is only a prefix of another").isEmpty();
        assertThat(pending.find("CHG-2")).isEmpty();
    }

    @Test
    void find_returnsTheRequestsOfEverySenderWithThatId() {
        PendingGrant ci = held("CHG-1", CI, T.plusSeconds(3600));
        PendingGrant sre = held("CHG-1", SRE, T.plusSeconds(3600));
        pending.create(ci);
        pending.create(sre);
        pending.create(held("CHG-10", CI, T.plusSeconds(3600)));

        assertThat(pending.find("CHG-1")).containsExactlyInAnyOrder(ci, sre);
    }

    @Test
    void update_succeedsOnTheVersionItRead_andFailsWhenSomeoneElseUpdatedFirst() {
        PendingGrant stored = held("CHG-1", CI, T.plusSeconds(3600));
        pending.create(stored);
        PendingGrant anaApproved = stored.with(new PendingApproval("CHG-1", "payments-admin", CI, DEV, 2,
                List.of(ANA), T.plusSeconds(3600)));
        PendingGrant benApprovedConcurrently = stored.with(new PendingApproval("CHG-1", "payments-admin", CI, DEV, 2,
                List.of(BEN), T.plusSeconds(3600)));

        assertThat(pending.update(anaApproved)).isTrue();
        assertThat(pending.update(benApprovedConcurrently)).as("read version 1, stored is 2 now").isFalse();

        PendingGrant now = pending.find("CHG-1").getFirst();
        assertThat(now.version()).isEqualTo(2);
        assertThat(now.approval().approvedBy()).containsExactly(ANA);
        assertThat(pending.update(now.with(new PendingApproval("CHG-1", "payments-admin", CI, DEV, 2,
                List.of(ANA, BEN), T.plusSeconds(3600))))).isTrue();
        assertThat(pending.find("CHG-1").getFirst().approval().approvedBy()).containsExactly(ANA, BEN);
    }

    @Test
    void update_ofAGrantThatWasDeleted_fails_andDoesNotBringItBack() {
        PendingGrant stored = held("CHG-1", CI, T.plusSeconds(3600));
        pending.create(stored);
        assertThat(pending.delete(stored)).isTrue();

        assertThat(pending.update(stored.with(stored.approval()))).isFalse();
        assertThat(pending.find("CHG-1")).isEmpty();
    }

    @Test
    void delete_removesOnlyThatRequestersGrant_andASecondDeleteFails() {
        PendingGrant ci = held("CHG-1", CI, T.plusSeconds(3600));
        PendingGrant sre = held("CHG-1", SRE, T.plusSeconds(3600));
        pending.create(ci);
        pending.create(sre);

        assertThat(pending.delete(ci)).isTrue();
        assertThat(pending.delete(ci)).as("another copy of the decision won").isFalse();
        assertThat(pending.find("CHG-1")).containsExactly(sre);
    }

    @Test
    void findExpired_returnsThoseWhoseTimeRanOut_upToTheLimit() {
        pending.create(held("old-1", CI, T.minusSeconds(120)));
        pending.create(held("old-2", CI, T.minusSeconds(60)));
        pending.create(held("exactly-now", CI, T));
        pending.create(held("later", CI, T.plusSeconds(1)));

        assertThat(pending.findExpired(T, 10)).extracting(PendingGrant::requestId)
                .containsExactlyInAnyOrder("old-1", "old-2", "exactly-now");
        assertThat(pending.findExpired(T, 2)).hasSize(2);
        assertThat(pending.findExpired(T.minusSeconds(3600), 10)).isEmpty();
    }

    @Test
    void pendingItems_stayOutOfEveryIndex() {
        pending.create(held("CHG-1", CI, T.minusSeconds(1)));
        pending.create(held("CHG-2", SRE, T.plusSeconds(3600)));

        var byPrincipal = aws.dynamoDb().query(q -> q.tableName(table).indexName(Tables.LEDGER_BY_PRINCIPAL_INDEX)
                .keyConditionExpression("principalArn = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(DEV)))).items();
        var byRequest = aws.dynamoDb().query(q -> q.tableName(table).indexName(Tables.LEDGER_BY_REQUEST_INDEX)
                .keyConditionExpression("requestId = :r")
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS("CHG-1")))).items();
        var everyIndex = Tables.LEDGER.indexes().stream().flatMap(index -> aws.dynamoDb()
                .scan(s -> s.tableName(table).indexName(index.name())).items().stream()).toList();

        assertThat(byPrincipal).isEmpty();
        assertThat(byRequest).isEmpty();
        assertThat(everyIndex).isEmpty();
        assertThat(aws.dynamoDb().scan(s -> s.tableName(table)).items()).hasSize(2)
                .allSatisfy(item -> assertThat(item.get(Tables.LEDGER_PARTITION_KEY).s())
                        .isEqualTo(DynamoPendingApprovals.PARTITION));
    }
}
