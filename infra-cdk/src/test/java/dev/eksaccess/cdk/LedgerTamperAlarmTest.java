package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.arn;
import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.EksAccessStackTest.ref;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.contract.Tables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.event.ruler.Machine;

/**
 * The ledger tamper alarm (docs/threat-model.md, "Queues, tables, keys"): the ledger's keys-only stream, the Pipe that
 * passes only changed or deleted audit records to the alarm topic (its filter judged by AWS Event Ruler on stream
 * records shaped like DynamoDB's), and its role, which reads that stream and publishes to that topic, nothing else.
 */
class LedgerTamperAlarmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EksAccessStack STACK = TestApps.FULL.stacks().hub();
    private static final Template TEMPLATE = TestApps.FULL.hub();
    private static final String FILTER = "{\"eventName\":[\"MODIFY\",\"REMOVE\"],"
            + "\"dynamodb\":{\"Keys\":{\"pk\":{\"S\":[{\"prefix\":\"CLUSTER#\"}]}}}}";
    private static final String CLUSTER = "arn:aws:eks:eu-west-1:111122223333:cluster/prod";

    @Test
    void ledger_hasAKeysOnlyStream_andTheRegistryNone() {
        TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", Match.arrayWith(List.of(Map.of("AttributeName", Tables.LEDGER_SORT_KEY, "KeyType", "RANGE"))),
                "StreamSpecification", Map.of("StreamViewType", "KEYS_ONLY")));
        TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", Tables.REGISTRY_PARTITION_KEY, "KeyType", "HASH")),
                "StreamSpecification", Match.absent()));
    }

    @Test
    void pipe_readsTheLedgerStream_filtersChangedAuditRecords_andPublishesToTheAlarmTopic() {
        TEMPLATE.resourceCountIs("AWS::Pipes::Pipe", 1);
        TEMPLATE.hasResourceProperties("AWS::Pipes::Pipe", Map.of(
                "Source", Map.of("Fn::GetAtt", List.of(logicalId(STACK.tables().ledger()), "StreamArn")),
                "SourceParameters", Map.of(
                        "DynamoDBStreamParameters", Map.of("StartingPosition", "LATEST", "BatchSize", 1),
                        "FilterCriteria", Map.of("Filters", List.of(Map.of("Pattern", FILTER)))),
                "Target", ref(STACK.monitoring().topic()),
                "RoleArn", arn(STACK.tamperAlarm().role()),
                "TargetParameters", Map.of("InputTemplate", LedgerTamperAlarm.MESSAGE)));
        assertThat(LedgerTamperAlarm.MESSAGE).contains("<$.eventName>", "<$.dynamodb.Keys.pk.S>",
                "<$.dynamodb.Keys.sk.S>");
    }

    /** A failed delivery (the topic or its key refusing the pipe) is an alarm of its own, on the pipe's metric. */
    @Test
    void pipeFailures_raiseAnAlarm() {
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/EventBridge/Pipes",
                "MetricName", "ExecutionFailed",
                "Dimensions", List.of(Map.of("Name", "PipeName", "Value", ref(STACK.tamperAlarm().pipe()))),
                "Threshold", 1,
                "AlarmActions", List.of(ref(STACK.monitoring().topic()))));
    }

    @Test
    void pipeFilter_passesChangedOrDeletedAuditRecords_only() throws Exception {
        Machine machine = Machine.builder().build();
        machine.addRule("tamper", deployedFilter());

        assertThat(machine.rulesForJSONEvent(record("MODIFY", "CLUSTER#" + CLUSTER, "REQUEST#s#g-1")))
                .containsExactly("tamper");
        assertThat(machine.rulesForJSONEvent(record("REMOVE", "CLUSTER#none", "REQUEST#s#g-2")))
                .containsExactly("tamper");
        assertThat(machine.rulesForJSONEvent(record("INSERT", "CLUSTER#" + CLUSTER, "REQUEST#s#g-1"))).isEmpty();
        for (String mutable : List.of("GRANT#" + CLUSTER, "LEASE#" + CLUSTER + "#role", "PENDING")) {
            for (String event : List.of("INSERT", "MODIFY", "REMOVE")) {
                assertThat(machine.rulesForJSONEvent(record(event, mutable, "x"))).as(event + " " + mutable).isEmpty();
            }
        }
        // An audit-looking sort key in another partition is not an audit record; the partition decides.
        assertThat(machine.rulesForJSONEvent(record("MODIFY", "GRANT#" + CLUSTER, "CLUSTER#" + CLUSTER))).isEmpty();
    }

    /** A deletion by DynamoDB itself (TTL) names the service; it is a REMOVE like any other and raises the alarm. */
    @Test
    void pipeFilter_passesADeletionByTheServiceToo() throws Exception {
        Machine machine = Machine.builder().build();
        machine.addRule("tamper", deployedFilter());
        Map<String, Object> ttl = JSON.readValue(record("REMOVE", "CLUSTER#" + CLUSTER, "REQUEST#s#g-3"), Map.class);
        ttl.put("userIdentity", Map.of("type", "Service", "principalId", "dynamodb.amazonaws.com"));

        assertThat(machine.rulesForJSONEvent(JSON.writeValueAsString(ttl))).containsExactly("tamper");
    }

    @Test
    void pipeRole_readsTheLedgerStreamAndPublishesToTheTopic_nothingElse() {
        String role = logicalId(STACK.tamperAlarm().role());
        List<Map<String, Object>> statements = TemplateJson.statementsOfRole(TEMPLATE, role);

        assertThat(statements).extracting(s -> s.get("Sid")).containsExactlyInAnyOrder(
                "ReadTheLedgerStream", "ListStreams", "PublishAlarms", "EncryptAlarms");
        assertThat(statements).allSatisfy(s -> assertThat(s.get("Effect")).isEqualTo("Allow"));
        assertThat(statements).flatExtracting(s -> asList(s.get("Action")))
                .allSatisfy(action -> assertThat(action.toString()).doesNotContain("*"));
        Map<String, Object> read = TemplateJson.statement(TEMPLATE, role, "ReadTheLedgerStream");
        assertThat(asList(read.get("Action"))).containsExactlyInAnyOrderElementsOf(LedgerTamperAlarm.STREAM_READ_ACTIONS);
        assertThat(read.get("Resource")).isEqualTo(Map.of("Fn::GetAtt",
                List.of(logicalId(STACK.tables().ledger()), "StreamArn")));
        Map<String, Object> list = TemplateJson.statement(TEMPLATE, role, "ListStreams");
        assertThat(asList(list.get("Action"))).containsExactly("dynamodb:ListStreams");
        Map<String, Object> publish = TemplateJson.statement(TEMPLATE, role, "PublishAlarms");
        assertThat(asList(publish.get("Action"))).containsExactly("sns:Publish");
        assertThat(publish.get("Resource")).isEqualTo(ref(STACK.monitoring().topic()));
        Map<String, Object> encrypt = TemplateJson.statement(TEMPLATE, role, "EncryptAlarms");
        assertThat(asList(encrypt.get("Action"))).containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
        assertThat(viaService(TEMPLATE, encrypt)).isEqualTo("sns.eu-west-1.amazonaws.com");

        TEMPLATE.hasResourceProperties("AWS::IAM::Role", Map.of("AssumeRolePolicyDocument", Map.of("Statement",
                List.of(Map.of("Action", "sts:AssumeRole", "Effect", "Allow",
                        "Principal", Map.of("Service", "pipes.amazonaws.com"),
                        "Condition", Map.of("StringEquals",
                                Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"))))))));
    }

    /** Without kmsKey the topic's own key trusts no IAM policy: its key policy names the pipe's role, through SNS. */
    @Test
    void topicsOwnKey_letsThePipeRoleEncryptAlarms_throughSnsOnly() {
        @SuppressWarnings("unchecked")
        Map<String, Object> policy = (Map<String, Object>) ((Map<String, Object>) TEMPLATE.findResources("AWS::KMS::Key")
                .get(logicalId(STACK.monitoring().topicKey())).get("Properties")).get("KeyPolicy");
        @SuppressWarnings("unchecked")
        Map<String, Object> publishers = ((List<Map<String, Object>>) policy.get("Statement")).stream()
                .filter(s -> "PublishersEncryptAlarms".equals(s.get("Sid"))).findFirst().orElseThrow();

        assertThat(publishers.get("Principal")).isEqualTo(Map.of("AWS", arn(STACK.tamperAlarm().role())));
        assertThat(asList(publishers.get("Action"))).containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
        assertThat(viaService(TEMPLATE, publishers)).isEqualTo("sns.eu-west-1.amazonaws.com");
    }

    /** With kmsKey the ledger's stream is encrypted with the deployment's key: the role decrypts it through DynamoDB. */
    @Test
    void withTheDeploymentsKey_thePipeRoleDecryptsTheStreamThroughDynamoDb_andEncryptsAlarmsThroughSns() {
        TestApps.Synthesized created = TestApps.synthesize(Map.of("kmsKey", "create", "existingTrail", true));
        EksAccessStack stack = created.stacks().hub();
        String role = logicalId(stack.tamperAlarm().role());
        Map<String, Object> key = arn(stack.dataKey().orElseThrow());

        Map<String, Object> decrypt = TemplateJson.statement(created.hub(), role, "DecryptTheLedgerStream");
        assertThat(asList(decrypt.get("Action"))).containsExactly("kms:Decrypt");
        assertThat(decrypt.get("Resource")).isEqualTo(key);
        assertThat(viaService(created.hub(), decrypt)).isEqualTo("dynamodb.eu-west-1.amazonaws.com");
        Map<String, Object> encrypt = TemplateJson.statement(created.hub(), role, "EncryptAlarms");
        assertThat(encrypt.get("Resource")).isEqualTo(key);
        assertThat(viaService(created.hub(), encrypt)).isEqualTo("sns.eu-west-1.amazonaws.com");
    }

    @SuppressWarnings("unchecked")
    private static String viaService(Template template, Map<String, Object> statement) {
        Object value = ((Map<String, Object>) ((Map<String, Object>) statement.get("Condition")).get("StringEquals"))
                .get("kms:ViaService");
        return new TemplateValues(template, "EksAccess").resolve(value);
    }

    @SuppressWarnings("unchecked")
    private static String deployedFilter() {
        Map<String, Object> pipe = TEMPLATE.findResources("AWS::Pipes::Pipe").values().iterator().next();
        Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) pipe.get("Properties"))
                .get("SourceParameters");
        List<Map<String, Object>> filters = (List<Map<String, Object>>) ((Map<String, Object>) source
                .get("FilterCriteria")).get("Filters");
        assertThat(filters).hasSize(1);
        return (String) filters.get(0).get("Pattern");
    }

    /** A KEYS_ONLY stream record as DynamoDB Streams hands it to a Pipe (the Pipes user guide's example's shape). */
    private static String record(String eventName, String pk, String sk) throws Exception {
        return JSON.writeValueAsString(Map.of(
                "eventID", "c81e728d9d4c2f636f067f89cc14862c",
                "eventVersion", "1.1",
                "eventName", eventName,
                "eventSource", "aws:dynamodb",
                "awsRegion", "eu-west-1",
                "eventSourceARN", "arn:aws:dynamodb:eu-west-1:111122223333:table/EksAccess-Ledger/stream/2026-12-01T00:00:00.000",
                "dynamodb", Map.of(
                        "ApproximateCreationDateTime", 1764720000,
                        "Keys", Map.of(Tables.LEDGER_PARTITION_KEY, Map.of("S", pk),
                                Tables.LEDGER_SORT_KEY, Map.of("S", sk)),
                        "SequenceNumber", "4421584500000000017450439091",
                        "SizeBytes", 120,
                        "StreamViewType", "KEYS_ONLY")));
    }
}
