package dev.eksaccess.cdk;

import dev.eksaccess.contract.CreateClusterEventPattern;
import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.DriftMode;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.contract.eligibility.EligibilityRule;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.Optional;
import java.util.Set;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.CfnEventBusPolicy;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The hub deployment: CloudTrail CreateCluster events → cluster-creation function → grant queue → grant processor
 * → EKS access entries, the expiry sweep, the two tables, the outcome bus, a trail, alarms and a dashboard, and a
 * read-only managed policy for teams' {@code eks-access status} and {@code eks-access pending}.
 *
 * <p>Memory and timeouts (docs/deploy.md explains them): the processor gets more memory because Lambda scales
 * CPU with it and it builds the EKS, STS, SQS and DynamoDB clients; its timeout bounds a batch of ten requests of
 * a few EKS calls each, and the queue's visibility timeout is six times that, as AWS advises for SQS sources.
 *
 * <p>Each function gets the settings its configuration reads and the IAM actions its adapters call, nothing more:
 * {@code FunctionWiringTest} builds the functions' own configuration from the synthesized environment, and
 * {@code FunctionIamWiringTest} checks every SDK call of the adapters against the roles' statements.
 */
public final class EksAccessStack extends Stack {

    public static final String CLUSTER_CREATED_HANDLER = "dev.eksaccess.handler.ClusterCreatedHandler::handleRequest";
    public static final String GRANT_REQUEST_HANDLER = "dev.eksaccess.handler.GrantRequestHandler::handleRequest";
    public static final String EXPIRY_SWEEP_HANDLER = "dev.eksaccess.handler.ExpirySweepHandler::handleRequest";
    public static final String RECONCILER_HANDLER = "dev.eksaccess.handler.ReconcilerHandler::handleRequest";
    /** Reads every registered cluster's entries one after another: Lambda's longest timeout. */
    public static final int RECONCILER_MEMORY_MB = 1024;
    public static final Duration RECONCILER_TIMEOUT = Duration.minutes(15);
    /** When the reconciliation runs unless {@code reconcileSchedule} says otherwise. */
    public static final String DEFAULT_RECONCILE_SCHEDULE = "rate(1 day)";
    public static final String ACCESS_CHANGE_HANDLER = "dev.eksaccess.handler.AccessChangeHandler::handleRequest";

    public static final int CREATION_MEMORY_MB = 512;
    public static final Duration CREATION_TIMEOUT = Duration.seconds(30);
    public static final int PROCESSOR_MEMORY_MB = 1024;
    public static final Duration PROCESSOR_TIMEOUT = Duration.seconds(60);
    public static final String ADOPTION_HANDLER = "dev.eksaccess.handler.AdoptionHandler::handleRequest";
    public static final int ADOPTION_MEMORY_MB = 512;
    /** Lists every account and region and looks up CloudTrail: minutes for a large organisation. */
    public static final Duration ADOPTION_TIMEOUT = Duration.minutes(10);
    public static final int SWEEP_MEMORY_MB = 512;
    public static final Duration SWEEP_TIMEOUT = Duration.seconds(60);
    public static final int ACCESS_CHANGE_MEMORY_MB = 512;
    /** A few EKS reads (the entries holding cluster admin, each holder's policies), a put and an event. */
    public static final Duration ACCESS_CHANGE_TIMEOUT = Duration.seconds(30);
    public static final Duration GRANT_QUEUE_VISIBILITY = Duration.seconds(6 * PROCESSOR_TIMEOUT.toSeconds().intValue());
    /** EKS has no published rate limit; five concurrent processors keep bursts of requests well below throttling. */
    public static final int PROCESSOR_MAX_CONCURRENCY = 5;
    /** The ledger partition of grants waiting for approval, which {@code dynamodb:LeadingKeys} conditions name. */
    public static final String PENDING_APPROVALS_PARTITION = Tables.LEDGER_PENDING_PARTITION;
    /** Warning ids ({@code cdk synth} shows them; {@code Annotations.acknowledgeWarning} silences them). */
    public static final String NO_ELIGIBILITY_WARNING = "eks-access:noEligibilityDocument";
    public static final String BREAK_GLASS_WARNING = "eks-access:breakGlassRules";
    /** EventBridge retries delivery (throttling, for example) for up to two hours before dead-lettering. */
    public static final int RULE_RETRY_ATTEMPTS = 8;
    public static final Duration RULE_MAX_EVENT_AGE = Duration.hours(2);

