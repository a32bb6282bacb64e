package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB ledger and grant-state adapters against dynalite: conditional writes and the two indexes. */
@ExtendWith(EmulatedAws.class)
class DynamoLedgerIT {

    static final String CLUSTER = "arn:aws:eks:eu-west-1:111122223333:cluster/c";
    static final String DEV = "arn:aws:iam::111122223333:role/dev";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final String EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    private final AwsBackend aws;
    private String table;
    private DynamoLedger ledger;
    private DynamoGrantStates states;

    DynamoLedgerIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTable() {
        table = DynamoDbTables.createUnique(aws.dynamoDb(), "ledger", Tables.LEDGER);
        ledger = new DynamoLedger(aws.dynamoDb(), table);
        states = new DynamoGrantStates(aws.dynamoDb(), table);
    }

    private static AuditRecord audit(String requestId, Outcome outcome, Instant at) {
        return new AuditRecord(requestId, CLUSTER, DEV, "grant", "AmazonEKSViewPolicy", "AIDA", "alice", "why", T,
                outcome, "because", "{}", "{}", at);
    }

    @Test
    void record_addsTheOutcomeNextToAFailedAttempt_butNeverASecondOutcome() {
        assertThat(ledger.record(audit("r1", Outcome.FAILED_TRANSIENT, T))).isTrue();
        assertThat(ledger.find(CLUSTER, AuditRecord.UNKNOWN_SENDER, "r1")).contains(audit("r1", Outcome.FAILED_TRANSIENT, T));
        assertThat(ledger.record(audit("r1", Outcome.APPLIED, T.plusSeconds(1)))).isTrue();
        assertThat(ledger.record(audit("r1", Outcome.REJECTED, T.plusSeconds(2)))).isFalse();
        assertThat(ledger.record(audit("r1", Outcome.FAILED_TRANSIENT, T.plusSeconds(3)))).isFalse();

        assertThat(ledger.find(CLUSTER, AuditRecord.UNKNOWN_SENDER, "r1")).contains(audit("r1", Outcome.APPLIED, T.plusSeconds(1)));
        assertThat(ledger.find(CLUSTER, AuditRecord.UNKNOWN_SENDER, "other")).isEmpty();
        // Both stay: the failed attempt was not overwritten by the outcome.
        assertThat(auditItems()).extracting(i -> i.get("outcome").s())
                .containsExactlyInAnyOrder("failed-transient", "applied");
    }

    /**
     * Issue 13, "a compromised function overwrites the audit trail": a second write of an existing record, through
     * the real store, is refused, and the stored record is byte for byte what was first written. (Mutation: put the
     * record without its attribute_not_exists condition -> the second write succeeds and the record says rejected.)
     */
    @Test
    void secondWriteOfAnExistingRecord_isRefused_andTheOriginalIsUnchanged() {
        assertThat(ledger.record(audit("r1", Outcome.APPLIED, T))).isTrue();
        Map<String, AttributeValue> original = ownItem("r1");

        assertThat(ledger.record(audit("r1", Outcome.REJECTED, T.plusSeconds(1)))).isFalse();
        assertThat(ledger.record(audit("r1", Outcome.APPLIED, T.plusSeconds(2)))).isFalse();
        assertThat(ledger.record(audit("r1", Outcome.PENDING_APPROVAL, T.plusSeconds(3)))).isFalse();

        assertThat(ownItem("r1")).isEqualTo(original);
        assertThat(auditItems()).hasSize(1);
    }

    /** A held request's decision is a record of its own: the record that it waited stays as written. */
    @Test
    void decisionOfAHeldRequest_isAddedNextToItsPendingRecord_whichStaysUnchanged_andOnlyOnce() {
        assertThat(ledger.record(audit("h1", Outcome.PENDING_APPROVAL, T))).isTrue();
        Map<String, AttributeValue> held = ownItem("h1");
        assertThat(ledger.record(audit("h1", Outcome.PENDING_APPROVAL, T.plusSeconds(1)))).isFalse();

        assertThat(ledger.record(audit("h1", Outcome.APPLIED, T.plusSeconds(2)))).isTrue();
        assertThat(ledger.record(audit("h1", Outcome.REJECTED, T.plusSeconds(3)))).isFalse();

        assertThat(ownItem("h1")).isEqualTo(held);
        assertThat(ledger.find(CLUSTER, AuditRecord.UNKNOWN_SENDER, "h1"))
                .contains(audit("h1", Outcome.APPLIED, T.plusSeconds(2)));
        assertThat(ledger.findByRequestId("h1")).extracting(AuditRecord::outcome)
                .containsExactlyInAnyOrder(Outcome.PENDING_APPROVAL, Outcome.APPLIED);
    }

