package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.drift.AccessChange;
import dev.eksaccess.drift.AccessChangeParser;
import dev.eksaccess.drift.ChangeClass;
import dev.eksaccess.drift.ChangeClass.Severity;
import dev.eksaccess.drift.ExternalChange;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The ledger's external changes against dynalite: one item per CloudTrail event, in the cluster's audit partition. */
@ExtendWith(EmulatedAws.class)
class DynamoExternalChangeLogIT {

    static final Instant T = Instant.parse("2026-11-28T10:00:05Z");

    private final AwsBackend aws;
    private String table;
    private DynamoExternalChangeLog log;

    DynamoExternalChangeLogIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTable() {
        table = DynamoDbTables.createUnique(aws.dynamoDb(), "ledger", Tables.LEDGER);
        log = new DynamoExternalChangeLog(aws.dynamoDb(), table);
    }

    private static AccessChange change(String sample) {
        return ((AccessChangeParser.Change) new AccessChangeParser()
                .parse(EventFiles.bytes("cloudtrail/access-changes/" + sample))).change();
    }

    /**
     * A redelivered event (EventBridge delivers at least once) is recognised by its event id and writes nothing: the
     * first record stays as written, even when the second judgement differs. (Mutation: put without the
     * attribute_not_exists condition -> the second call returns true and the item says harmless.)
     */
    @Test
    void aRedeliveredEvent_isRecordedOnce_andTheFirstRecordStaysAsWritten() {
        AccessChange deleted = change("delete-access-entry.json");
        ExternalChange first = new ExternalChange(deleted, new ChangeClass(Severity.LOCKOUT_RISK, "no admin left"), T);
        ExternalChange again = new ExternalChange(deleted, new ChangeClass(Severity.HARMLESS, "judged again"),
                T.plusSeconds(30));

        assertThat(log.recordOnce(first)).isTrue();
        Map<String, AttributeValue> stored = item(deleted);
        assertThat(log.recordOnce(again)).isFalse();

        assertThat(item(deleted)).isEqualTo(stored);
        assertThat(log.find(deleted.cluster().arn())).containsExactly(first);
    }

    @Test
    void theItem_isInTheClustersAuditPartition_underTheEventId_withWhoWhatWhenAndTheJudgement() {
        AccessChange associated = change("associate-view-namespaces.json");
        log.recordOnce(new ExternalChange(associated, new ChangeClass(Severity.HARMLESS, "touches nothing"), T));

        Map<String, AttributeValue> item = item(associated);
        assertThat(item.get("pk").s()).isEqualTo("CLUSTER#" + associated.cluster().arn());
        assertThat(item.get("sk").s()).isEqualTo("EXTERNAL#" + associated.eventId());
        assertThat(item.get("itemType").s()).isEqualTo("external-change");
        assertThat(item.get("eventName").s()).isEqualTo("AssociateAccessPolicy");
        assertThat(item.get("principalArn").s()).isEqualTo(associated.principalArn());
        assertThat(item.get("actorArn").s()).isEqualTo(associated.actor().principalArn());
        assertThat(item.get("scopeType").s()).isEqualTo("namespace");
        assertThat(item.get("namespaces").l()).extracting(AttributeValue::s)
                .containsExactlyElementsOf(associated.scope().namespaces());
        assertThat(item.get("severity").s()).isEqualTo("HARMLESS");
        assertThat(item.get("summary").s()).isEqualTo(associated.summary());
        assertThat(item.get("recordedAt").s()).isEqualTo("2026-11-28T10:00:05.000Z");
        assertThat(item).doesNotContainKey("requestId");
    }

    @Test
    void everySampleChange_readsBackAsRecorded_andTheirsByPrincipal_throughTheIndex() {
        List<AccessChange> changes = List.of(change("create-access-entry.json"), change("update-access-entry-groups.json"),
                change("update-cluster-config-api.json"), change("disassociate-cluster-admin.json"));
        for (AccessChange c : changes) {
            log.recordOnce(new ExternalChange(c, new ChangeClass(Severity.CONFLICTS_WITH_GRANT, "why"), T));
        }

        List<ExternalChange> read = changes.stream().map(c -> c.cluster().arn()).distinct()
                .flatMap(arn -> log.find(arn).stream()).toList();
        assertThat(read).extracting(ExternalChange::change).containsExactlyInAnyOrderElementsOf(changes.stream()
                .map(c -> new AccessChange(c.eventId(), c.eventTime(), c.cluster(), c.kind(), c.principalArn(),
                        c.policyArn(), c.scope(), c.kubernetesGroups(), c.authenticationMode(),
                        new dev.eksaccess.creation.Creator(c.actor().identityType(), c.actor().principalArn(),
                                c.actor().sessionName(), c.actor().invokedBy(), true, null)))
                .toList());
        String updated = changes.get(1).principalArn();
        assertThat(aws.dynamoDb().query(q -> q.tableName(table).indexName(Tables.LEDGER_BY_PRINCIPAL_INDEX)
                .keyConditionExpression("principalArn = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(updated)))).items())
                .extracting(i -> i.get("eventId").s()).contains(changes.get(1).eventId());
    }

    private Map<String, AttributeValue> item(AccessChange change) {
        return aws.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                Tables.LEDGER_PARTITION_KEY, AttributeValue.fromS(Tables.LEDGER_AUDIT_PARTITION_PREFIX
                        + change.cluster().arn()),
                Tables.LEDGER_SORT_KEY, AttributeValue.fromS(DynamoExternalChangeLog.sortKey(change.eventId())))))
                .item();
    }
}