    /** What the cluster-creation function reads ({@code ClusterCreationConfig}): no ledger, no request rules. */
    static final Set<Setting> CLUSTER_CREATION_SETTINGS = EnumSet.of(Setting.REGISTRY_TABLE, Setting.GRANT_QUEUE_URL,
            Setting.DEPLOYMENT_FILE, Setting.CREATOR_ADMIN, Setting.ALLOW_AUTH_MODE_SWITCH,
            Setting.CROSS_ACCOUNT_ROLE_NAME, Setting.CROSS_ACCOUNT_EXTERNAL_ID);
    /** What the adoption function reads ({@code AdoptionConfig}): the cluster-creation function's, and its regions. */
    static final Set<Setting> ADOPTION_SETTINGS = EnumSet.of(Setting.REGISTRY_TABLE, Setting.GRANT_QUEUE_URL,
            Setting.DEPLOYMENT_FILE, Setting.CREATOR_ADMIN, Setting.ALLOW_AUTH_MODE_SWITCH,
            Setting.CROSS_ACCOUNT_ROLE_NAME, Setting.CROSS_ACCOUNT_EXTERNAL_ID, Setting.ADOPTION_REGIONS);
    /** What the grant processor reads ({@code GrantProcessorConfig}): every setting but the inventory's and the adoption's regions. */
    static final Set<Setting> GRANT_PROCESSOR_SETTINGS = EnumSet.complementOf(EnumSet.of(Setting.INVENTORY_TABLE,
            Setting.ADOPTION_REGIONS));
    /** What the expiry sweep reads ({@code ExpirySweepHandler}): where grants are scheduled, where revokes go. */
    static final Set<Setting> EXPIRY_SWEEP_SETTINGS = EnumSet.of(Setting.LEDGER_TABLE, Setting.GRANT_QUEUE_URL);
    /** What the reconciliation reads ({@code ReconcilerConfig}): the clusters, their grants, the inventory, members. */
    static final Set<Setting> RECONCILER_SETTINGS = EnumSet.of(Setting.REGISTRY_TABLE, Setting.LEDGER_TABLE,
            Setting.INVENTORY_TABLE, Setting.DEPLOYMENT_FILE, Setting.CROSS_ACCOUNT_ROLE_NAME,
            Setting.CROSS_ACCOUNT_EXTERNAL_ID);
    /**
     * What the access-change function reads ({@code AccessChangeConfig}): where to record, the creators, whose calls
     * are the system's own (the grant processor's role, the member role), member accounts, the outcome bus, and for
     * {@code drift: restore} the grant queue and the eligibility document (each rule's drift mode).
     */
    static final Set<Setting> ACCESS_CHANGE_SETTINGS = EnumSet.of(Setting.LEDGER_TABLE, Setting.REGISTRY_TABLE,
            Setting.DEPLOYMENT_FILE, Setting.CROSS_ACCOUNT_ROLE_NAME, Setting.CROSS_ACCOUNT_EXTERNAL_ID,
            Setting.OUTCOME_BUS, Setting.GRANT_PROCESSOR_ROLE_ARN, Setting.GRANT_QUEUE_URL, Setting.ELIGIBILITY_FILE);

    private final AccessTables tables;
    private final GrantQueue grants;
    private final Queue failedEvents;
    private final JavaFunction clusterCreated;
    private final JavaFunction grantProcessor;
    private final JavaFunction expirySweep;
    private final JavaFunction reconciler;
    private final JavaFunction accessChanges;
    private final JavaFunction adoption;
    private final Monitoring monitoring;
    private final LedgerTamperAlarm tamperAlarm;
    private final AuditTrail trail;
    private final FileLayer eligibility;
    private final FileLayer deploymentSettings;
    private final OutcomeBus outcomes;
    private final ManagedPolicy requestStatusPolicy;
    private final Optional<IKey> dataKey;
    private Rule createClusterRule;
    private Rule accessChangeRule;

