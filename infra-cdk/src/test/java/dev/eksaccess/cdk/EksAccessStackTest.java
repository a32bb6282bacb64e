package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.constructs.IConstruct;

/** The hub stack with everything configured ({@link TestApps#FULL}): resources and their properties. */
// Annotations.findWarning still returns cxapi.SynthesisMessage, which CDK has deprecated.
@SuppressWarnings("deprecation")
class EksAccessStackTest {

    private static final EksAccessStack STACK = TestApps.FULL.stacks().hub();
    private static final Template TEMPLATE = TestApps.FULL.hub();

    @Test
    void createClusterRule_invokesTheCreationAliasWithRetriesAndADeadLetterQueue() {
        TEMPLATE.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Map.of("source", List.of("aws.eks")),
                "Targets", List.of(Map.of(
                        "Arn", ref(STACK.clusterCreated().alias()),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 8, "MaximumEventAgeInSeconds", 7200),
                        "DeadLetterConfig", Map.of("Arn", arn(STACK.failedEvents()))))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", ref(STACK.clusterCreated().function()),
                "MaximumRetryAttempts", 2,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination", arn(STACK.failedEvents())))));
    }

    /**
     * The access-change rule deploys the contract's pattern exactly (one definition), and invokes only the
     * access-change alias, with the creation rule's retries and dead-letter queue.
     */
    @Test
    void accessChangeRule_deploysTheContractsPattern_andInvokesTheAccessChangeAliasWithRetriesAndADeadLetterQueue()
            throws Exception {
        Object pattern = ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) TEMPLATE.toJSON().get("Resources"))
                .get(logicalId(STACK.accessChangeRule()))).get("Properties")).get("EventPattern");
        assertThat((Object) new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(pattern))
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        dev.eksaccess.contract.AccessChangeEventPattern.json()));
        TEMPLATE.hasResourceProperties("AWS::Events::Rule", Map.of(
                "Targets", List.of(Map.of(
                        "Arn", ref(STACK.accessChanges().alias()),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 8, "MaximumEventAgeInSeconds", 7200),
                        "DeadLetterConfig", Map.of("Arn", arn(STACK.failedEvents()))))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", ref(STACK.accessChanges().function()),
                "MaximumRetryAttempts", 2,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination", arn(STACK.failedEvents())))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "FunctionName", ref(STACK.accessChanges().alias()),
                "Principal", "events.amazonaws.com",
                "SourceArn", arn(STACK.accessChangeRule())));
    }

    /**
     * A lockout-risk change raises an alarm to the alarm topic: a metric of the function's lines whose severity is
     * lockout-risk. (Mutation: the filter on "$.severity = harmless" -> this test fails.)
     */
    @Test
    void lockoutRiskAlarm_watchesTheAccessChangeFunctionsLockoutRiskLines_andNotifiesTheAlarmTopic() {
        String metric = "AccessChanges" + Monitoring.LOCKOUT_RISK_METRIC_SUFFIX;
        TEMPLATE.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", ref(STACK.accessChanges().logGroup()),
                "FilterPattern", "{ $.severity = \"" + dev.eksaccess.contract.OutcomeEvents.LOCKOUT_RISK_SEVERITY + "\" }",
                "MetricTransformations", List.of(Map.of(
                        "MetricNamespace", Monitoring.METRIC_NAMESPACE,
                        "MetricName", metric,
                        "MetricValue", "1",
                        "DefaultValue", 0))));
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", Monitoring.METRIC_NAMESPACE,
                "MetricName", metric,
                "Statistic", "Sum",
                "Threshold", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "AlarmActions", List.of(ref(STACK.monitoring().topic()))));
    }

    @Test
    void functions_runJava21OnArmWithSnapStartJsonLogsAndTheirOwnLogGroup() {
        TEMPLATE.resourceCountIs("AWS::Lambda::Function", 6);
        for (Object[] expected : new Object[][] {
                {STACK.clusterCreated(), EksAccessStack.CLUSTER_CREATED_HANDLER, 512, 30},
                {STACK.grantProcessor(), EksAccessStack.GRANT_REQUEST_HANDLER, 1024, 60},
                {STACK.expirySweep(), EksAccessStack.EXPIRY_SWEEP_HANDLER, 512, 60},
                {STACK.reconciler(), EksAccessStack.RECONCILER_HANDLER, 1024, 900},
                {STACK.accessChanges(), EksAccessStack.ACCESS_CHANGE_HANDLER, 512, 30},
                {STACK.adoption(), EksAccessStack.ADOPTION_HANDLER, 512, 600}}) {
            JavaFunction function = (JavaFunction) expected[0];
            TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", expected[1],
                    "Runtime", "java21",
                    "Architectures", List.of("arm64"),
                    "MemorySize", expected[2],
                    "Timeout", expected[3],
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                    "LoggingConfig", Map.of("LogFormat", "JSON", "LogGroup", ref(function.logGroup())),
                    "Role", arn(function.role()),
                    "TracingConfig", Map.of("Mode", "Active")));
        }
        TEMPLATE.resourceCountIs("AWS::Logs::LogGroup", 6);
        TEMPLATE.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
    }

    @Test
    void triggers_invokeTheLiveAliasOfAPublishedVersion() {
        TEMPLATE.resourceCountIs("AWS::Lambda::Alias", 6);
        TEMPLATE.resourceCountIs("AWS::Lambda::Version", 6);
        TEMPLATE.allResourcesProperties("AWS::Lambda::Alias", Map.of(
                "Name", JavaFunction.ALIAS_NAME,
                "FunctionVersion", Map.of("Fn::GetAtt", Match.arrayWith(List.of("Version")))));
        TEMPLATE.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "Targets", List.of(Match.objectLike(Map.of("Arn", ref(STACK.expirySweep().alias()))))));
        TEMPLATE.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", EksAccessStack.DEFAULT_RECONCILE_SCHEDULE,
                "Targets", List.of(Match.objectLike(Map.of("Arn", ref(STACK.reconciler().alias()),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 3600))))));
        TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", Tables.INVENTORY_PARTITION_KEY, "KeyType", "HASH"),
                        Map.of("AttributeName", Tables.INVENTORY_SORT_KEY, "KeyType", "RANGE")),
                "TimeToLiveSpecification", Map.of("AttributeName", Tables.INVENTORY_TTL_ATTRIBUTE, "Enabled", true)));
        TEMPLATE.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "FunctionName", Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(":" + JavaFunction.ALIAS_NAME)))),
                "EventSourceArn", arn(STACK.grants().queue())));
    }

    /** Adoption (docs/adopt.md) runs only when invoked unless adoptionSchedule says otherwise. */
    @Test
    void adoption_hasNoScheduleByDefault_andRunsDailyWhenTheContextSaysSo() {
        TEMPLATE.resourcePropertiesCountIs("AWS::Events::Rule", Map.of("Targets", List.of(Match.objectLike(
                Map.of("Arn", ref(STACK.adoption().alias()))))), 0);
        Map<String, Object> context = new HashMap<>(TestApps.cdkJsonContext());
        context.put("adoptionSchedule", "daily");
        TestApps.Synthesized daily = TestApps.synthesize(context);
        daily.hub().hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 day)",
                "Targets", List.of(Match.objectLike(Map.of("Arn", ref(daily.stacks().hub().adoption().alias()))))));
    }

    /**
     * adoptionAccounts names the member accounts the scheduled adoption looks in (an organizationMembers deployment
     * lists none): the schedule's input. With a member list, an account not on it stops the synth, naming it.
     */
    @Test
    void adoptionAccounts_areTheScheduledRunsInput_andMustBeMemberAccounts() {
        Map<String, Object> context = new HashMap<>(TestApps.fullContext());
        context.put("adoptionSchedule", "daily");
        context.put("adoptionAccounts", List.of(TestApps.MEMBER_ACCOUNT));
        TestApps.Synthesized scheduled = TestApps.synthesize(context);
        scheduled.hub().hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 day)",
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", ref(scheduled.stacks().hub().adoption().alias()),
                        "Input", "{\"accounts\":[\"" + TestApps.MEMBER_ACCOUNT + "\"]}")))));

        context.put("adoptionAccounts", List.of(TestApps.MEMBER_ACCOUNT, "999988887777", "12"));
        ConfigException refused = catchThrowableOfType(ConfigException.class, () -> TestApps.synthesize(context));
        assertThat(refused.problems()).containsExactly(
                "adoptionAccounts: '999988887777' is not one of memberAccounts [" + TestApps.MEMBER_ACCOUNT
                        + "]; adoption looks only in accounts the deployment manages",
                "adoptionAccounts: '12' is not valid; expected " + ContextKey.ADOPTION_ACCOUNTS.expected());
    }

    @Test
    void grantProcessor_readsBatchesAsTheContractSaysReportsItemFailuresAndCapsConcurrency() {
        TEMPLATE.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
        TEMPLATE.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", GrantQueueSettings.BATCH_SIZE,
                "MaximumBatchingWindowInSeconds", (int) GrantQueueSettings.MAX_BATCHING_WINDOW.toSeconds(),
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "ScalingConfig", Map.of("MaximumConcurrency", 5)));
    }

    @Test
    void grantQueue_redrivesAfterTheContractsReceivesWithSixTimesTheProcessorTimeoutAsVisibility() {
        TEMPLATE.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "VisibilityTimeout", 360,
                "SqsManagedSseEnabled", true,
                "RedrivePolicy", Map.of("maxReceiveCount", GrantQueueSettings.MAX_RECEIVE_COUNT,
                        "deadLetterTargetArn", arn(STACK.grants().deadLetterQueue()))));
        assertThat(EksAccessStack.GRANT_QUEUE_VISIBILITY.toSeconds().intValue())
                .isGreaterThanOrEqualTo(6 * EksAccessStack.PROCESSOR_TIMEOUT.toSeconds().intValue());
    }

    @Test
    void everyQueue_isEncryptedAndRefusesPlainHttp() {
        TEMPLATE.resourceCountIs("AWS::SQS::Queue", 3);
        TEMPLATE.allResourcesProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
        for (IConstruct queue : List.of(STACK.grants().queue(), STACK.grants().deadLetterQueue(), STACK.failedEvents())) {
            TEMPLATE.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of(
                    "Queues", List.of(ref(queue)),
                    "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Deny",
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
        }
    }

    @Test
    void nobodyMayPurge_theGrantQueueOrAnyDeadLetterQueue() {
        for (IConstruct queue : List.of(STACK.grants().queue(), STACK.grants().deadLetterQueue(), STACK.failedEvents())) {
            TEMPLATE.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of(
                    "Queues", List.of(ref(queue)),
                    "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Sid", "DenyPurge",
                            "Effect", "Deny",
                            "Principal", Map.of("AWS", "*"),
                            "Action", "sqs:PurgeQueue",
                            "Resource", Map.of("Fn::GetAtt", List.of(logicalId(queue), "Arn")))))))));
        }
    }

    /** Receiving, deleting or hiding a message could drop a revoke before the ledger sees it. */
    @Test
    void onlyTheGrantProcessor_mayReceiveDeleteOrHideGrantQueueMessages() {
        TEMPLATE.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of(
                "Queues", List.of(ref(STACK.grants().queue())),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Sid", "DenyConsumingButTheGrantProcessor",
                        "Effect", "Deny",
                        "Principal", Map.of("AWS", "*"),
                        "Action", GrantQueue.CONSUMER_ACTIONS,
                        "Condition", Map.of("ArnNotEquals", Map.of("aws:PrincipalArn",
                                Map.of("Fn::GetAtt", List.of(logicalId(STACK.grantProcessor().role()), "Arn"))))
                )))))));
        assertThat(TemplateJson.allStatements(TEMPLATE)).noneSatisfy(statement -> assertThat(
                "Allow".equals(statement.get("Effect")) && asList(statement.get("Action")).contains("sqs:PurgeQueue"))
                .isTrue());
    }

    @Test
    void grantQueue_acceptsMessagesFromTheConfiguredPrincipalsAndAccounts() {
        Map<String, Object> senders = TemplateJson.allStatements(TEMPLATE).stream()
                .filter(statement -> "AllowConfiguredSenders".equals(statement.get("Sid"))).findFirst().orElseThrow();

        assertThat(asList(senders.get("Action"))).containsExactlyInAnyOrder(
                "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");
        assertThat(senders.get("Principal").toString())
                .contains(TestApps.SENDER_ROLE).contains(":iam::" + TestApps.SENDER_ACCOUNT + ":root");
    }

    /** Their shape (keys, indexes) is the contract's: {@link TableSchemaTemplateTest}. */
    @Test
    void tables_areOnDemandWithPointInTimeRecoveryEncryptionAndRetained() {
        TEMPLATE.resourceCountIs("AWS::DynamoDB::Table", 3);
        TEMPLATE.allResources("AWS::DynamoDB::Table", Map.of(
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain",
                "Properties", Map.of(
                        "BillingMode", "PAY_PER_REQUEST",
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                        "DeletionProtectionEnabled", true,
                        "SSESpecification", Map.of("SSEEnabled", true))));
    }

    @Test
    void eachFunction_getsTheConfiguredValuesOfTheSettingsItReads() {
        Map<String, Object> expected = Map.ofEntries(
                Map.entry(Setting.REGISTRY_TABLE.variable(), ref(STACK.tables().registry())),
                Map.entry(Setting.LEDGER_TABLE.variable(), ref(STACK.tables().ledger())),
                Map.entry(Setting.INVENTORY_TABLE.variable(), ref(STACK.tables().inventory())),
                Map.entry(Setting.GRANT_QUEUE_URL.variable(), ref(STACK.grants().queue())),
                Map.entry(Setting.DEPLOYMENT_FILE.variable(), "/opt/eks-access/deployment.json"),
                Map.entry(Setting.CREATOR_ADMIN.variable(), "true"),
                Map.entry(Setting.ALLOW_AUTH_MODE_SWITCH.variable(), "true"),
                Map.entry(Setting.CROSS_ACCOUNT_ROLE_NAME.variable(), "eks-access/HubAccess"),
                Map.entry(Setting.CROSS_ACCOUNT_EXTERNAL_ID.variable(), TestApps.EXTERNAL_ID),
                Map.entry(Setting.MAX_GRANT_DURATION.variable(), "PT12H"),
                Map.entry(Setting.ELIGIBILITY_FILE.variable(), "/opt/eks-access/eligibility.json"),
                Map.entry(Setting.CLUSTER_CREATION_ROLE_ARN.variable(), arn(STACK.clusterCreated().role())),
                Map.entry(Setting.EXPIRY_SWEEP_ROLE_ARN.variable(), arn(STACK.expirySweep().role())),
                Map.entry(Setting.GRANT_PROCESSOR_ROLE_ARN.variable(), arn(STACK.grantProcessor().role())),
                Map.entry(Setting.ADOPTION_ROLE_ARN.variable(), arn(STACK.adoption().role())),
                Map.entry(Setting.DRIFT_FUNCTION_ROLE_ARN.variable(), arn(STACK.accessChanges().role())),
                Map.entry(Setting.ADOPTION_REGIONS.variable(), "eu-west-1,us-east-2"),
                Map.entry(Setting.OUTCOME_BUS.variable(), ref(STACK.outcomes().bus())));

        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(Arrays.stream(Setting.values())
                .map(Setting::variable).toList());
        for (Object[] function : new Object[][] {
                {EksAccessStack.CLUSTER_CREATED_HANDLER, EksAccessStack.CLUSTER_CREATION_SETTINGS},
                {EksAccessStack.GRANT_REQUEST_HANDLER, EksAccessStack.GRANT_PROCESSOR_SETTINGS},
                {EksAccessStack.EXPIRY_SWEEP_HANDLER, EksAccessStack.EXPIRY_SWEEP_SETTINGS},
                {EksAccessStack.RECONCILER_HANDLER, EksAccessStack.RECONCILER_SETTINGS},
                {EksAccessStack.ACCESS_CHANGE_HANDLER, EksAccessStack.ACCESS_CHANGE_SETTINGS},
                {EksAccessStack.ADOPTION_HANDLER, EksAccessStack.ADOPTION_SETTINGS}}) {
            @SuppressWarnings("unchecked")
            Set<Setting> reads = (Set<Setting>) function[1];
            Map<String, Object> variables = new HashMap<>(expected);
            variables.keySet().retainAll(reads.stream().map(Setting::variable).toList());
            TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", function[0],
                    "Environment", Map.of("Variables", Match.exact(variables))));
        }
    }

    @Test
    void eligibilityLayer_holdsTheDocumentAsValidated_andOnlyTheGrantProcessorAndTheAccessChangeFunctionHaveIt()
            throws IOException {
        FileLayer eligibility = STACK.eligibility().orElseThrow();
        Object settingsLayer = ref(STACK.deploymentSettings().layer());

        TEMPLATE.resourceCountIs("AWS::Lambda::LayerVersion", 2);
        TEMPLATE.hasResourceProperties("AWS::Lambda::LayerVersion", Map.of(
                "CompatibleRuntimes", List.of("java21"),
                "CompatibleArchitectures", List.of("arm64")));
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", EksAccessStack.GRANT_REQUEST_HANDLER,
                "Layers", Match.arrayEquals(List.of(settingsLayer, ref(eligibility.layer()))),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        Setting.ELIGIBILITY_FILE.variable(), "/opt/eks-access/eligibility.json")))));
        // It reads each rule's drift mode (docs/drift.md, "Repair").
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", EksAccessStack.ACCESS_CHANGE_HANDLER,
                "Layers", Match.arrayEquals(List.of(settingsLayer, ref(eligibility.layer())))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler",
                EksAccessStack.CLUSTER_CREATED_HANDLER, "Layers", List.of(settingsLayer)));
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", EksAccessStack.EXPIRY_SWEEP_HANDLER,
                "Layers", Match.absent()));
        assertThat(eligibility.directory().resolve("eks-access/eligibility.json")).hasContent(
                Files.readString(Path.of(TestApps.ELIGIBILITY)));
    }

    /**
     * {@code cdk deploy} is the document's change process, so an edit must reach the function: a new layer asset,
     * hence a new layer version, and a new published version of the grant processor and the access-change function
     * (SnapStart snapshots versions, and the alias serves the newest). The other functions, which do not read the
     * document, keep theirs.
     */
    @Test
    void changedDocument_publishesANewLayerAndANewGrantProcessorVersion(@TempDir Path temp) throws IOException {
        Path edited = temp.resolve("eligibility.json");
        Files.writeString(edited, Files.readString(Path.of(TestApps.ELIGIBILITY)).replace("\"PT12H\"", "\"PT8H\""));

        TestApps.Synthesized before = TestApps.synthesize(Map.of("eligibility", TestApps.ELIGIBILITY));
        TestApps.Synthesized after = TestApps.synthesize(Map.of("eligibility", edited.toString()));

        assertThat(layerContent(after)).isNotEqualTo(layerContent(before));
        assertThat(versionOf(after, after.stacks().hub().grantProcessor()))
                .isNotEqualTo(versionOf(before, before.stacks().hub().grantProcessor()));
        assertThat(versionOf(after, after.stacks().hub().accessChanges()))
                .isNotEqualTo(versionOf(before, before.stacks().hub().accessChanges()));
        assertThat(versionOf(after, after.stacks().hub().clusterCreated()))
                .isEqualTo(versionOf(before, before.stacks().hub().clusterCreated()));
    }

    private static Object layerContent(TestApps.Synthesized app) {
        return ((Map<?, ?>) app.hub().toJSON().get("Resources")).entrySet().stream()
                .filter(entry -> entry.getKey().equals(logicalId(app.stacks().hub().eligibility().orElseThrow()
                        .layer())))
                .map(entry -> ((Map<?, ?>) ((Map<?, ?>) entry.getValue()).get("Properties")).get("Content"))
                .findFirst().orElseThrow();
    }

    /** The logical id of the function's published version: CDK derives it from a hash of the function. */
    private static String versionOf(TestApps.Synthesized app, JavaFunction function) {
        Map<String, Map<String, Object>> versions = app.hub().findResources("AWS::Lambda::Version", Map.of(
                "Properties", Map.of("FunctionName", ref(function.function()))));
        assertThat(versions).hasSize(1);
        return versions.keySet().iterator().next();
    }

    @Test
    void grantProcessor_createsOnlyStandardEntriesOnThisAccountsClusters() {
        Map<String, Object> create = TemplateJson.statement(TEMPLATE, logicalId(STACK.grantProcessor().role()),
                "CreateStandardAccessEntries");

        assertThat(asList(create.get("Action"))).containsExactly("eks:CreateAccessEntry");
        assertThat(create.get("Condition")).isEqualTo(
                Map.of("StringEquals", Map.of("eks:accessEntryType", "STANDARD")));
        assertThat(asList(create.get("Resource"))).hasSize(2).allSatisfy(resource -> assertThat(resource.toString())
                .contains(":eks:").contains("Ref=AWS::Region").contains("Ref=AWS::AccountId"));
    }

    @Test
    void grantProcessor_associatesOnlyConfiguredPolicies() {
        Map<String, Object> associate = TemplateJson.statement(TEMPLATE, logicalId(STACK.grantProcessor().role()),
                "AssociateAllowedPoliciesOnly");

        assertThat(asList(associate.get("Action")))
                .containsExactlyInAnyOrder("eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy");
        // Requests may ask for View and Edit; the admin bootstrap and creatorAdmin need ClusterAdmin and AdminView.
        assertThat(associate.get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("eks:policyArn", List.of(
                AccessPolicies.arnOf("AmazonEKSViewPolicy"), AccessPolicies.arnOf("AmazonEKSEditPolicy"),
                AccessPolicies.arnOf("AmazonEKSClusterAdminPolicy"), AccessPolicies.arnOf("AmazonEKSAdminViewPolicy")))));
        assertThat(asList(associate.get("Resource"))).singleElement().asString().contains("access-entry/*");
    }

    @Test
    void grantProcessor_switchesAuthenticationModeOnlyToApiAndConfigMap() {
        Map<String, Object> update = TemplateJson.statement(TEMPLATE, logicalId(STACK.grantProcessor().role()),
                "SwitchToApiAndConfigMapOnly");

        assertThat(asList(update.get("Action"))).containsExactly("eks:UpdateClusterConfig");
        assertThat(update.get("Condition")).isEqualTo(
                Map.of("StringEquals", Map.of("eks:authenticationMode", "API_AND_CONFIG_MAP")));
    }

    @Test
    void grantProcessor_managesEntriesAndAssumesOnlyTheConfiguredMemberRole() {
        String role = logicalId(STACK.grantProcessor().role());
        assertThat(asList(TemplateJson.statement(TEMPLATE, role, "ReadClusters").get("Action")))
                .containsExactlyInAnyOrder("eks:DescribeCluster", "eks:ListAccessEntries");
        assertThat(asList(TemplateJson.statement(TEMPLATE, role, "ManageAccessEntries").get("Action")))
                .containsExactlyInAnyOrder("eks:DescribeAccessEntry", "eks:UpdateAccessEntry",
                        "eks:DeleteAccessEntry", "eks:ListAssociatedAccessPolicies", "eks:TagResource");

        Map<String, Object> assume = TemplateJson.statement(TEMPLATE, role, "AssumeMemberAccountRole");
        assertThat(asList(assume.get("Action"))).containsExactly("sts:AssumeRole", "sts:SetSourceIdentity");
        assertThat(asList(assume.get("Resource"))).singleElement().asString()
                .endsWith(":iam::" + TestApps.MEMBER_ACCOUNT + ":role/eks-access/HubAccess]]}");
    }

    /** Changing access is the grant processor's alone: the sweep calls no EKS, cluster creation only reads. */
    @Test
    void onlyTheGrantProcessor_mayChangeEks_clusterCreationOnlyDescribesClusters() {
        assertThat(TemplateJson.statementsOfRole(TEMPLATE, logicalId(STACK.expirySweep().role())))
                .isNotEmpty()
                .flatExtracting(statement -> asList(statement.get("Action")))
                .noneSatisfy(action -> assertThat(action.toString()).startsWith("eks:"))
                .noneSatisfy(action -> assertThat(action.toString()).startsWith("sts:"));
        List<Map<String, Object>> creation = TemplateJson.statementsOfRole(TEMPLATE,
                logicalId(STACK.clusterCreated().role()));
        assertThat(creation).flatExtracting(statement -> asList(statement.get("Action")))
                .filteredOn(action -> action.toString().startsWith("eks:") || action.toString().startsWith("sts:"))
                .containsExactlyInAnyOrder("eks:DescribeCluster", "sts:AssumeRole", "sts:SetSourceIdentity");
        assertThat(asList(TemplateJson.statement(TEMPLATE, logicalId(STACK.clusterCreated().role()),
                "AssumeMemberClusterReaderRole").get("Resource"))).singleElement().asString()
                .endsWith(":iam::" + TestApps.MEMBER_ACCOUNT + ":role/eks-access/HubAccess-reader]]}");
        assertThat(creation).filteredOn(statement -> asList(statement.get("Action")).contains("eks:DescribeCluster"))
                .singleElement().satisfies(statement -> assertThat(statement.get("Resource").toString())
                        .contains(":cluster/*").doesNotContain("iam"));
    }

    @Test
    void noPolicyAnywhere_allowsAWildcardAction_andEveryDenyIsTlsOnlyOrANamedQueueGuard() {
        List<Map<String, Object>> statements = TemplateJson.allStatements(TEMPLATE);
        statements.addAll(TemplateJson.allStatements(TestApps.FULL.spoke()));
        List<Map<String, Object>> allows = statements.stream().filter(s -> "Allow".equals(s.get("Effect"))).toList();
        List<Map<String, Object>> denies = statements.stream().filter(s -> !"Allow".equals(s.get("Effect"))).toList();

        assertThat(allows).hasSizeGreaterThan(20).allSatisfy(statement -> {
            List<Object> actions = asList(statement.get("Action"));
            assertThat(statement).doesNotContainKey("NotAction");
            assertThat(actions).isNotEmpty().allSatisfy(action -> assertThat(action.toString()).doesNotContain("*"));
        });
        // The TLS-only policies deny every action over plain HTTP; a wildcard there takes rights away, never grants.
        // The queue guards deny named actions: purging any queue, consuming the grant queue but by the processor.
        assertThat(denies).isNotEmpty().allSatisfy(statement -> {
            if (statement.get("Sid") != null && List.of("DenyPurge", "DenyConsumingButTheGrantProcessor")
                    .contains(statement.get("Sid").toString())) {
                assertThat(asList(statement.get("Action"))).isNotEmpty()
                        .allSatisfy(action -> assertThat(action.toString()).startsWith("sqs:").doesNotContain("*"));
            } else if (statement.get("Sid") != null && List.of("AuditRecordsAreNeverChanged",
                    "LedgerHasNoBulkOrTableWrites").contains(statement.get("Sid").toString())) {
                // The ledger guards (LedgerPermissions) deny named DynamoDB writes on the ledger.
                assertThat(asList(statement.get("Action"))).isNotEmpty()
                        .allSatisfy(action -> assertThat(action.toString()).startsWith("dynamodb:").doesNotContain("*"));
            } else {
                assertThat(statement.get("Condition")).isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
            }
        });
        // The hub's grant queue and its two dead-letter queues, and the spoke's FailedForwards.
        assertThat(denies).filteredOn(statement -> "DenyPurge".equals(statement.get("Sid"))).hasSize(4);
    }

    @Test
    void outcomeBus_isCreatedNamedAfterTheStack_andOnlyTheGrantProcessorPutsEventsOfTheContractsSource() {
        TEMPLATE.resourceCountIs("AWS::Events::EventBus", 1);
        TEMPLATE.hasResourceProperties("AWS::Events::EventBus", Map.of("Name", "eks-access-outcomes"));
        assertThat(STACK.outcomes().created()).isTrue();

        Map<String, Object> publish = TemplateJson.statement(TEMPLATE, logicalId(STACK.grantProcessor().role()),
                "PublishOutcomeEvents");
        assertThat(asList(publish.get("Action"))).containsExactly("events:PutEvents");
        assertThat(asList(publish.get("Resource"))).containsExactly(arn(STACK.outcomes().bus()));
        assertThat(publish.get("Condition")).isEqualTo(
                Map.of("StringEquals", Map.of("events:source", OutcomeEvents.SOURCE)));
        for (JavaFunction other : List.of(STACK.clusterCreated(), STACK.expirySweep())) {
            assertThat(TemplateJson.statementsOfRole(TEMPLATE, logicalId(other.role())))
                    .flatExtracting(statement -> asList(statement.get("Action"))).doesNotContain("events:PutEvents");
        }
        TEMPLATE.hasOutput("OutcomeBusName", Map.of("Value", ref(STACK.outcomes().bus())));
        TEMPLATE.hasOutput("OutcomeBusArn", Map.of("Value", arn(STACK.outcomes().bus())));
    }

    /** IamPrincipalIds: GetRole on the functions' roles and on every role the document names, on nothing else. */
    @Test
    void grantProcessor_mayReadExactlyTheConfiguredSendersFromIam() {
        String role = logicalId(STACK.grantProcessor().role());
        Map<String, Object> internal = TemplateJson.statement(TEMPLATE, role, "ResolveInternalSenders");
        assertThat(asList(internal.get("Action"))).containsExactly("iam:GetRole");
        assertThat(asList(internal.get("Resource"))).containsExactly(arn(STACK.clusterCreated().role()),
                arn(STACK.expirySweep().role()), arn(STACK.grantProcessor().role()), arn(STACK.adoption().role()));

        Map<String, Object> eligibility = TemplateJson.statement(TEMPLATE, role, "ResolveEligibilityRoles1");
        assertThat(asList(eligibility.get("Action"))).containsExactly("iam:GetRole");
        assertThat(asList(eligibility.get("Resource"))).containsExactlyElementsOf(
                TestApps.eligibilityDocument().identities());
        assertThat(TemplateJson.statementsOfRole(TEMPLATE, role))
                .filteredOn(statement -> asList(statement.get("Action")).toString().contains("iam:"))
                .hasSize(2);
    }

    @Test
    void expirySweep_queriesOnlyThePendingPartitionOfTheLedgerTable() {
        Map<String, Object> find = TemplateJson.statement(TEMPLATE, logicalId(STACK.expirySweep().role()),
                "FindExpiredApprovals");

        assertThat(asList(find.get("Action"))).containsExactly("dynamodb:Query");
        assertThat(asList(find.get("Resource"))).containsExactly(arn(STACK.tables().ledger()));
        assertThat(find.get("Condition")).isEqualTo(Map.of("ForAllValues:StringEquals",
                Map.of("dynamodb:LeadingKeys", List.of(EksAccessStack.PENDING_APPROVALS_PARTITION))));
    }

    /** What teams attach to run eks-access status, pending, inventory and who-can: read-only. */
    @Test
    void requestStatusPolicy_queriesTheByRequestIndexAndThePendingPartition_andIsAnOutput() {
        List<Map<String, Object>> statements = TemplateJson.statementsOfManagedPolicy(TEMPLATE,
                logicalId(STACK.requestStatusPolicy()));

        assertThat(statements).hasSize(3).allSatisfy(statement ->
                assertThat(statement.get("Effect")).isEqualTo("Allow"));
        assertThat(statements.subList(0, 2)).allSatisfy(statement ->
                assertThat(asList(statement.get("Action"))).containsExactly("dynamodb:Query"));
        assertThat(asList(statements.get(2).get("Action"))).containsExactly("dynamodb:GetItem", "dynamodb:Query");
        assertThat(asList(statements.get(2).get("Resource"))).containsExactly(arn(STACK.tables().inventory()));
        assertThat(statements.get(0).get("Resource").toString())
                .contains(logicalId(STACK.tables().ledger())).endsWith("/index/" + Tables.LEDGER_BY_REQUEST_INDEX + "]]}");
        assertThat(statements.get(0)).doesNotContainKey("Condition");
        assertThat(asList(statements.get(1).get("Resource"))).containsExactly(arn(STACK.tables().ledger()));
        assertThat(statements.get(1).get("Condition")).isEqualTo(Map.of("ForAllValues:StringEquals",
                Map.of("dynamodb:LeadingKeys", List.of(EksAccessStack.PENDING_APPROVALS_PARTITION))));
        TEMPLATE.hasResourceProperties("AWS::IAM::ManagedPolicy", Map.of(
                "PolicyDocument", Match.anyValue(), "Roles", Match.absent(), "Users", Match.absent(),
                "Groups", Match.absent()));
        TEMPLATE.hasOutput("RequestStatusPolicyArn", Map.of("Value", ref(STACK.requestStatusPolicy())));
    }

    /** A break-glass rule is legitimate, but synth says so, by name, every time. */
    @Test
    void breakGlassRules_areNamedInASynthWarning() {
        List<SynthesisMessage> warnings = Annotations.fromStack(STACK).findWarning("*",
                Match.stringLikeRegexp(".*" + EksAccessStack.BREAK_GLASS_WARNING + ".*"));

        assertThat(warnings).singleElement().satisfies(warning -> assertThat(warning.getEntry().getData().toString())
                .contains("has break-glass rule break-glass:").contains("every use raises the alarm"));
        assertThat(Annotations.fromStack(STACK).findWarning("*",
                Match.stringLikeRegexp(".*" + EksAccessStack.NO_ELIGIBILITY_WARNING + ".*"))).isEmpty();
    }

    @Test
    void trail_logsManagementEventsToAnEncryptedTlsOnlyBucketWithAccessLogs() {
        TEMPLATE.resourceCountIs("AWS::CloudTrail::Trail", 1);
        TEMPLATE.hasResourceProperties("AWS::CloudTrail::Trail", Map.of(
                "IsLogging", true,
                "IsMultiRegionTrail", true,
                "EnableLogFileValidation", true,
                "S3BucketName", ref(STACK.trail().bucket())));
        TEMPLATE.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "LoggingConfiguration", Map.of("DestinationBucketName", ref(STACK.trail().accessLogs())),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "RestrictPublicBuckets", true)));
        TEMPLATE.allResourcesProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void alarms_watchDeadLetterQueuesErrorsThrottlesErrorLinesAndMessageAge() {
        // 2 dead-letter queues, 6 functions × 3, the queue's age, the tamper pipe's failures (LedgerTamperAlarmTest),
        // the lockout-risk changes (lockoutRiskAlarm_…), stopped drift restores
        TEMPLATE.resourceCountIs("AWS::CloudWatch::Alarm", 24);
        for (IConstruct dlq : List.of(STACK.grants().deadLetterQueue(), STACK.failedEvents())) {
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "MetricName", "ApproximateNumberOfMessagesVisible",
                    "Dimensions", List.of(Map.of("Name", "QueueName", "Value",
                            Map.of("Fn::GetAtt", List.of(logicalId(dlq), "QueueName")))),
                    "Threshold", 1,
                    "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                    "AlarmActions", List.of(ref(STACK.monitoring().topic()))));
        }
        for (JavaFunction function : List.of(STACK.clusterCreated(), STACK.grantProcessor(), STACK.expirySweep(),
                STACK.reconciler(),
                STACK.accessChanges(),
                STACK.adoption())) {
            for (String metric : List.of("Errors", "Throttles")) {
                TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                        "MetricName", metric,
                        "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(function.function()))),
                        "Threshold", 1,
                        "AlarmActions", List.of(ref(STACK.monitoring().topic()))));
            }
        }
        Map<String, JavaFunction> byName = Map.of("ClusterCreated", STACK.clusterCreated(),
                "GrantProcessor", STACK.grantProcessor(), "ExpirySweep", STACK.expirySweep(),
                "AccessChanges", STACK.accessChanges());
        for (Map.Entry<String, JavaFunction> function : byName.entrySet()) {
            TEMPLATE.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                    "LogGroupName", ref(function.getValue().logGroup()),
                    "FilterPattern", "{ $.level = \"ERROR\" }",
                    "MetricTransformations", List.of(Map.of(
                            "MetricNamespace", Monitoring.METRIC_NAMESPACE,
                            "MetricName", function.getKey() + "LoggedErrors",
                            "MetricValue", "1",
                            "DefaultValue", 0))));
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "Namespace", Monitoring.METRIC_NAMESPACE,
                    "MetricName", function.getKey() + "LoggedErrors",
                    "Threshold", 1,
                    "AlarmActions", List.of(ref(STACK.monitoring().topic()))));
        }
        TEMPLATE.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", ref(STACK.grantProcessor().logGroup()),
                "FilterPattern", "{ $.errorType = \"DriftRestoreStopped\" }",
                "MetricTransformations", List.of(Map.of("MetricNamespace", Monitoring.METRIC_NAMESPACE,
                        "MetricName", "DriftRestoreStopped", "MetricValue", "1", "DefaultValue", 0))));
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", Monitoring.METRIC_NAMESPACE,
                "MetricName", "DriftRestoreStopped",
                "Threshold", 1,
                "AlarmActions", List.of(ref(STACK.monitoring().topic()))));
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateAgeOfOldestMessage",
                "Threshold", 1800,
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value",
                        Map.of("Fn::GetAtt", List.of(logicalId(STACK.grants().queue()), "QueueName"))))));
    }

    @Test
    void alarmTopic_isKmsEncryptedTlsOnlyAndMailsTheConfiguredAddress() {
        TEMPLATE.hasResourceProperties("AWS::SNS::Topic", Map.of(
                "KmsMasterKeyId", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("Arn"))))));
        TEMPLATE.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Endpoint", "platform-oncall@example.com",
                "Protocol", "email",
                "TopicArn", ref(STACK.monitoring().topic())));
        TEMPLATE.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
        TEMPLATE.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("PolicyDocument", Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
        TEMPLATE.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    }

    @Test
    void hubBus_acceptsEventsFromMemberAccounts() {
        TEMPLATE.hasResourceProperties("AWS::Events::EventBusPolicy", Map.of(
                "EventBusName", "default",
                "Statement", Match.objectLike(Map.of("Effect", "Allow", "Action", "events:PutEvents"))));
        assertThat(TEMPLATE.findResources("AWS::Events::EventBusPolicy").toString())
                .contains(":iam::" + TestApps.MEMBER_ACCOUNT + ":root");
        TEMPLATE.hasOutput("GrantProcessorRoleArn", Map.of("Value", arn(STACK.grantProcessor().role())));
    }

    /**
     * CloudFormation refuses a template whose resources refer to each other in a circle, and synth does not check:
     * the grant processor's environment and policy name the other functions' roles and the bus, so check here.
     */
    @Test
    void templates_haveNoDependencyCycle() {
        for (Template template : List.of(TEMPLATE, TestApps.FULL.spoke(), TestApps.minimal().hub())) {
            Map<String, Set<String>> dependsOn = dependencies(template);
            Set<String> done = new HashSet<>();
            for (String resource : dependsOn.keySet()) {
                assertThat(cycleFrom(resource, dependsOn, new ArrayList<>(), done)).as("cycle").isEmpty();
            }
        }
        // The check itself finds one.
        assertThat(cycleFrom("A", Map.of("A", Set.of("B"), "B", Set.of("C"), "C", Set.of("A")), new ArrayList<>(),
                new HashSet<>())).containsExactly("A", "B", "C", "A");
    }

    /** Each resource's references (Ref, Fn::GetAtt, DependsOn) to other resources of the template. */
    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> dependencies(Template template) {
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        Map<String, Set<String>> dependsOn = new HashMap<>();
        resources.forEach((id, resource) -> {
            Set<String> targets = new HashSet<>();
            collectReferences(resource, targets);
            targets.retainAll(resources.keySet());
            dependsOn.put(id, targets);
        });
        return dependsOn;
    }

    private static void collectReferences(Object node, Set<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("Ref".equals(key) && value instanceof String target) {
                    into.add(target);
                } else if ("Fn::GetAtt".equals(key) && value instanceof List<?> target) {
                    into.add(String.valueOf(target.get(0)));
                } else if ("DependsOn".equals(key)) {
                    asList(value).forEach(target -> into.add(String.valueOf(target)));
                } else {
                    collectReferences(value, into);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectReferences(item, into));
        }
    }

    /** A path that comes back to a resource on it, or empty. */
    private static List<String> cycleFrom(String resource, Map<String, Set<String>> dependsOn, List<String> path,
                                          Set<String> done) {
        if (path.contains(resource)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(resource), path.size()));
            cycle.add(resource);
            return cycle;
        }
        if (done.contains(resource)) {
            return List.of();
        }
        path.add(resource);
        for (String next : dependsOn.getOrDefault(resource, Set.of())) {
            List<String> cycle = cycleFrom(next, dependsOn, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        done.add(resource);
        return List.of();
    }

    static String logicalId(IConstruct construct) {
        IConstruct resource = construct instanceof CfnElement ? construct : construct.getNode().getDefaultChild();
        return Stack.of(construct).getLogicalId((CfnElement) resource);
    }

    static Map<String, Object> ref(IConstruct construct) {
        return Map.of("Ref", logicalId(construct));
    }

    static Map<String, Object> arn(IConstruct construct) {
        return Map.of("Fn::GetAtt", List.of(logicalId(construct), "Arn"));
    }
}