    /** Request ids that extend another's (r1, r10, r1.x) are other requests: their records never count for it. */
    @Test
    void find_readsOnlyThatRequestsRecords_notThoseOfIdsThatExtendIt() {
        ledger.record(audit("r10", Outcome.APPLIED, T));
        ledger.record(audit("r1.x", Outcome.APPLIED, T));
        ledger.record(audit("r1-", Outcome.APPLIED, T));

        assertThat(ledger.find(CLUSTER, AuditRecord.UNKNOWN_SENDER, "r1")).isEmpty();
        assertThat(ledger.record(audit("r1", Outcome.REJECTED, T))).isTrue();
        assertThat(ledger.find(CLUSTER, AuditRecord.UNKNOWN_SENDER, "r1")).contains(audit("r1", Outcome.REJECTED, T));
    }

    private Map<String, AttributeValue> ownItem(String requestId) {
        return aws.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                Tables.LEDGER_PARTITION_KEY, AttributeValue.fromS(Tables.LEDGER_AUDIT_PARTITION_PREFIX + CLUSTER),
                Tables.LEDGER_SORT_KEY, AttributeValue.fromS(DynamoLedger.sortKey(AuditRecord.UNKNOWN_SENDER,
                        requestId))))).item();
    }

    /** Every item of the cluster's audit partition. */
    private java.util.List<Map<String, AttributeValue>> auditItems() {
        return aws.dynamoDb().query(q -> q.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk",
                        AttributeValue.fromS(Tables.LEDGER_AUDIT_PARTITION_PREFIX + CLUSTER)))).items();
    }

    @Test
    void recordsWithoutACluster_andDuplicates_areKeptApart() {
        AuditRecord unreadable = new AuditRecord("m1", null, null, null, null, null, null, null, null,
                Outcome.REJECTED, "message: is not valid JSON", null, null, T);
        ledger.record(unreadable);
        ledger.record(audit("r1", Outcome.APPLIED, T));
        ledger.recordDuplicate(audit("r1", Outcome.IGNORED, T.plusSeconds(5)));

        assertThat(ledger.find(null, AuditRecord.UNKNOWN_SENDER, "m1")).contains(unreadable);
        var byPrincipal = aws.dynamoDb().query(q -> q.tableName(table).indexName(Tables.LEDGER_BY_PRINCIPAL_INDEX)
                .keyConditionExpression("principalArn = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(DEV)))).items();
        assertThat(byPrincipal).extracting(i -> i.get("outcome").s()).containsExactly("applied", "ignored");
    }

    @Test
    void findByRequestId_returnsThatIdsRecords_onEveryClusterAndFromEverySender() {
        String other = "arn:aws:eks:eu-west-1:111122223333:cluster/other";
        AuditRecord onOther = new AuditRecord("shared", other, DEV, "grant", "AmazonEKSViewPolicy", "AROA", null, null,
                T, Outcome.REJECTED, "no rule", null, null, T, "arn:aws:iam::111122223333:role/ci", "run-1", null);
        ledger.record(audit("shared", Outcome.APPLIED, T));
        ledger.record(onOther);
        ledger.record(audit("unrelated", Outcome.APPLIED, T));

        assertThat(ledger.findByRequestId("shared")).containsExactlyInAnyOrder(audit("shared", Outcome.APPLIED, T),
                onOther);
        assertThat(ledger.findByRequestId("nobody-sent-this")).isEmpty();
    }

    @Test
    void save_keepsTheNewestRequest() {
        assertThat(states.save(new GrantState(CLUSTER, DEV, VIEW, true, T.plusMillis(500), "g2", null))).isTrue();
        assertThat(states.save(new GrantState(CLUSTER, DEV, VIEW, false, T, "g1", null))).isFalse();

        assertThat(states.find(CLUSTER, DEV, VIEW).orElseThrow().lastRequestId()).isEqualTo("g2");
    }

    /** Grant states change, so they live in a partition IAM can single out (GRANT#…), never among the records. */
    @Test
    void grantStates_areInTheirOwnPartition_apartFromTheClustersAuditRecords() {
        ledger.record(audit("g1", Outcome.APPLIED, T));
        states.save(new GrantState(CLUSTER, DEV, VIEW, true, T, "g1", T.plusSeconds(60)));
        states.markRevocationQueued(states.find(CLUSTER, DEV, VIEW).orElseThrow());

        assertThat(auditItems()).extracting(i -> i.get("itemType").s()).containsExactly("audit");
        var grants = aws.dynamoDb().query(q -> q.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk",
                        AttributeValue.fromS(Tables.LEDGER_GRANT_PARTITION_PREFIX + CLUSTER)))).items();
        assertThat(grants).extracting(i -> i.get("itemType").s()).containsExactly("grant");
    }

    @Test
    void findByPrincipal_returnsEveryPolicyOfThatPrincipalOnly() {
        states.save(new GrantState(CLUSTER, DEV, VIEW, true, T, "g1", null));
        states.save(new GrantState(CLUSTER, DEV, EDIT, false, T, "g2", null));
        states.save(new GrantState(CLUSTER, DEV + "2", VIEW, true, T, "g3", null));

        assertThat(states.findByPrincipal(CLUSTER, DEV)).extracting(GrantState::policyArn)
                .containsExactlyInAnyOrder(VIEW, EDIT);
    }

    @Test
    void expiredGrants_areFoundOldestFirst_untilTheirRevocationIsQueued_orTheyAreRescheduled() {
        GrantState soon = new GrantState(CLUSTER, DEV, VIEW, true, T, "g1", T.plus(Duration.ofMinutes(5)));
        GrantState later = new GrantState(CLUSTER, DEV, EDIT, true, T, "g2", T.plus(Duration.ofMinutes(5)).plusMillis(1));
        states.save(later);
        states.save(soon);

        assertThat(states.findExpired(T.plus(Duration.ofMinutes(4)), 10)).isEmpty();
        assertThat(states.findExpired(T.plus(Duration.ofMinutes(6)), 10)).containsExactly(soon, later);
        assertThat(states.findExpired(T.plus(Duration.ofMinutes(6)), 1)).containsExactly(soon);

        assertThat(states.markRevocationQueued(soon)).isTrue();
        GrantState renewed = new GrantState(CLUSTER, DEV, EDIT, true, T.plusSeconds(1), "g3", T.plus(Duration.ofHours(1)));
        states.save(renewed);

        assertThat(states.findExpired(T.plus(Duration.ofMinutes(6)), 10)).isEmpty();
        assertThat(states.markRevocationQueued(later)).isFalse();
        assertThat(states.findExpired(T.plus(Duration.ofHours(2)), 10)).containsExactly(renewed);
    }

    @Test
    void overdueGrant_isFoundAsOverdue_notAsDue_untilANewerRequestIsSaved() {
        GrantState admin = new GrantState(CLUSTER, DEV, VIEW, true, T, "g1", T.plus(Duration.ofMinutes(5)));
        states.save(admin);
        states.markRevocationQueued(admin);

        assertThat(states.markOverdue(new GrantState(CLUSTER, DEV, VIEW, true, T, "other", admin.expiresAt()),
                "changed meanwhile", T)).isFalse();
        assertThat(states.markOverdue(admin, "last cluster admin", T.plus(Duration.ofMinutes(6)))).isTrue();

        assertThat(states.findOverdue(10)).containsExactly(admin);
        assertThat(states.findExpired(T.plus(Duration.ofHours(1)), 10)).isEmpty();
        assertThat(states.find(CLUSTER, DEV, VIEW)).contains(admin);
        states.save(new GrantState(CLUSTER, DEV, VIEW, false, T.plus(Duration.ofMinutes(7)), "revoke", null));
        assertThat(states.findOverdue(10)).isEmpty();
    }
}