    public EksAccessStack(Construct scope, String id, StackProps props, DeploymentConfig config) {
        super(scope, id, props);
        // kmsKey: one customer managed key for queues, tables, alarm topic and logs; none: AWS managed keys.
        this.dataKey = config.kmsKey().map(key -> DataKey.of(this, key,
                GrantQueue.principalsOf(config.senderPrincipals())));
        this.tables = new AccessTables(this, "Tables", dataKey);
        this.grants = new GrantQueue(this, "Grants", GRANT_QUEUE_VISIBILITY, dataKey);
        grants.allowSenders(config.senderPrincipals());
        if (config.organizationMembers()) {
            grants.allowOrganization(config.organizationId().orElseThrow());
        }
        this.failedEvents = GrantQueue.secureQueue(this, "FailedEvents", GrantQueue.DLQ_RETENTION, dataKey);

        this.outcomes = new OutcomeBus(this, "Outcomes", config.outcomeBus());

        Code code = Code.fromAsset(config.functionsJar().toString());
        // Admin principals, allowed policies and member accounts grow with the organisation: one file in a layer,
        // checked by synth with the functions' parser (ContextParser), read once at start. Not the sweep's business.
        this.deploymentSettings = new FileLayer(this, "DeploymentSettings", DeploymentSettings.FILE_IN_LAYER,
                config.deploymentSettings().toJson(), "EKS access deployment settings, " + DeploymentSettings.FILE_IN_LAYER
                        + ", as validated by cdk synth");
        Map<Setting, String> settings = settings(config);
        RetentionDays retention = JavaFunction.logRetention(config.logRetentionDays());
        this.clusterCreated = new JavaFunction(this, "ClusterCreated", new JavaFunction.Props(CLUSTER_CREATED_HANDLER,
                "Records new EKS clusters and requests their admin bootstrap", CREATION_MEMORY_MB, CREATION_TIMEOUT,
                environment(settings, CLUSTER_CREATION_SETTINGS), code, config.xrayTracing(), retention, dataKey));
        this.expirySweep = new JavaFunction(this, "ExpirySweep", new JavaFunction.Props(EXPIRY_SWEEP_HANDLER,
                "Requests the revocation of expired time-bound grants", SWEEP_MEMORY_MB, SWEEP_TIMEOUT,
                environment(settings, EXPIRY_SWEEP_SETTINGS), code, config.xrayTracing(), retention, dataKey));
        this.reconciler = new JavaFunction(this, "Reconciler", new JavaFunction.Props(RECONCILER_HANDLER,
                "Compares every registered cluster's access entries with the grant states; writes the inventory",
                RECONCILER_MEMORY_MB, RECONCILER_TIMEOUT, environment(settings, RECONCILER_SETTINGS), code,
                config.xrayTracing(), retention, dataKey));
        reconciler.function().addLayers(deploymentSettings.layer());
        // The processor trusts bootstrap messages only from the first role and expiry messages only from the second.
        // Created before it, so that its environment can name them; nothing of theirs refers to the processor.
        settings.put(Setting.CLUSTER_CREATION_ROLE_ARN, clusterCreated.role().getRoleArn());
        settings.put(Setting.EXPIRY_SWEEP_ROLE_ARN, expirySweep.role().getRoleArn());
        // Adopts clusters that existed before the system (docs/adopt.md); the processor trusts its bootstraps too.
        AdoptionSettings adoptionSettings = AdoptionSettings.from(this, config.memberAccounts(),
                config.organizationMembers());
        if (!adoptionSettings.regions().isEmpty()) {
            settings.put(Setting.ADOPTION_REGIONS, String.join(",", adoptionSettings.regions()));
        }
        this.adoption = new JavaFunction(this, "Adoption", new JavaFunction.Props(ADOPTION_HANDLER,
                "Registers and bootstraps EKS clusters that existed before eks-access", ADOPTION_MEMORY_MB,
                ADOPTION_TIMEOUT, environment(settings, ADOPTION_SETTINGS), code, config.xrayTracing(), retention, dataKey));
        settings.put(Setting.ADOPTION_ROLE_ARN, adoption.role().getRoleArn());
        this.grantProcessor = new JavaFunction(this, "GrantProcessor", new JavaFunction.Props(GRANT_REQUEST_HANDLER,
                "Applies grant, revoke and bootstrap requests to EKS access entries", PROCESSOR_MEMORY_MB,
                PROCESSOR_TIMEOUT, environment(settings, GRANT_PROCESSOR_SETTINGS), code, config.xrayTracing(), retention,
                dataKey));
        // Its own role, from which it accepts the copies of a bootstrap waiting for its cluster (BootstrapWaits).
        grantProcessor.function().addEnvironment(Setting.GRANT_PROCESSOR_ROLE_ARN.variable(),
                grantProcessor.role().getRoleArn());
        // The grant processor decides requests with the document (Setting.ELIGIBILITY_FILE); the access-change
        // function reads only each rule's drift mode from it.
        this.eligibility = config.eligibility().map(file -> new FileLayer(this, "Eligibility",
                EligibilityFile.FILE_IN_LAYER, file.text(), "EKS access eligibility document, "
                        + EligibilityFile.FILE_IN_LAYER + ", as validated by cdk synth")).orElse(null);
        if (eligibility != null) {
            grantProcessor.function().addLayers(eligibility.layer());
        }
        // Reads every change others make to cluster access (docs/drift.md); needs the processor's role to skip its calls.
        settings.put(Setting.GRANT_PROCESSOR_ROLE_ARN, grantProcessor.role().getRoleArn());
        this.accessChanges = new JavaFunction(this, "AccessChanges", new JavaFunction.Props(ACCESS_CHANGE_HANDLER,
                "Records and judges changes others make to EKS cluster access", ACCESS_CHANGE_MEMORY_MB,
                ACCESS_CHANGE_TIMEOUT, environment(settings, ACCESS_CHANGE_SETTINGS), code, config.xrayTracing(),
                retention, dataKey));
        if (eligibility != null) {
            accessChanges.function().addLayers(eligibility.layer());
        }
        // The processor applies restore requests only from this role (docs/drift.md, "Repair").
        grantProcessor.function().addEnvironment(Setting.DRIFT_FUNCTION_ROLE_ARN.variable(),
                accessChanges.role().getRoleArn());
        clusterCreated.function().addLayers(deploymentSettings.layer());
        grantProcessor.function().addLayers(deploymentSettings.layer());
        accessChanges.function().addLayers(deploymentSettings.layer());
        adoption.function().addLayers(deploymentSettings.layer());
        warnAboutEligibility(config.eligibility());

        wireClusterCreation(config);
        wireGrantProcessor(config);
        wireExpirySweep();
        wireReconciler(config);
        wireAccessChanges(config);
        wireAdoption(config, adoptionSettings);
        this.requestStatusPolicy = newRequestStatusPolicy();
        acceptMemberAccountEvents(config);
        this.trail = config.existingTrail() ? null : new AuditTrail(this, "AuditTrail");

        this.monitoring = new Monitoring(this, "Monitoring", config.alarmEmail(), dataKey);
        monitoring.watchQueueAge("GrantQueue", grants.queue());
        monitoring.watchDeadLetterQueue("GrantDeadLetterQueue", grants.deadLetterQueue());
        monitoring.watchDeadLetterQueue("FailedEventsQueue", failedEvents);
        monitoring.watchFunction("ClusterCreated", clusterCreated.function(), clusterCreated.logGroup());
        monitoring.watchFunction("GrantProcessor", grantProcessor.function(), grantProcessor.logGroup());
        monitoring.watchErrorType(DriftMode.RESTORE_STOPPED, grantProcessor.logGroup(), DriftMode.RESTORE_STOPPED,
                "a drift restore was stopped: the same access entry was changed back twice within the restore window "
                        + "(docs/drift.md, Repair); a person must decide which access is right");
        monitoring.watchFunction("ExpirySweep", expirySweep.function(), expirySweep.logGroup());
        monitoring.watchFunction("Reconciler", reconciler.function(), reconciler.logGroup());
        monitoring.watchFunction("AccessChanges", accessChanges.function(), accessChanges.logGroup());
        monitoring.watchLockoutRisks("AccessChanges", accessChanges.logGroup());
        monitoring.watchFunction("Adoption", adoption.function(), adoption.logGroup());
        // What IAM cannot refuse (a PutItem over an audit record, a table administrator's change) raises an alarm.
        this.tamperAlarm = new LedgerTamperAlarm(this, "LedgerTamperAlarm", tables.ledger(), monitoring, dataKey);
        monitoring.watchPipe("LedgerTamperPipe", tamperAlarm.pipe().getRef());
        monitoring.addAlarmOverview();

        outputs();
        NagRationale.applyTo(this, config);
    }

