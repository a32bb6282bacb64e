package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.arn;
import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.CreateClusterEventPattern;
import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.SessionIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Issue 13's attack paths that the templates close, each checked on the exact condition or Deny that closes it.
 * {@link TestApps#FULL} binds the spoke's trust with an external id; {@link #ORGANIZATION} binds it with the
 * organization, and has two member accounts and a non-default log retention.
 */
class HardeningTemplateTest {

    private static final EksAccessStack STACK = TestApps.FULL.stacks().hub();
    private static final Template TEMPLATE = TestApps.FULL.hub();

    static final String ORGANIZATION_ID = "o-a1b2c3d4e5";
    static final String OTHER_MEMBER = "555566667777";
    private static final TestApps.Synthesized ORGANIZATION = TestApps.synthesize(organizationContext());

    private static Map<String, Object> organizationContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("crossAccountRoleName", "eks-access/HubAccess");
        context.put("memberAccounts", List.of(TestApps.MEMBER_ACCOUNT, OTHER_MEMBER));
        context.put("organizationId", ORGANIZATION_ID);
        context.put("hubAccount", TestApps.HUB_ACCOUNT);
        context.put("hubRoleArn", TestApps.HUB_ROLE);
        context.put("logRetentionDays", 365);
        context.put("existingTrail", true);
        return context;
    }

    /** Anyone else in the hub's account, or an external id leaked elsewhere, cannot assume the member role. */
    @Test
    void spokeRole_trustsTheHubsRoleOnlyWithinTheHubsOrganization_whenOneIsConfigured() {
        assertThat(SpokeStackTest.trustStatements(ORGANIZATION.spoke())).isNotEmpty().allSatisfy(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(statement.get("Principal")).isEqualTo(Map.of("AWS", TestApps.HUB_ROLE));
            assertThat(statement.get("Condition")).isEqualTo(Map.of(
                    "StringEquals", Map.of("aws:PrincipalOrgID", ORGANIZATION_ID),
                    "StringLike", Map.of("sts:SourceIdentity", SessionIdentity.TRUST_PATTERNS)));
        }).flatExtracting(statement -> asList(statement.get("Action")))
                .containsExactlyInAnyOrder("sts:AssumeRole", "sts:SetSourceIdentity");
        // without hubClusterCreationRoleArn there is no read-only role for it
        assertThat(ORGANIZATION.stacks().spoke().orElseThrow().clusterReaderRole()).isEmpty();
        assertThat(ORGANIZATION.spoke().findResources("AWS::IAM::Role", Map.of("Properties",
                Map.of("RoleName", "HubAccess-reader")))).isEmpty();
    }

    /** Without the binding the trust would be the role ARN alone; the spoke refuses to synthesize so. */
    @Test
    void spokeTrust_withoutOrganizationOrExternalId_isRefused() {
        DeploymentConfig unbound = ContextParser.parse(Map.of("crossAccountRoleName", "HubAccess"),
                TestApps.fakeFunctionsJar());
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, () ->
                ContextParser.parseSpoke(Map.of("hubAccount", TestApps.HUB_ACCOUNT, "hubRoleArn", TestApps.HUB_ROLE),
                        unbound)).problems()).singleElement().asString()
                .startsWith("context organizationId or crossAccountExternalId: one is required");
    }

    /**
     * A cluster ARN naming an account that is not a member cannot make the processor act there: it may assume the
     * configured role of the configured member accounts, by ARN, and no {@code iam::*} role anywhere.
     */
    @Test
    void grantProcessor_mayAssumeOnlyTheMemberAccountsRoles_byArn() {
        EksAccessStack hub = ORGANIZATION.stacks().hub();
        Map<String, Object> assume = TemplateJson.statement(ORGANIZATION.hub(), logicalId(hub.grantProcessor().role()),
                "AssumeMemberAccountRole");

        assertThat(asList(assume.get("Action"))).containsExactly("sts:AssumeRole", "sts:SetSourceIdentity");
        assertThat(assume).doesNotContainKey("Condition");
        assertThat(asList(assume.get("Resource"))).extracting(Object::toString).containsExactly(
                "{Fn::Join=[, [arn:, {Ref=AWS::Partition}, :iam::" + TestApps.MEMBER_ACCOUNT
                        + ":role/eks-access/HubAccess]]}",
                "{Fn::Join=[, [arn:, {Ref=AWS::Partition}, :iam::" + OTHER_MEMBER + ":role/eks-access/HubAccess]]}");
        for (Template template : List.of(TEMPLATE, ORGANIZATION.hub())) {
            assertThat(TemplateJson.allStatements(template)).flatExtracting(statement -> asList(statement.get("Resource")))
                    .noneSatisfy(resource -> assertThat(resource.toString()).contains(":iam::*"));
        }
        // No member accounts: nothing to assume, so no statement at all.
        assertThat(TemplateJson.statementsOfRole(TestApps.minimal().hub(),
                logicalId(TestApps.minimal().stacks().hub().grantProcessor().role())))
                .flatExtracting(statement -> asList(statement.get("Action")))
                .noneSatisfy(action -> assertThat(action.toString()).startsWith("sts:"));
    }

    /**
     * A member account may put only EKS CloudTrail events on the hub's default bus: no events of another source or
     * detail type that a rule of the hub account might act on.
     */
    @Test
    void hubBus_acceptsMemberAccountsEksCloudTrailEventsOnly() {
        Map<String, Map<String, Object>> policies = ORGANIZATION.hub().findResources("AWS::Events::EventBusPolicy");
        assertThat(policies).hasSize(2);
        for (String account : List.of(TestApps.MEMBER_ACCOUNT, OTHER_MEMBER)) {
            ORGANIZATION.hub().hasResourceProperties("AWS::Events::EventBusPolicy", Map.of(
                    "EventBusName", "default",
                    "StatementId", "EksAccessFrom" + account,
                    "Statement", Map.of(
                            "Effect", "Allow",
                            "Principal", Map.of("AWS", Map.of("Fn::Join", List.of("", List.of(
                                    "arn:", Map.of("Ref", "AWS::Partition"), ":iam::" + account + ":root")))),
                            "Action", "events:PutEvents",
                            "Resource", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                    ":events:", Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"),
                                    ":event-bus/default"))),
                            "Condition", Map.of("StringEquals", Map.of(
                                    "events:source", CreateClusterEventPattern.SOURCE,
                                    "events:detail-type", "AWS API Call via CloudTrail")))));
        }
    }

    /**
     * A forged access-change event cannot reach the access-change function directly either: its only invoke permission
     * is EventBridge's for the access-change rule. (Mutation: the access-change rule targets the function itself instead
     * of its alias -> this test fails.)
     */
    @Test
    void accessChangeFunction_mayBeInvokedOnlyByItsRule() {
        assertInvokedOnlyBy(STACK.accessChanges(), STACK.accessChangeRule());
    }

    private static void assertInvokedOnlyBy(JavaFunction target, software.amazon.awscdk.services.events.Rule rule) {
        String function = logicalId(target.function());
        String alias = logicalId(target.alias());
        List<Map<String, Object>> onFunction = TEMPLATE.findResources("AWS::Lambda::Permission").values().stream()
                .map(resource -> properties(resource))
                .filter(properties -> {
                    String name = String.valueOf(properties.get("FunctionName"));
                    return name.contains(function) || name.contains(alias);
                }).toList();

        assertThat(onFunction).singleElement().satisfies(permission -> {
            assertThat(permission.get("Action")).isEqualTo("lambda:InvokeFunction");
            assertThat(permission.get("Principal")).isEqualTo("events.amazonaws.com");
            assertThat(permission.get("SourceArn")).isEqualTo(arn(rule));
            assertThat(permission.get("FunctionName")).isEqualTo(Map.of("Ref", alias));
        });
    }

    /**
     * A forged CreateCluster event cannot reach the function directly: its only invoke permission is for EventBridge
     * on behalf of the CreateCluster rule ({@code aws:SourceArn} is the rule's ARN).
     */
    @Test
    void clusterCreationFunction_mayBeInvokedOnlyByItsRule() {
        assertInvokedOnlyBy(STACK.clusterCreated(), STACK.createClusterRule());
        Map<String, Map<String, Object>> permissions = TEMPLATE.findResources("AWS::Lambda::Permission");
        // Every invoke permission of the stack names its rule: none is open to a whole service or account.
        assertThat(permissions.values()).map(HardeningTemplateTest::properties)
                .allSatisfy(permission -> assertThat(permission).containsKey("SourceArn"));
    }

    /**
     * The documented redrive (docs/deploy.md, Dead letters) still works: the operator receives and deletes on the
     * dead-letter queues and sends to the grant queue, and no Deny stands in the way; purging stays denied.
     */
    @Test
    void operatorRedrive_isNotDenied_butPurgingIs() {
        Map<String, List<Map<String, Object>>> denies = new LinkedHashMap<>();
        for (var queue : List.of(STACK.grants().queue(), STACK.grants().deadLetterQueue(), STACK.failedEvents())) {
            denies.put(logicalId(queue), TEMPLATE.findResources("AWS::SQS::QueuePolicy").values().stream()
                    .map(HardeningTemplateTest::properties)
                    .filter(policy -> policy.get("Queues").equals(List.of(Map.of("Ref", logicalId(queue)))))
                    .flatMap(policy -> TemplateJson.allStatements(Template.fromJSON(Map.of("Resources", Map.of("P",
                            Map.of("Type", "AWS::SQS::QueuePolicy", "Properties", policy))))).stream())
                    .filter(statement -> "Deny".equals(statement.get("Effect")))
                    .filter(statement -> !Map.of("Bool", Map.of("aws:SecureTransport", "false"))
                            .equals(statement.get("Condition")))
                    .toList());
        }
        String grantQueue = logicalId(STACK.grants().queue());
        denies.forEach((queue, statements) -> {
            List<Object> denied = statements.stream().flatMap(statement -> asList(statement.get("Action")).stream())
                    .toList();
            assertThat(denied).as(queue).contains("sqs:PurgeQueue").doesNotContain("sqs:SendMessage",
                    "sqs:StartMessageMoveTask", "sqs:GetQueueAttributes");
            if (!queue.equals(grantQueue)) {
                assertThat(denied).as(queue).doesNotContain("sqs:ReceiveMessage", "sqs:DeleteMessage");
            }
        });
    }

    /** Tables of record cannot be deleted by hand or by API while deletion protection is on. */
    @Test
    void tables_haveDeletionProtection() {
        TEMPLATE.resourceCountIs("AWS::DynamoDB::Table", 3);
        TEMPLATE.allResourcesProperties("AWS::DynamoDB::Table", Map.of("DeletionProtectionEnabled", true));
    }

    @Test
    void logRetention_isConfigurable() {
        ORGANIZATION.hub().resourceCountIs("AWS::Logs::LogGroup", 6);
        ORGANIZATION.hub().allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 365));
    }

    @Test
    void grantProcessor_isToldTheMemberAccountsAndTheExternalId() throws java.io.IOException {
        assertThat(DeploymentSettings.parse(java.nio.file.Files.readString(ORGANIZATION.stacks().hub()
                .deploymentSettings().directory().resolve(DeploymentSettings.FILE_IN_LAYER))).memberAccounts())
                .containsExactly(TestApps.MEMBER_ACCOUNT, OTHER_MEMBER);
        assertThat(new TemplateValues(ORGANIZATION.hub(), ORGANIZATION.stacks().hub().getStackName())
                .environmentOf(logicalId(ORGANIZATION.stacks().hub().grantProcessor().function())))
                .doesNotContainKey("CROSS_ACCOUNT_EXTERNAL_ID");
        assertThat(DeploymentSettings.parse(java.nio.file.Files.readString(STACK.deploymentSettings().directory()
                .resolve(DeploymentSettings.FILE_IN_LAYER))).memberAccounts()).containsExactly(TestApps.MEMBER_ACCOUNT);
        // Cluster creation verifies member accounts' clusters through the same role (and reads the same file); the
        // sweep reaches no account.
        for (JavaFunction function : List.of(STACK.grantProcessor(), STACK.clusterCreated())) {
            assertThat(new TemplateValues(TEMPLATE, STACK.getStackName()).environmentOf(logicalId(function.function())))
                    .containsEntry("CROSS_ACCOUNT_EXTERNAL_ID", TestApps.EXTERNAL_ID)
                    .containsEntry("DEPLOYMENT_FILE", STACK.deploymentSettings().fileInFunction());
        }
        assertThat(new TemplateValues(TEMPLATE, STACK.getStackName())
                .environmentOf(logicalId(STACK.expirySweep().function())))
                .doesNotContainKeys("DEPLOYMENT_FILE", "CROSS_ACCOUNT_EXTERNAL_ID");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }
}
