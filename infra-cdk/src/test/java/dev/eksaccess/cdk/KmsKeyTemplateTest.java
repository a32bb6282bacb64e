package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.arn;
import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * The optional customer managed key ({@code kmsKey}): created by the stack, or an existing one by ARN, it encrypts
 * the queues, the tables, the alarm topic and the log groups, and every principal that has to use it may, through
 * the services that need it, with no wildcard action. Without it ({@link TestApps#FULL}) the AWS managed keys stay,
 * as {@link EksAccessStackTest} checks.
 */
// Annotations.findError/findWarning still return cxapi.SynthesisMessage, which CDK has deprecated.
@SuppressWarnings("deprecation")
class KmsKeyTemplateTest {

    static final String EXISTING_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static final TestApps.Synthesized CREATED = TestApps.synthesize(Map.of("kmsKey", "create",
            "senderPrincipals", List.of(TestApps.SENDER_ROLE, TestApps.SENDER_ACCOUNT), "existingTrail", true,
            "alarmEmail", "platform-oncall@example.com"));
    private static final EksAccessStack STACK = CREATED.stacks().hub();
    private static final Template TEMPLATE = CREATED.hub();
    private static final TestApps.Synthesized EXISTING = TestApps.synthesize(Map.of("kmsKey", EXISTING_KEY,
            "existingTrail", true));

    @Test
    void createdKey_encryptsQueuesTablesTopicAndLogGroups() {
        Map<String, Object> key = arn(STACK.dataKey().orElseThrow());
        TEMPLATE.resourceCountIs("AWS::KMS::Key", 1);
        TEMPLATE.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
        TEMPLATE.resourceCountIs("AWS::SQS::Queue", 3);
        TEMPLATE.allResourcesProperties("AWS::SQS::Queue", Map.of("KmsMasterKeyId", key,
                "SqsManagedSseEnabled", Match.absent()));
        TEMPLATE.resourceCountIs("AWS::DynamoDB::Table", 3);
        TEMPLATE.allResourcesProperties("AWS::DynamoDB::Table", Map.of("SSESpecification", Map.of(
                "SSEEnabled", true, "SSEType", "KMS", "KMSMasterKeyId", key)));
        TEMPLATE.allResourcesProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", key));
        TEMPLATE.resourceCountIs("AWS::Logs::LogGroup", 6);
        TEMPLATE.allResourcesProperties("AWS::Logs::LogGroup", Map.of("KmsKeyId", key, "RetentionInDays", 30));
    }

    /** CloudWatch Logs can use the key for this account's log groups only; nobody gets a wildcard action. */
    @Test
    void keyPolicy_letsLogsCloudWatchEventBridgeAndTheSendersUseIt_withConditions() {
        Map<String, Object> policy = keyPolicy();

        Map<String, Object> logs = statement(policy, "LogsEncryptThisAccountsLogGroups");
        assertThat(resolved(logs.get("Principal"))).isEqualTo(Map.of("Service", "logs.eu-west-1.amazonaws.com"));
        assertThat(asList(logs.get("Action"))).containsExactlyElementsOf(DataKey.LOGS_ACTIONS);
        assertThat(resolved(logs.get("Condition"))).isEqualTo(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                "arn:aws:logs:eu-west-1:" + TemplateValues.ACCOUNT + ":log-group:*")));
        for (String sid : List.of("CloudWatchPublishesAlarms", "EventBridgeSendsDeadLetters")) {
            assertThat(resolved(statement(policy, sid).get("Condition"))).as(sid).isEqualTo(
                    Map.of("StringEquals", Map.of("aws:SourceAccount", TemplateValues.ACCOUNT)));
        }
        assertThat(resolved(statement(policy, "AccountUsesTheKeyThroughItsServices").get("Condition"))).isEqualTo(
                Map.of("StringEquals", Map.of("kms:CallerAccount", TemplateValues.ACCOUNT, "kms:ViaService",
                        List.of("sqs.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com",
                                "sns.eu-west-1.amazonaws.com"))));
        Map<String, Object> senders = statement(policy, "ConfiguredSendersEncryptRequests");
        assertThat(senders.get("Principal").toString()).contains(TestApps.SENDER_ROLE)
                .contains(":iam::" + TestApps.SENDER_ACCOUNT + ":root");
        assertThat(resolved(senders.get("Condition"))).isEqualTo(
                Map.of("StringEquals", Map.of("kms:ViaService", "sqs.eu-west-1.amazonaws.com")));
        assertThat(TemplateJson.allStatements(TEMPLATE)).filteredOn(s -> "Allow".equals(s.get("Effect")))
                .flatExtracting(s -> asList(s.get("Action")))
                .allSatisfy(action -> assertThat(action.toString()).doesNotContain("*"));
    }

    /** Each function encrypts and decrypts through SQS and DynamoDB only; teams' read-only policy decrypts reads. */
    @Test
    void functionsAndTheStatusPolicy_useTheKeyThroughTheirServicesOnly() {
        for (JavaFunction function : List.of(STACK.clusterCreated(), STACK.grantProcessor(), STACK.expirySweep(),
                STACK.reconciler(), STACK.accessChanges())) {
            Map<String, Object> use = TemplateJson.statement(TEMPLATE, logicalId(function.role()),
                    "UseTheDataKeyThroughQueuesAndTables");
            assertThat(asList(use.get("Action"))).containsExactlyElementsOf(DataKey.USE_ACTIONS);
            assertThat(asList(use.get("Resource"))).containsExactly(arn(STACK.dataKey().orElseThrow()));
            assertThat(resolved(use.get("Condition"))).isEqualTo(Map.of("StringEquals", Map.of("kms:ViaService",
                    List.of("sqs.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com"))));
        }
        assertThat(TemplateJson.statementsOfManagedPolicy(TEMPLATE, logicalId(STACK.requestStatusPolicy())))
                .filteredOn(statement -> "DecryptLedgerReads".equals(statement.get("Sid"))).singleElement()
                .satisfies(statement -> {
                    assertThat(asList(statement.get("Action"))).containsExactly("kms:Decrypt");
                    assertThat(resolved(statement.get("Condition"))).isEqualTo(Map.of("StringEquals",
                            Map.of("kms:ViaService", "dynamodb.eu-west-1.amazonaws.com")));
                });
    }

    @Test
    void existingKey_isUsedByArn_andNoKeyIsCreated() {
        Template template = EXISTING.hub();
        template.resourceCountIs("AWS::KMS::Key", 0);
        template.allResourcesProperties("AWS::SQS::Queue", Map.of("KmsMasterKeyId", EXISTING_KEY));
        template.allResourcesProperties("AWS::DynamoDB::Table", Map.of("SSESpecification", Map.of(
                "SSEEnabled", true, "SSEType", "KMS", "KMSMasterKeyId", EXISTING_KEY)));
        template.allResourcesProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", EXISTING_KEY));
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("KmsKeyId", EXISTING_KEY));
    }

    @Test
    void withEitherKey_cdkNagFindsNothingUnsuppressed() {
        for (EksAccessStack stack : List.of(STACK, EXISTING.stacks().hub())) {
            List<SynthesisMessage> findings = new java.util.ArrayList<>(Annotations.fromStack(stack)
                    .findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
            findings.addAll(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
            assertThat(findings).extracting(message -> message.getId() + ": " + message.getEntry().getData()).isEmpty();
        }
    }

    @Test
    void kmsKey_isCreateOrAKeyArn() {
        for (String wrong : List.of("yes", "alias/eks-access", "arn:aws:kms:eu-west-1:111122223333:alias/eks-access")) {
            assertThat(catchThrowableOfType(ConfigException.class, () -> ContextParser.parse(Map.of("kmsKey", wrong),
                    TestApps.fakeFunctionsJar())).problems()).as(wrong).containsExactly(
                    "context kmsKey: '" + wrong + "' is not " + ContextKey.KMS_KEY.expected());
        }
        assertThat(ContextParser.parse(Map.of(), TestApps.fakeFunctionsJar()).kmsKey()).isEmpty();
    }

    /** The value with every CloudFormation expression in it resolved as a deployment in eu-west-1 would. */
    private static Object resolved(Object value) {
        TemplateValues values = new TemplateValues(TEMPLATE, STACK.getStackName());
        if (value instanceof Map<?, ?> map && map.size() == 1
                && List.of("Ref", "Fn::GetAtt", "Fn::Join").contains(map.keySet().iterator().next())) {
            return values.resolve(value);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> resolved = new java.util.LinkedHashMap<>();
            map.forEach((key, item) -> resolved.put(key, resolved(item)));
            return resolved;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(KmsKeyTemplateTest::resolved).toList();
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> keyPolicy() {
        Map<String, Object> key = TEMPLATE.findResources("AWS::KMS::Key").values().iterator().next();
        return (Map<String, Object>) ((Map<String, Object>) key.get("Properties")).get("KeyPolicy");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statement(Map<String, Object> policy, String sid) {
        return ((List<Map<String, Object>>) policy.get("Statement")).stream()
                .filter(statement -> sid.equals(statement.get("Sid"))).findFirst()
                .orElseThrow(() -> new AssertionError("no key policy statement " + sid));
    }
}
