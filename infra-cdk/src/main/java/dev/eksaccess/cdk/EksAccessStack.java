package dev.eksaccess.cdk;

import dev.eksaccess.contract.Setting;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.CfnEventBusPolicy;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The hub deployment: CloudTrail CreateCluster events → cluster-creation function → grant queue → grant processor
 * → EKS access entries, the expiry sweep, the two tables, a trail, alarms and a dashboard.
 *
 * <p>Memory and timeouts (docs/deploy.md explains them): the processor gets more memory because Lambda scales
 * CPU with it and it builds the EKS, STS, SQS and DynamoDB clients; its timeout bounds a batch of ten requests of
 * a few EKS calls each, and the queue's visibility timeout is six times that, as AWS advises for SQS sources.
 */
public final class EksAccessStack extends Stack {

    public static final String CLUSTER_CREATED_HANDLER = "dev.eksaccess.handler.ClusterCreatedHandler::handleRequest";
    public static final String GRANT_REQUEST_HANDLER = "dev.eksaccess.handler.GrantRequestHandler::handleRequest";
    public static final String EXPIRY_SWEEP_HANDLER = "dev.eksaccess.handler.ExpirySweepHandler::handleRequest";

    public static final int CREATION_MEMORY_MB = 512;
    public static final Duration CREATION_TIMEOUT = Duration.seconds(30);
    public static final int PROCESSOR_MEMORY_MB = 1024;
    public static final Duration PROCESSOR_TIMEOUT = Duration.seconds(60);
    public static final int SWEEP_MEMORY_MB = 512;
    public static final Duration SWEEP_TIMEOUT = Duration.seconds(60);
    public static final Duration GRANT_QUEUE_VISIBILITY = Duration.seconds(6 * PROCESSOR_TIMEOUT.toSeconds().intValue());
    public static final int PROCESSOR_BATCH_SIZE = 10;
    /** EKS has no published rate limit; five concurrent processors keep bursts of requests well below throttling. */
    public static final int PROCESSOR_MAX_CONCURRENCY = 5;
    /** EventBridge retries delivery (throttling, for example) for up to two hours before dead-lettering. */
    public static final int RULE_RETRY_ATTEMPTS = 8;
    public static final Duration RULE_MAX_EVENT_AGE = Duration.hours(2);

    private final AccessTables tables;
    private final GrantQueue grants;
    private final Queue failedEvents;
    private final JavaFunction clusterCreated;
    private final JavaFunction grantProcessor;
    private final JavaFunction expirySweep;
    private final Monitoring monitoring;
    private final AuditTrail trail;

    public EksAccessStack(Construct scope, String id, StackProps props, DeploymentConfig config) {
        super(scope, id, props);
        this.tables = new AccessTables(this, "Tables");
        this.grants = new GrantQueue(this, "Grants", GRANT_QUEUE_VISIBILITY);
        grants.allowSenders(config.senderPrincipals());
        this.failedEvents = GrantQueue.secureQueue(this, "FailedEvents", GrantQueue.DLQ_RETENTION);

        Code code = Code.fromAsset(config.functionsJar().toString());
        Map<String, String> environment = environment(config);
        this.clusterCreated = new JavaFunction(this, "ClusterCreated", new JavaFunction.Props(CLUSTER_CREATED_HANDLER,
                "Records new EKS clusters and requests their admin bootstrap", CREATION_MEMORY_MB, CREATION_TIMEOUT,
                environment, code, config.xrayTracing()));
        this.grantProcessor = new JavaFunction(this, "GrantProcessor", new JavaFunction.Props(GRANT_REQUEST_HANDLER,
                "Applies grant, revoke and bootstrap requests to EKS access entries", PROCESSOR_MEMORY_MB,
                PROCESSOR_TIMEOUT, environment, code, config.xrayTracing()));
        this.expirySweep = new JavaFunction(this, "ExpirySweep", new JavaFunction.Props(EXPIRY_SWEEP_HANDLER,
                "Requests the revocation of expired time-bound grants", SWEEP_MEMORY_MB, SWEEP_TIMEOUT,
                environment, code, config.xrayTracing()));

        wireClusterCreation();
        wireGrantProcessor(config);
        wireExpirySweep();
        acceptMemberAccountEvents(config.memberAccounts());
        this.trail = config.existingTrail() ? null : new AuditTrail(this, "AuditTrail");

        this.monitoring = new Monitoring(this, "Monitoring", config.alarmEmail());
        monitoring.watchQueueAge("GrantQueue", grants.queue());
        monitoring.watchDeadLetterQueue("GrantDeadLetterQueue", grants.deadLetterQueue());
        monitoring.watchDeadLetterQueue("FailedEventsQueue", failedEvents);
        monitoring.watchFunction("ClusterCreated", clusterCreated.function());
        monitoring.watchFunction("GrantProcessor", grantProcessor.function());
        monitoring.watchFunction("ExpirySweep", expirySweep.function());
        monitoring.addAlarmOverview();

        outputs();
        NagRationale.applyTo(this, config);
    }

    /** The same settings for every function: one configuration, read by each the same way. */
    private Map<String, String> environment(DeploymentConfig config) {
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.put(Setting.REGISTRY_TABLE, tables.registry().getTableName());
        settings.put(Setting.LEDGER_TABLE, tables.ledger().getTableName());
        settings.put(Setting.GRANT_QUEUE_URL, grants.queue().getQueueUrl());
        settings.put(Setting.ADMIN_PRINCIPALS,
                String.join(",", config.adminPrincipals().stream().map(AdminPrincipal::asSetting).toList()));
        settings.put(Setting.CREATOR_ADMIN, Boolean.toString(config.creatorAdmin()));
        settings.put(Setting.ALLOW_AUTH_MODE_SWITCH, Boolean.toString(config.allowAuthModeSwitch()));
        config.crossAccountRoleName().ifPresent(name -> settings.put(Setting.CROSS_ACCOUNT_ROLE_NAME, name));
        settings.put(Setting.ALLOWED_POLICIES, String.join(",", config.allowedPolicies()));
        settings.put(Setting.MAX_GRANT_DURATION, config.maxGrantDuration().toString());
        Map<String, String> variables = new LinkedHashMap<>();
        settings.forEach((setting, value) -> variables.put(setting.variable(), value));
        return variables;
    }