    /** Every setting's value in this deployment; each function gets the ones it reads. */
    private Map<Setting, String> settings(DeploymentConfig config) {
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.put(Setting.REGISTRY_TABLE, tables.registry().getTableName());
        settings.put(Setting.LEDGER_TABLE, tables.ledger().getTableName());
        settings.put(Setting.INVENTORY_TABLE, tables.inventory().getTableName());
        settings.put(Setting.GRANT_QUEUE_URL, grants.queue().getQueueUrl());
        settings.put(Setting.DEPLOYMENT_FILE, deploymentSettings.fileInFunction());
        settings.put(Setting.CREATOR_ADMIN, Boolean.toString(config.creatorAdmin()));
        settings.put(Setting.ALLOW_AUTH_MODE_SWITCH, Boolean.toString(config.allowAuthModeSwitch()));
        config.crossAccountRoleName().ifPresent(name -> settings.put(Setting.CROSS_ACCOUNT_ROLE_NAME, name));
        config.crossAccountExternalId().ifPresent(id -> settings.put(Setting.CROSS_ACCOUNT_EXTERNAL_ID, id));
        settings.put(Setting.MAX_GRANT_DURATION, config.maxGrantDuration().toString());
        config.eligibility().ifPresent(file ->
                settings.put(Setting.ELIGIBILITY_FILE, FileLayer.LAMBDA_LAYERS + EligibilityFile.FILE_IN_LAYER));
        settings.put(Setting.OUTCOME_BUS, outcomes.setting());
        return settings;
    }

    private static Map<String, String> environment(Map<Setting, String> settings, Set<Setting> read) {
        Map<String, String> variables = new LinkedHashMap<>();
        settings.forEach((setting, value) -> {
            if (read.contains(setting)) {
                variables.put(setting.variable(), value);
            }
        });
        return variables;
    }

    private void wireClusterCreation(DeploymentConfig config) {
        useDataKey(clusterCreated);
        // DynamoClusterRegistry: putIfAbsent and replace are conditional PutItems, find a consistent GetItem.
        allow(clusterCreated, "RecordClusters", List.of(tables.registry().getTableArn()),
                "dynamodb:GetItem", "dynamodb:PutItem");
        // SqsBootstrapQueue: the bootstrap request for the grant processor. Access changes are the processor's.
        allow(clusterCreated, "SendBootstrapRequests", List.of(grants.queue().getQueueArn()), "sqs:SendMessage");
        // EksClusterLookup: every CreateCluster event is checked against DescribeCluster (read-only) before anything
        // is recorded, for any cluster of this account and region an event may name.
        allow(clusterCreated, "VerifyCreatedClusters", List.of("arn:" + getPartition() + ":eks:" + getRegion() + ":"
                + getAccount() + ":cluster/*"), "eks:DescribeCluster");
        // Member accounts' clusters are checked through their read-only spoke role (NAME-reader), never the grant
        // processor's; the session names the function (SetSourceIdentity), as that role's trust requires.
        assumeMemberRoles(clusterCreated, config, IamRoleName::clusterReader, "AssumeMemberClusterReaderRole",
                "sts:AssumeRole", "sts:SetSourceIdentity");
        this.createClusterRule = invokeFromRule(clusterCreated, "CreateClusterRule",
                "CloudTrail CreateCluster calls to EKS (contract CreateClusterEventPattern)",
                ContractEventPattern.createCluster());
    }