    private void wireClusterCreation() {
        tables.registry().grantReadWriteData(clusterCreated.role());
        tables.ledger().grantReadWriteData(clusterCreated.role());
        grants.queue().grantSendMessages(clusterCreated.role());
        // Function errors: Lambda retries the asynchronous invocation twice, then parks the event here.
        clusterCreated.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(2)
                .maxEventAge(Duration.hours(6))
                .onFailure(new SqsDestination(failedEvents))
                .build());
        // Delivery failures (throttling, permissions): EventBridge retries, then parks the event here.
        Rule.Builder.create(this, "CreateClusterRule")
                .description("CloudTrail CreateCluster calls to EKS (contract CreateClusterEventPattern)")
                .eventPattern(ContractEventPattern.createCluster())
                .targets(List.of(LambdaFunction.Builder.create(clusterCreated.alias())
                        .retryAttempts(RULE_RETRY_ATTEMPTS)
                        .maxEventAge(RULE_MAX_EVENT_AGE)
                        .deadLetterQueue(failedEvents)
                        .build()))
                .build();
    }

    private void wireGrantProcessor(DeploymentConfig config) {
        tables.registry().grantReadWriteData(grantProcessor.role());
        tables.ledger().grantReadWriteData(grantProcessor.role());
        // Sending as well: a request that waits for its cluster may be re-sent with a delay.
        grants.queue().grantSendMessages(grantProcessor.role());
        EksAccessPermissions.statements(this, config.clusterArns(), config.associablePolicies(),
                config.allowAuthModeSwitch()).forEach(grantProcessor.role()::addToPrincipalPolicy);
        config.crossAccountRoleName().ifPresent(name -> grantProcessor.role().addToPrincipalPolicy(
                PolicyStatement.Builder.create()
                        .sid("AssumeMemberAccountRole")
                        .actions(List.of("sts:AssumeRole"))
                        .resources(List.of("arn:" + getPartition() + ":iam::*:role/" + name))
                        .build()));
        grantProcessor.alias().addEventSource(SqsEventSource.Builder.create(grants.queue())
                .batchSize(PROCESSOR_BATCH_SIZE)
                .reportBatchItemFailures(true)
                .maxConcurrency(PROCESSOR_MAX_CONCURRENCY)
                .build());
    }

    private void wireExpirySweep() {
        tables.ledger().grantReadWriteData(expirySweep.role());
        tables.registry().grantReadData(expirySweep.role());
        grants.queue().grantSendMessages(expirySweep.role());
        // A failed sweep is retried by the next one a minute later; errors raise the function's alarm.
        expirySweep.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder().retryAttempts(0).build());
        Rule.Builder.create(this, "ExpirySweepSchedule")
                .description("Finds expired time-bound grants every minute")
                .schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(LambdaFunction.Builder.create(expirySweep.alias())
                        .retryAttempts(0)
                        .maxEventAge(Duration.minutes(1))
                        .build()))
                .build();
    }

    /** Member accounts' spoke stacks forward CreateCluster events to this account's default event bus. */
    private void acceptMemberAccountEvents(List<String> memberAccounts) {
        for (String account : memberAccounts) {
            CfnEventBusPolicy.Builder.create(this, "AcceptEventsFrom" + account)
                    .eventBusName("default")
                    .statementId("EksAccessFrom" + account)
                    .statement(Map.of(
                            "Effect", "Allow",
                            "Principal", Map.of("AWS", "arn:" + getPartition() + ":iam::" + account + ":root"),
                            "Action", "events:PutEvents",
                            "Resource", "arn:" + getPartition() + ":events:" + getRegion() + ":" + getAccount()
                                    + ":event-bus/default"))
                    .build();
        }
    }

    private void outputs() {
        output("GrantQueueUrl", grants.queue().getQueueUrl(), "Send grant and revoke requests here");
        output("GrantQueueArn", grants.queue().getQueueArn(), "For senders' IAM policies");
        output("GrantProcessorRoleArn", grantProcessor.role().getRoleArn(),
                "Trusted by the member accounts' role (spoke context hubRoleArn)");
        output("RegistryTableName", tables.registry().getTableName(), "Clusters seen and their bootstrap status");
        output("LedgerTableName", tables.ledger().getTableName(), "Audit ledger of every access change");
        output("GrantDeadLetterQueueUrl", grants.deadLetterQueue().getQueueUrl(), "Requests that failed for good");
        output("FailedEventsQueueUrl", failedEvents.getQueueUrl(), "CreateCluster events that failed for good");
        output("AlarmTopicArn", monitoring.topic().getTopicArn(), "Alarm notifications");
        output("DashboardName", monitoring.dashboard().getDashboardName(), "CloudWatch dashboard");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    public AccessTables tables() {
        return tables;
    }

    public GrantQueue grants() {
        return grants;
    }

    public Queue failedEvents() {
        return failedEvents;
    }

    public JavaFunction clusterCreated() {
        return clusterCreated;
    }

    public JavaFunction grantProcessor() {
        return grantProcessor;
    }

    public JavaFunction expirySweep() {
        return expirySweep;
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    /** The trail this stack created; null when {@code existingTrail} said one exists. */
    public AuditTrail trail() {
        return trail;
    }
}