    /**
     * A rule on the default bus (where CloudTrail's events and the spokes' forwards arrive) that alone invokes
     * {@code function}. Function errors: Lambda retries the asynchronous invocation twice, then parks the event in
     * FailedEvents. With the customer managed key, the destination is given as the bare queue: CDK's grant for an
     * encrypted queue would add kms:ReEncrypt* and kms:GenerateDataKey*; useDataKey names the actions instead.
     * Delivery failures (throttling, permissions): EventBridge retries, then parks the event there too. The target
     * adds the function's only invoke permission: events.amazonaws.com with aws:SourceArn = this rule (a Lambda
     * permission's SourceArn), so no other rule, account or service can hand it a forged event.
     */
    private Rule invokeFromRule(JavaFunction function, String id, String description, EventPattern pattern) {
        function.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(2)
                .maxEventAge(Duration.hours(6))
                .onFailure(new SqsDestination(dataKey.isEmpty() ? failedEvents
                        : Queue.fromQueueArn(this, id + "FailedEventsDestination", failedEvents.getQueueArn())))
                .build());
        return Rule.Builder.create(this, id)
                .description(description)
                .eventPattern(pattern)
                .targets(List.of(LambdaFunction.Builder.create(function.alias())
                        .retryAttempts(RULE_RETRY_ATTEMPTS)
                        .maxEventAge(RULE_MAX_EVENT_AGE)
                        .deadLetterQueue(failedEvents)
                        .build()))
                .build();
    }

    private void wireGrantProcessor(DeploymentConfig config) {
        useDataKey(grantProcessor);
        // DynamoClusterRegistry: find (GetItem) and updateBootstrap (conditional UpdateItem); records are created
        // by the cluster-creation function only.
        allow(grantProcessor, "ReadClustersUpdateBootstrap", List.of(tables.registry().getTableArn()),
                "dynamodb:GetItem", "dynamodb:UpdateItem");
        // DynamoLedger, DynamoGrantStates, DynamoLeases and DynamoPendingApprovals: request records (CLUSTER#…), grant
        // states (GRANT#…), per-principal leases (LEASE#…) and grants waiting for approval (PENDING), read and put
        // (conditionally) on the table itself. Only leases (released) and decided pending grants are deleted, in their
        // partitions; audit records are never updated or deleted (LedgerPermissions: the ledger is append-only).
        allow(grantProcessor, "ReadAndAppendLedger", List.of(tables.ledger().getTableArn()),
                "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query");
        grantProcessor.role().addToPrincipalPolicy(LedgerPermissions.inMutablePartitions(
                "DeleteLeasesAndDecidedApprovals", tables.ledger().getTableArn(), LedgerPermissions.LEASES_AND_PENDING,
                "dynamodb:DeleteItem"));
        LedgerPermissions.appendOnly(tables.ledger().getTableArn()).forEach(grantProcessor.role()::addToPrincipalPolicy);
        // DynamoLedger.findByRequest: what happened to a request, by its id (approve and deny name one).
        allow(grantProcessor, "FindRequestsById", List.of(ledgerIndex(Tables.LEDGER_BY_REQUEST_INDEX)),
                "dynamodb:Query");
        // The outcome publisher: PutEvents on the outcome bus, with the contract's source only.
        outcomes.allowPublishing(grantProcessor.role());
        // SqsRetryScheduler: the retry backoff. Stated here because the function calls it itself; that the event
        // source mapping's own grant happens to include it is CDK's detail, not this function's contract.
        allow(grantProcessor, "DelayRetries", List.of(grants.queue().getQueueArn()), "sqs:ChangeMessageVisibility");
        // SqsBootstrapQueue.sendLater: a bootstrap waiting for its cluster goes back on the queue with a delay.
        allow(grantProcessor, "RecheckWaitingBootstraps", List.of(grants.queue().getQueueArn()), "sqs:SendMessage");
        EksAccessPermissions.statements(this, config).forEach(grantProcessor.role()::addToPrincipalPolicy);
        // The member accounts' role, by ARN, in the configured member accounts only (never iam::*): a cluster ARN of
        // another account cannot make the processor act there. SetSourceIdentity: the processor names who asked, so
        // that the member account's CloudTrail shows it (the spoke role's trust allows it too).
        assumeMemberRoles(grantProcessor, config, name -> name, "AssumeMemberAccountRole", "sts:AssumeRole",
                "sts:SetSourceIdentity");
        grants.onlyConsumer(grantProcessor.role());
        grantProcessor.alias().addEventSource(SqsEventSource.Builder.create(grants.queue())
                .batchSize(GrantQueueSettings.BATCH_SIZE)
                .maxBatchingWindow(Duration.seconds(GrantQueueSettings.MAX_BATCHING_WINDOW.toSeconds()))
                .reportBatchItemFailures(true)
                .maxConcurrency(PROCESSOR_MAX_CONCURRENCY)
                .build());
        // IamPrincipalIds: SQS sender ids are resolved through IAM, for exactly the ARNs the configuration names.
        // Added last on purpose: CDK keeps a role's statements inline in the order they were added while they fit
        // (10,240 characters) and moves the rest into overflow managed policies, which the cdk-nag suppressions on
        // the role (NagRationale, applied before those policies exist) do not reach. A long list of senders must be
        // what overflows, never the EKS statements with their justified wildcards.
        grantProcessor.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ResolveInternalSenders")
                .actions(List.of("iam:GetRole"))
                .resources(List.of(clusterCreated.role().getRoleArn(), expirySweep.role().getRoleArn(),
                        grantProcessor.role().getRoleArn(), adoption.role().getRoleArn()))
                .build());
        config.eligibility().ifPresent(file -> SenderResolutionPermissions.statements("ResolveEligibility",
                file.document().identities()).forEach(grantProcessor.role()::addToPrincipalPolicy));
    }

    private void wireExpirySweep() {
        useDataKey(expirySweep);
        // DynamoGrantStates.findExpired queries the sparse index; markRevocationQueued updates the grant's item.
        allow(expirySweep, "FindExpiredGrants", List.of(ledgerIndex(Tables.LEDGER_BY_EXPIRY_INDEX)), "dynamodb:Query");
        expirySweep.role().addToPrincipalPolicy(LedgerPermissions.inMutablePartitions("TakeGrantsOffSchedule",
                tables.ledger().getTableArn(), LedgerPermissions.GRANT_STATES, "dynamodb:UpdateItem"));
        LedgerPermissions.appendOnly(tables.ledger().getTableArn()).forEach(expirySweep.role()::addToPrincipalPolicy);
        // DynamoPendingApprovals.findExpired: a Query of the pending partition, and of no other.
        expirySweep.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("FindExpiredApprovals")
                .actions(List.of("dynamodb:Query"))
                .resources(List.of(tables.ledger().getTableArn()))
                .conditions(onlyPendingApprovals())
                .build());
        // SqsGrantQueue: one revoke request per expired grant.
        allow(expirySweep, "QueueRevocations", List.of(grants.queue().getQueueArn()), "sqs:SendMessage");
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

    /**
     * The reconciliation (docs/drift.md): reads the registry (Scan), grant states (Query of GRANT# partitions) and
     * EKS (list and describe only), puts an expired grant back on the sweep's schedule (UpdateItem in GRANT#
     * partitions, like the sweep), checks principals with IAM GetRole/GetUser, and writes the inventory. Scheduled
     * (context key reconcileSchedule, default daily); a failed run is not retried: the next one is the retry.
     */
    private void wireReconciler(DeploymentConfig config) {
        useDataKey(reconciler);
        // First, so that they stay in the role's inline policy (where its cdk-nag suppressions are) when a long list
        // of clusters moves the EKS statements into overflow policies.
        // IamPrincipalIds: whether each entry's role or user still exists, in this account (member accounts' through
        // their reader role). Read-only; any principal can hold an entry, so any role or user of the account.
        allow(reconciler, "CheckPrincipalsExist", List.of("arn:" + getPartition() + ":iam::" + getAccount() + ":role/*",
                "arn:" + getPartition() + ":iam::" + getAccount() + ":user/*"), "iam:GetRole", "iam:GetUser");
        assumeMemberRoles(reconciler, config, IamRoleName::clusterReader, "AssumeMemberClusterReaderRole",
                "sts:AssumeRole", "sts:SetSourceIdentity");
        allow(reconciler, "ListRegisteredClusters", List.of(tables.registry().getTableArn()), "dynamodb:Scan");
        reconciler.role().addToPrincipalPolicy(LedgerPermissions.inMutablePartitions("ReadAndRequeueGrantStates",
                tables.ledger().getTableArn(), LedgerPermissions.GRANT_STATES, "dynamodb:Query",
                "dynamodb:UpdateItem"));
        LedgerPermissions.appendOnly(tables.ledger().getTableArn()).forEach(reconciler.role()::addToPrincipalPolicy);
        // DynamoInventory.publish: BatchWriteItem of the snapshot's items, then the conditional PutItem of the pointer.
        allow(reconciler, "WriteInventory", List.of(tables.inventory().getTableArn()), "dynamodb:BatchWriteItem",
                "dynamodb:PutItem");
        EksAccessPermissions.reconciliationReadStatements(this, config).forEach(reconciler.role()::addToPrincipalPolicy);
        reconciler.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder().retryAttempts(0).build());
        Object schedule = getNode().tryGetContext(ContextKey.RECONCILE_SCHEDULE.key());
        String expression = schedule == null ? DEFAULT_RECONCILE_SCHEDULE : schedule.toString().trim();
        if (!expression.matches("(rate|cron)\\(.+\\)")) {
            throw new ConfigException(List.of(ContextKey.RECONCILE_SCHEDULE.key() + ": '" + expression + "' is not "
                    + ContextKey.RECONCILE_SCHEDULE.expected()));
        }
        Rule.Builder.create(this, "ReconcilerSchedule")
                .description("Reconciles every registered cluster's access with the grant states (docs/drift.md)")
                .schedule(Schedule.expression(expression))
                .targets(List.of(LambdaFunction.Builder.create(reconciler.alias())
                        .retryAttempts(0)
                        .maxEventAge(Duration.hours(1))
                        .build()))
                .build();
    }

    /**
     * The access-change function (docs/drift.md): reads clusters, never changes them; appends its records to the
     * clusters' audit partitions only; reads grant states; publishes its outcome events; sends restore requests to
     * the grant queue.
     */
    private void wireAccessChanges(DeploymentConfig config) {
        useDataKey(accessChanges);
        // DynamoClusterRegistry.find: each cluster's creator.
        allow(accessChanges, "ReadClusterCreators", List.of(tables.registry().getTableArn()), "dynamodb:GetItem");
        // DynamoExternalChangeLog: one conditional PutItem per CloudTrail event, in the audit partitions (CLUSTER#…)
        // and no other; never updated or deleted (LedgerPermissions.appendOnly).
        accessChanges.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("AppendExternalChanges")
                .actions(List.of("dynamodb:PutItem"))
                .resources(List.of(tables.ledger().getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys",
                        List.of(Tables.LEDGER_AUDIT_PARTITION_PREFIX + "*"))))
                .build());
        // DynamoGrantStates.findByPrincipal: a Query of the grant states' partitions (GRANT#…) only.
        accessChanges.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ReadGrantStates")
                .actions(List.of("dynamodb:Query"))
                .resources(List.of(tables.ledger().getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys",
                        LedgerPermissions.GRANT_STATES)))
                .build());
        LedgerPermissions.appendOnly(tables.ledger().getTableArn()).forEach(accessChanges.role()::addToPrincipalPolicy);
        // EventBridgeOutcomes: external-change events only (source and detail-type), on the outcome bus.
        outcomes.allowPublishing(accessChanges.role(), OutcomeEvents.EXTERNAL_CHANGE_DETAIL_TYPE);
        // ClusterAccessReader through SdkEksAccess: list and describe, nothing that changes access.
        EksAccessPermissions.readStatements(this, config, Map.of()).forEach(accessChanges.role()::addToPrincipalPolicy);
        // SqsRestoreQueue: drift: restore asks the grant processor, which alone changes access, to re-apply a grant
        // (the data key, when there is one, through useDataKey as the other senders).
        allow(accessChanges, "SendRestoreRequests", List.of(grants.queue().getQueueArn()), "sqs:SendMessage");
        // Member accounts' clusters are read through their read-only role (NAME-reader), whose statements for these
        // reads require the session's source identity eks-access.access-changes (SpokeStack).
        assumeMemberRoles(accessChanges, config, IamRoleName::clusterReader, "AssumeMemberClusterReaderRole",
                "sts:AssumeRole", "sts:SetSourceIdentity");
        this.accessChangeRule = invokeFromRule(accessChanges, "AccessChangeRule",
                "CloudTrail calls that change EKS cluster access (contract AccessChangeEventPattern)",
                ContractEventPattern.accessChanges());
    }

    /**
     * The adoption function (docs/adopt.md): the cluster-creation function's registry and queue rights, and to find
     * clusters, ListClusters (no resource-level permission: NagRationale), DescribeCluster in the adoption regions and
     * CloudTrail LookupEvents (no resource-level permission either); in member accounts the read-only role, whose
     * sessions it names {@code eks-access.adoption}. Off a schedule by default: {@code eks-access adopt} invokes it.
     */
    private void wireAdoption(DeploymentConfig config, AdoptionSettings adoptionSettings) {
        useDataKey(adoption);
        allow(adoption, "RecordClusters", List.of(tables.registry().getTableArn()), "dynamodb:GetItem",
                "dynamodb:PutItem");
        allow(adoption, "SendBootstrapRequests", List.of(grants.queue().getQueueArn()), "sqs:SendMessage");
        allow(adoption, "ListClusters", List.of("*"), "eks:ListClusters");
        List<String> regions = adoptionSettings.regions().isEmpty() ? List.of(getRegion()) : adoptionSettings.regions();
        allow(adoption, "DescribeClusters", regions.stream().map(region -> "arn:" + getPartition() + ":eks:" + region
                + ":" + getAccount() + ":cluster/*").toList(), "eks:DescribeCluster");
        allow(adoption, "FindCreators", List.of("*"), "cloudtrail:LookupEvents");
        assumeMemberRoles(adoption, config, IamRoleName::clusterReader, "AssumeMemberClusterReaderRole",
                "sts:AssumeRole", "sts:SetSourceIdentity");
        adoption.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder().retryAttempts(0).build());
        adoptionSettings.schedule().ifPresent(schedule -> Rule.Builder.create(this, "AdoptionSchedule")
                .description("Adopts EKS clusters that existed before eks-access")
                .schedule(schedule)
                .targets(List.of(LambdaFunction.Builder.create(adoption.alias()).retryAttempts(0)
                        .event(adoptionSettings.accounts().isEmpty() ? null
                                : RuleTargetInput.fromObject(Map.of("accounts", adoptionSettings.accounts())))
                        .build()))
                .build());
    }

    /** With the customer managed key, the function encrypts and decrypts what it sends, receives and stores. */
    private void useDataKey(JavaFunction function) {
        dataKey.ifPresent(key -> function.role().addToPrincipalPolicy(DataKey.useThroughQueuesAndTables(key,
                getRegion())));
    }

    /**
     * What {@code eks-access status REQUEST_ID} and {@code eks-access pending} read, for teams to attach to their
     * roles: the ledger's records of one request id, and the grants waiting for approval. Nothing else of the
     * ledger, and nothing to write. Sending (requests, approvals) is the queue's business ({@link GrantQueue}).
     */
    private ManagedPolicy newRequestStatusPolicy() {
        ManagedPolicy policy = ManagedPolicy.Builder.create(this, "RequestStatusPolicy")
                .description("Read-only: eks-access status REQUEST_ID (ledger index " + Tables.LEDGER_BY_REQUEST_INDEX
                        + ") and eks-access pending (the ledger's " + PENDING_APPROVALS_PARTITION + " partition)")
                .statements(List.of(
                        PolicyStatement.Builder.create()
                                .sid("ReadRequestsById")
                                .actions(List.of("dynamodb:Query"))
                                .resources(List.of(ledgerIndex(Tables.LEDGER_BY_REQUEST_INDEX)))
                                .build(),
                        PolicyStatement.Builder.create()
                                .sid("ListPendingApprovals")
                                .actions(List.of("dynamodb:Query"))
                                .resources(List.of(tables.ledger().getTableArn()))
                                .conditions(onlyPendingApprovals())
                                .build(),
                        // eks-access inventory and who-can: the reconciliation's snapshot, read-only.
                        PolicyStatement.Builder.create()
                                .sid("ReadInventory")
                                .actions(List.of("dynamodb:GetItem", "dynamodb:Query"))
                                .resources(List.of(tables.inventory().getTableArn()))
                                .build()))
                .build();
        // The ledger's items are encrypted with the customer managed key: reading them takes decrypting, via DynamoDB.
        dataKey.ifPresent(key -> policy.addStatements(PolicyStatement.Builder.create()
                .sid("DecryptLedgerReads")
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(key.getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", "dynamodb." + getRegion() + ".amazonaws.com")))
                .build()));
        return policy;
    }

    /** A Query (the one action it goes with) that may read only the partition of grants waiting for approval. */
    private static Map<String, Object> onlyPendingApprovals() {
        return Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", List.of(PENDING_APPROVALS_PARTITION)));
    }

    private String ledgerIndex(String index) {
        return tables.ledger().getTableArn() + "/index/" + index;
    }

    /**
     * Without a document every team request is refused (default deny); with break-glass rules, each use grants
     * admin-class access without approval. Both can be what the deployer wants; neither should go unnoticed at
     * synth. (A document with problems stops synth, ContextParser.)
     */
    private void warnAboutEligibility(Optional<EligibilityFile> file) {
        if (file.isEmpty()) {
            Annotations.of(this).addWarningV2(NO_ELIGIBILITY_WARNING, "No eligibility document (context key '"
                    + ContextKey.ELIGIBILITY.key() + "'): every team request will be denied (default deny); only the"
                    + " admin bootstrap of new clusters and the revocation of expired grants work."
                    + " See docs/authorization.md.");
            return;
        }
        List<String> breakGlass = file.get().document().rules().stream().filter(EligibilityRule::breakGlass)
                .map(EligibilityRule::id).toList();
        if (!breakGlass.isEmpty()) {
            Annotations.of(eligibility).addWarningV2(BREAK_GLASS_WARNING, "The eligibility document ("
                    + file.get().path() + ") has break-glass rule" + (breakGlass.size() == 1 ? " " : "s ")
                    + String.join(", ", breakGlass) + ": admin-class access without approval or limit; every use"
                    + " raises the alarm.");
        }
    }

    private static void allow(JavaFunction function, String sid, List<String> resources, String... actions) {
        function.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid(sid).actions(List.of(actions)).resources(resources).build());
    }

    /**
     * The member accounts' role {@code crossAccountRoleName}: by ARN in each listed member account (statements of
     * bounded size, so that a hundred accounts still fit), or, with {@code organizationMembers}, by name in any
     * account whose organization is {@code organizationId} ({@code aws:ResourceOrgID}), so that a new account needs no
     * redeploy. Never {@code iam::*} without that condition.
     */
    private void assumeMemberRoles(JavaFunction function, DeploymentConfig config, UnaryOperator<String> roleOf,
                                   String sid, String... actions) {
        if (config.crossAccountRoleName().isEmpty()) {
            return;
        }
        String name = roleOf.apply(config.crossAccountRoleName().get());
        if (config.organizationMembers()) {
            function.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .sid(sid + "InOrganization")
                    .actions(List.of(actions))
                    .resources(List.of(IamRoleName.arn(getPartition(), "*", name)))
                    .conditions(Map.of("StringEquals", Map.of("aws:ResourceOrgID", config.organizationId().orElseThrow())))
                    .build());
            return;
        }
        List<String> arns = config.memberAccounts().stream()
                .map(account -> IamRoleName.arn(getPartition(), account, name)).toList();
        List<List<String>> chunks = SenderResolutionPermissions.chunks(arns);
        for (int i = 0; i < chunks.size(); i++) {
            allow(function, sid + (i == 0 ? "" : String.valueOf(i + 1)), chunks.get(i), actions);
        }
    }

    /**
     * Member accounts' spoke stacks forward CreateCluster events to this account's default event bus: they may put
     * CloudTrail events of EKS there and nothing else, so that a member account cannot put events of another source
     * (or forged CloudTrail events of another service) on the hub's bus.
     */
    private void acceptMemberAccountEvents(DeploymentConfig config) {
        if (config.organizationMembers()) {
            // One statement for the whole organization (aws:PrincipalOrgID): a new account needs none, and the bus
            // policy's 10,240 characters no longer bound the number of accounts.
            acceptEvents("AcceptEventsFromOrganization", "EksAccessFromOrganization", "*",
                    Map.of("aws:PrincipalOrgID", config.organizationId().orElseThrow()));
            return;
        }
        for (String account : config.memberAccounts()) {
            acceptEvents("AcceptEventsFrom" + account, "EksAccessFrom" + account,
                    Map.of("AWS", "arn:" + getPartition() + ":iam::" + account + ":root"), Map.of());
        }
    }

    private void acceptEvents(String id, String statementId, Object principal, Map<String, String> condition) {
        Map<String, String> conditions = new LinkedHashMap<>(condition);
        conditions.put("events:source", CreateClusterEventPattern.SOURCE);
        conditions.put("events:detail-type", CreateClusterEventPattern.DETAIL_TYPE);
        CfnEventBusPolicy.Builder.create(this, id)
                .eventBusName("default")
                .statementId(statementId)
                .statement(Map.of(
                        "Effect", "Allow",
                        "Principal", principal,
                        "Action", "events:PutEvents",
                        "Resource", "arn:" + getPartition() + ":events:" + getRegion() + ":" + getAccount()
                                + ":event-bus/default",
                        "Condition", Map.of("StringEquals", conditions)))
                .build();
    }

    private void outputs() {
        output("GrantQueueUrl", grants.queue().getQueueUrl(), "Send grant and revoke requests here");
        output("GrantQueueArn", grants.queue().getQueueArn(), "For senders' IAM policies");
        output("GrantProcessorRoleArn", grantProcessor.role().getRoleArn(),
                "Trusted by the member accounts' role (spoke context hubRoleArn)");
        output("ClusterCreationRoleArn", clusterCreated.role().getRoleArn(),
                "Trusted by the member accounts' role to verify clusters (spoke context hubClusterCreationRoleArn)");
        output("AccessChangesRoleArn", accessChanges.role().getRoleArn(),
                "Trusted by the member accounts' read-only role to read access after changes (spoke context"
                        + " hubAccessChangesRoleArn)");
        output("AdoptionFunctionName", adoption.function().getFunctionName(),
                "eks-access adopt invokes it; its role is trusted by the member accounts' reader role");
        output("AdoptionRoleArn", adoption.role().getRoleArn(),
                "Trusted by the member accounts' reader role to list clusters (spoke context hubAdoptionRoleArn)");
        output("RegistryTableName", tables.registry().getTableName(), "Clusters seen and their bootstrap status");
        output("LedgerTableName", tables.ledger().getTableName(), "Audit ledger of every access change");
        output("InventoryTableName", tables.inventory().getTableName(),
                "Who holds which access entry: eks-access inventory and who-can read it");
        output("ReconcilerFunctionName", reconciler.function().getFunctionName(),
                "Run the reconciliation now: aws lambda invoke --function-name NAME out.json");
        output("GrantDeadLetterQueueUrl", grants.deadLetterQueue().getQueueUrl(), "Requests that failed for good");
        output("FailedEventsQueueUrl", failedEvents.getQueueUrl(), "CreateCluster events that failed for good");
        output("OutcomeBusName", outcomes.bus().getEventBusName(), "Outcome events of every request: subscribe here");
        output("OutcomeBusArn", outcomes.bus().getEventBusArn(), "Outcome events, for rules and cross-account targets");
        output("RequestStatusPolicyArn", requestStatusPolicy.getManagedPolicyArn(),
                "Attach to teams' roles: eks-access status, pending, inventory and who-can (read-only)");
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

    /** The rule that alone may invoke the cluster-creation function. */
    public Rule createClusterRule() {
        return createClusterRule;
    }

    public JavaFunction grantProcessor() {
        return grantProcessor;
    }

    public JavaFunction adoption() {
        return adoption;
    }

    public JavaFunction expirySweep() {
        return expirySweep;
    }

    public JavaFunction reconciler() {
        return reconciler;
    }

    /** The access-change function (docs/drift.md). */
    public JavaFunction accessChanges() {
        return accessChanges;
    }

    /** The rule that alone may invoke the access-change function. */
    public Rule accessChangeRule() {
        return accessChangeRule;
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    /** The Pipe that alarms on a changed or deleted audit record. */
    LedgerTamperAlarm tamperAlarm() {
        return tamperAlarm;
    }

    /** The layer holding the eligibility document; empty when the deployment configures none. */
    public Optional<FileLayer> eligibility() {
        return Optional.ofNullable(eligibility);
    }

    /** The layer holding the deployment settings file of the cluster-creation function and the grant processor. */
    public FileLayer deploymentSettings() {
        return deploymentSettings;
    }

    /** The outcome bus: created by this stack, or the one {@code outcomeBus} names. */
    public OutcomeBus outcomes() {
        return outcomes;
    }

    /** The read-only policy of {@code eks-access status} and {@code eks-access pending}. */
    public ManagedPolicy requestStatusPolicy() {
        return requestStatusPolicy;
    }

    /** The customer managed key ({@code kmsKey}); empty: AWS managed keys. */
    public Optional<IKey> dataKey() {
        return dataKey;
    }

    /** The trail this stack created; null when {@code existingTrail} said one exists. */
    public AuditTrail trail() {
        return trail;
    }
}
