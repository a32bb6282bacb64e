package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.contract.Tables;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The functions' IAM needs against the roles the template deploys. Each row is one AWS SDK call an adapter of the
 * functions makes (read from {@code functions/src/main/java/dev/eksaccess/aws}), the IAM action it needs and a
 * resource it touches; the function's role must allow that action on that resource. Conversely, a role allows
 * nothing beyond these calls and what Lambda itself uses (logs, tracing, the SQS poller).
 *
 * <p>A call also names the values it brings for the condition keys this test evaluates ({@link #EVALUATED_KEYS}: the
 * DynamoDB partition it reads or writes, the source of the events it puts); a statement that conditions on one of them
 * allows the call only when the value satisfies the condition. The EKS conditions are checked by
 * {@link EksAccessStackTest}.
 */
class FunctionIamWiringTest {

    private static final EksAccessStack STACK = TestApps.FULL.stacks().hub();
    private static final Template TEMPLATE = TestApps.FULL.hub();
    private static final TemplateValues VALUES = new TemplateValues(TEMPLATE, STACK.getStackName());

    private static final String REGISTRY = arnOf(STACK.tables().registry());
    private static final String LEDGER = arnOf(STACK.tables().ledger());
    private static final String INVENTORY = arnOf(STACK.tables().inventory());
    private static final String BY_EXPIRY_INDEX = LEDGER + "/index/" + Tables.LEDGER_BY_EXPIRY_INDEX;
    private static final String BY_REQUEST_INDEX = LEDGER + "/index/" + Tables.LEDGER_BY_REQUEST_INDEX;
    private static final String CLUSTER_CREATION_ROLE = arnOf(STACK.clusterCreated().role());
    private static final String EXPIRY_SWEEP_ROLE = arnOf(STACK.expirySweep().role());
    private static final String GRANT_PROCESSOR_ROLE = arnOf(STACK.grantProcessor().role());
    private static final String ADOPTION_ROLE = arnOf(STACK.adoption().role());
    private static final String OUTCOME_BUS = arnOf(STACK.outcomes().bus());
    private static final String GRANT_QUEUE = arnOf(STACK.grants().queue());
    private static final String CLUSTER = "arn:aws:eks:" + TemplateValues.REGION + ":" + TemplateValues.ACCOUNT
            + ":cluster/prod";
    private static final String ACCESS_ENTRY = "arn:aws:eks:" + TemplateValues.REGION + ":" + TemplateValues.ACCOUNT
            + ":access-entry/prod/role/" + TemplateValues.ACCOUNT + "/Developers/4ec7a5c2-8d1e-4f6b-9a0d-1c2b3d4e5f60";
    private static final String MEMBER_ROLE = "arn:aws:iam::" + TestApps.MEMBER_ACCOUNT + ":role/eks-access/HubAccess";
    private static final String MEMBER_READER_ROLE = "arn:aws:iam::" + TestApps.MEMBER_ACCOUNT
            + ":role/eks-access/HubAccess-reader";

    /** The condition keys whose values a {@link Call} states and {@link #allows} evaluates. */
    private static final Set<String> EVALUATED_KEYS = Set.of("dynamodb:LeadingKeys", "events:source",
            "events:detail-type");

    /** Partition keys of the ledger's items: the functions' LedgerItems, DynamoLeases and DynamoPendingApprovals. */
    private static final Map<String, Object> CLUSTER_ITEMS = Map.of("dynamodb:LeadingKeys", "CLUSTER#" + CLUSTER);
    private static final Map<String, Object> NO_CLUSTER_ITEMS = Map.of("dynamodb:LeadingKeys", "CLUSTER#none");
    private static final Map<String, Object> GRANT_ITEMS = Map.of("dynamodb:LeadingKeys", "GRANT#" + CLUSTER);
    private static final Map<String, Object> LEASE_ITEMS = Map.of("dynamodb:LeadingKeys",
            "LEASE#" + CLUSTER + "#" + TestApps.ADMIN_ROLE);
    private static final Map<String, Object> PENDING_ITEMS = Map.of("dynamodb:LeadingKeys",
            EksAccessStack.PENDING_APPROVALS_PARTITION);

    /**
     * One SDK call: which adapter method makes it, the IAM action it needs, a resource it acts on, and the values it
     * brings for the {@link #EVALUATED_KEYS}.
     */
    private record Call(String adapter, String action, String resource, Map<String, Object> context) {

        Call(String adapter, String action, String resource) {
            this(adapter, action, resource, Map.of());
        }
    }

    private static final List<Call> CLUSTER_CREATION = List.of(
            new Call("DynamoClusterRegistry.putIfAbsent, replace: PutItem", "dynamodb:PutItem", REGISTRY),
            new Call("DynamoClusterRegistry.find: GetItem", "dynamodb:GetItem", REGISTRY),
            new Call("SqsBootstrapQueue.send: SendMessage", "sqs:SendMessage", GRANT_QUEUE),
            new Call("EksClusterLookup.describe: DescribeCluster", "eks:DescribeCluster", CLUSTER),
            new Call("EksClusterLookup via CrossAccountEks: AssumeRole of the read-only role", "sts:AssumeRole",
                    MEMBER_READER_ROLE),
            new Call("CrossAccountEks: AssumeRole with SourceIdentity", "sts:SetSourceIdentity", MEMBER_READER_ROLE));

    private static final List<Call> GRANT_PROCESSOR = List.of(
            new Call("DynamoClusterRegistry.find: GetItem", "dynamodb:GetItem", REGISTRY),
            new Call("DynamoClusterRegistry.updateBootstrap: UpdateItem", "dynamodb:UpdateItem", REGISTRY),
            new Call("DynamoLedger.find: Query", "dynamodb:Query", LEDGER, CLUSTER_ITEMS),
            new Call("DynamoLedger.record, recordDuplicate: PutItem", "dynamodb:PutItem", LEDGER, CLUSTER_ITEMS),
            new Call("DynamoGrantStates.find: GetItem", "dynamodb:GetItem", LEDGER, GRANT_ITEMS),
            new Call("DynamoGrantStates.save, markOverdue: PutItem", "dynamodb:PutItem", LEDGER, GRANT_ITEMS),
            new Call("DynamoGrantStates.findByPrincipal: Query", "dynamodb:Query", LEDGER, GRANT_ITEMS),
            new Call("DynamoLedger.findByRequest: Query on byRequest", "dynamodb:Query", BY_REQUEST_INDEX),
            new Call("DynamoLeases.acquire: PutItem", "dynamodb:PutItem", LEDGER, LEASE_ITEMS),
            new Call("DynamoLeases.release: DeleteItem", "dynamodb:DeleteItem", LEDGER, LEASE_ITEMS),
            new Call("DynamoPendingApprovals.find: Query", "dynamodb:Query", LEDGER, PENDING_ITEMS),
            new Call("DynamoPendingApprovals.create, update: PutItem", "dynamodb:PutItem", LEDGER, PENDING_ITEMS),
            new Call("DynamoPendingApprovals.delete: DeleteItem", "dynamodb:DeleteItem", LEDGER, PENDING_ITEMS),
            new Call("SqsRetryScheduler.retryAfter: ChangeMessageVisibility", "sqs:ChangeMessageVisibility",
                    GRANT_QUEUE),
            new Call("SqsBootstrapQueue.sendLater: SendMessage, a bootstrap waiting for its cluster",
                    "sqs:SendMessage", GRANT_QUEUE),
            new Call("SdkEksAccess.describeCluster", "eks:DescribeCluster", CLUSTER),
            new Call("SdkEksAccess.listAccessEntries", "eks:ListAccessEntries", CLUSTER),
            new Call("SdkEksAccess.createAccessEntry", "eks:CreateAccessEntry", CLUSTER),
            new Call("SdkEksAccess.createAccessEntry: tags on create", "eks:TagResource", ACCESS_ENTRY),
            new Call("SdkEksAccess.describeAccessEntry", "eks:DescribeAccessEntry", ACCESS_ENTRY),
            new Call("SdkEksAccess.updateAccessEntry", "eks:UpdateAccessEntry", ACCESS_ENTRY),
            new Call("SdkEksAccess.deleteAccessEntry", "eks:DeleteAccessEntry", ACCESS_ENTRY),
            new Call("SdkEksAccess.associateAccessPolicy", "eks:AssociateAccessPolicy", ACCESS_ENTRY),
            new Call("SdkEksAccess.disassociateAccessPolicy", "eks:DisassociateAccessPolicy", ACCESS_ENTRY),
            new Call("SdkEksAccess.listAssociatedAccessPolicies", "eks:ListAssociatedAccessPolicies", ACCESS_ENTRY),
            // Only with allowAuthModeSwitch, which the FULL configuration turns on.
            new Call("SdkEksAccess.updateAuthenticationMode: UpdateClusterConfig", "eks:UpdateClusterConfig",
                    CLUSTER),
            new Call("CrossAccountEks: StsAssumeRoleCredentialsProvider", "sts:AssumeRole", MEMBER_ROLE),
            // The AssumeRole request names who asked (SourceIdentity), which needs this action too.
            new Call("CrossAccountEks: AssumeRole with SourceIdentity", "sts:SetSourceIdentity", MEMBER_ROLE),
            // Sender ids of the functions' own messages (CLUSTER_CREATION_ROLE_ARN, EXPIRY_SWEEP_ROLE_ARN,
            // GRANT_PROCESSOR_ROLE_ARN: its own copies of waiting bootstraps).
            new Call("IamPrincipalIds.uniqueIdOf: GetRole, cluster-creation role", "iam:GetRole",
                    CLUSTER_CREATION_ROLE),
            new Call("IamPrincipalIds.uniqueIdOf: GetRole, expiry sweep role", "iam:GetRole", EXPIRY_SWEEP_ROLE),
            new Call("IamPrincipalIds.uniqueIdOf: GetRole, its own role", "iam:GetRole", GRANT_PROCESSOR_ROLE),
            new Call("IamPrincipalIds.uniqueIdOf: GetRole, the adoption role", "iam:GetRole", ADOPTION_ROLE),
            new Call("EventBridgeOutcomes.publish: PutEvents", "events:PutEvents", OUTCOME_BUS,
                    Map.of("events:source", OutcomeEvents.SOURCE)));

    /** The access-change function (docs/drift.md): reads clusters, appends external changes, publishes them. */
    private static final List<Call> ACCESS_CHANGES = List.of(
            new Call("DynamoClusterRegistry.find: GetItem", "dynamodb:GetItem", REGISTRY),
            new Call("DynamoExternalChangeLog.recordOnce: PutItem", "dynamodb:PutItem", LEDGER, CLUSTER_ITEMS),
            new Call("DynamoGrantStates.findByPrincipal: Query", "dynamodb:Query", LEDGER, GRANT_ITEMS),
            new Call("SdkEksAccess.listAccessEntries", "eks:ListAccessEntries", CLUSTER),
            new Call("SdkEksAccess.listAssociatedAccessPolicies", "eks:ListAssociatedAccessPolicies", ACCESS_ENTRY),
            new Call("SdkEksAccess.describeAccessEntry", "eks:DescribeAccessEntry", ACCESS_ENTRY),
            new Call("CrossAccountEks: AssumeRole of the read-only role", "sts:AssumeRole", MEMBER_READER_ROLE),
            new Call("CrossAccountEks: AssumeRole with SourceIdentity", "sts:SetSourceIdentity", MEMBER_READER_ROLE),
            new Call("EventBridgeOutcomes.publish(ExternalChange): PutEvents", "events:PutEvents", OUTCOME_BUS,
                    Map.of("events:source", OutcomeEvents.SOURCE,
                            "events:detail-type", OutcomeEvents.EXTERNAL_CHANGE_DETAIL_TYPE)),
            new Call("SqsRestoreQueue.send: SendMessage", "sqs:SendMessage", GRANT_QUEUE));

    /** Sender ids of every sender and approver the eligibility document names (all roles in the example). */
    private static final List<Call> SENDER_RESOLUTION = TestApps.eligibilityDocument().identities().stream()
            .map(arn -> new Call("IamPrincipalIds.uniqueIdOf: GetRole, " + arn, "iam:GetRole", arn)).toList();

    private static final List<Call> EXPIRY_SWEEP = List.of(
            new Call("DynamoGrantStates.findExpired: Query on byExpiry", "dynamodb:Query", BY_EXPIRY_INDEX),
            new Call("DynamoGrantStates.markRevocationQueued: UpdateItem", "dynamodb:UpdateItem", LEDGER,
                    GRANT_ITEMS),
            new Call("DynamoPendingApprovals.findExpired: Query", "dynamodb:Query", LEDGER, PENDING_ITEMS),
            new Call("SqsGrantQueue.send: SendMessage", "sqs:SendMessage", GRANT_QUEUE));

    private static final List<Call> RECONCILER = List.of(
            new Call("DynamoClusterRegistry.all: Scan", "dynamodb:Scan", REGISTRY),
            new Call("DynamoGrantStates.ofCluster: Query", "dynamodb:Query", LEDGER, GRANT_ITEMS),
            new Call("DynamoGrantStates.requeue: UpdateItem", "dynamodb:UpdateItem", LEDGER, GRANT_ITEMS),
            new Call("DynamoInventory.publish: BatchWriteItem", "dynamodb:BatchWriteItem", INVENTORY),
            new Call("DynamoInventory.publish: PutItem of the pointer", "dynamodb:PutItem", INVENTORY),
            new Call("SdkEksAccess.describeCluster", "eks:DescribeCluster", CLUSTER),
            new Call("SdkEksAccess.listAccessEntries", "eks:ListAccessEntries", CLUSTER),
            new Call("SdkEksAccess.describeAccessEntry", "eks:DescribeAccessEntry", ACCESS_ENTRY),
            new Call("SdkEksAccess.listAssociatedAccessPolicies", "eks:ListAssociatedAccessPolicies", ACCESS_ENTRY),
            new Call("IamPrincipalIds.uniqueIdOf: GetRole", "iam:GetRole",
                    "arn:aws:iam::" + TemplateValues.ACCOUNT + ":role/teams/payments-dev"),
            new Call("IamPrincipalIds.uniqueIdOf: GetUser", "iam:GetUser",
                    "arn:aws:iam::" + TemplateValues.ACCOUNT + ":user/ana"),
            new Call("CrossAccountEks: AssumeRole of the read-only role", "sts:AssumeRole", MEMBER_READER_ROLE),
            new Call("CrossAccountEks: AssumeRole with SourceIdentity", "sts:SetSourceIdentity", MEMBER_READER_ROLE));

    /** The adoption function (docs/adopt.md): the cluster-creation function's registry and queue, and finding clusters. */
    private static final List<Call> ADOPTION = List.of(
            new Call("DynamoClusterRegistry.putIfAbsent: PutItem", "dynamodb:PutItem", REGISTRY),
            new Call("DynamoClusterRegistry.find: GetItem", "dynamodb:GetItem", REGISTRY),
            new Call("SqsBootstrapQueue.send: SendMessage", "sqs:SendMessage", GRANT_QUEUE),
            new Call("SdkAdoptionSources.clusterNames: ListClusters (no resource-level permission)", "eks:ListClusters",
                    "*"),
            new Call("CrossAccountEks/SdkEksAccess.describeCluster", "eks:DescribeCluster", CLUSTER),
            new Call("SdkAdoptionSources.createClusterEvents: LookupEvents (no resource-level permission)",
                    "cloudtrail:LookupEvents", "*"),
            new Call("SdkAdoptionSources.memberRole: AssumeRole of the read-only role", "sts:AssumeRole",
                    MEMBER_READER_ROLE),
            new Call("SdkAdoptionSources.memberRole: SourceIdentity eks-access.adoption", "sts:SetSourceIdentity",
                    MEMBER_READER_ROLE));

    @Test
    void adoptionRole_allowsEveryCallOfItsAdapters_andNothingElse_neverTheGrantProcessorsMemberRole() {
        assertAllowsEveryCall(STACK.adoption(), ADOPTION);
        assertAllowsNothingElse(STACK.adoption(), ADOPTION, LAMBDA_ITSELF);
        assertThat(allows(STACK.adoption(), "sts:AssumeRole", MEMBER_ROLE)).isFalse();
        assertThat(allows(STACK.adoption(), "eks:DescribeCluster", "arn:aws:eks:" + TemplateValues.REGION
                + ":" + TestApps.MEMBER_ACCOUNT + ":cluster/prod")).isFalse();
    }

    /** What the CLI's read-only commands call, with the policy teams attach. */
    private static final List<Call> STATUS_READER = List.of(
            new Call("eks-access status: Query on byRequest", "dynamodb:Query", BY_REQUEST_INDEX),
            new Call("eks-access pending: Query", "dynamodb:Query", LEDGER, PENDING_ITEMS),
            new Call("eks-access inventory, who-can: GetItem of the pointer", "dynamodb:GetItem", INVENTORY),
            new Call("eks-access inventory, who-can: Query of the snapshot", "dynamodb:Query", INVENTORY));

    /** What Lambda uses the role for besides the code: its log group, X-Ray (tracing is on here). */
    private static final Set<String> LAMBDA_ITSELF = Set.of("logs:CreateLogStream", "logs:PutLogEvents",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords");
    /** Lambda parks a failed asynchronous invocation of the cluster-creation function on FailedEvents. */
    private static final Set<String> FAILURE_DESTINATION = Set.of("sqs:SendMessage", "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl");
    /** The event source mapping polls the grant queue with the function's role. */
    private static final Set<String> SQS_POLLER = Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");

    /** The cluster-creation function reaches member accounts through their read-only role only. */
    @Test
    void clusterCreationRole_mayNotAssumeTheGrantProcessorsMemberRole() {
        assertThat(allows(STACK.clusterCreated(), "sts:AssumeRole", MEMBER_ROLE)).isFalse();
        assertThat(allows(STACK.grantProcessor(), "sts:AssumeRole", MEMBER_READER_ROLE)).isFalse();
    }

    @Test
    void clusterCreationRole_allowsEveryCallOfItsAdapters_andNoEks() {
        assertAllowsEveryCall(STACK.clusterCreated(), CLUSTER_CREATION);
        assertAllowsNothingElse(STACK.clusterCreated(), CLUSTER_CREATION, union(LAMBDA_ITSELF, FAILURE_DESTINATION));
    }

    @Test
    void grantProcessorRole_allowsEveryCallOfItsAdapters() {
        assertAllowsEveryCall(STACK.grantProcessor(), GRANT_PROCESSOR);
        assertAllowsEveryCall(STACK.grantProcessor(), SENDER_RESOLUTION);
        assertAllowsNothingElse(STACK.grantProcessor(), GRANT_PROCESSOR, union(LAMBDA_ITSELF, SQS_POLLER));
    }

    /** IAM is asked about exactly the configured ARNs: no other role of the account, and no user at all here. */
    @Test
    void grantProcessor_readsOnlyTheConfiguredRolesFromIam() {
        assertThat(allows(STACK.grantProcessor(), "iam:GetRole", MEMBER_ROLE)).isFalse();
        assertThat(allowStatements(STACK.grantProcessor()))
                .noneSatisfy(statement -> assertThat(asList(statement.get("Action"))).contains("iam:GetUser"));
    }

    @Test
    void grantProcessor_putsOnlyEventsOfTheContractsSource_onlyOnTheOutcomeBus() {
        assertThat(allows(STACK.grantProcessor(), new Call("another source", "events:PutEvents", OUTCOME_BUS,
                Map.of("events:source", "aws.eks")))).isFalse();
        assertThat(allows(STACK.grantProcessor(), new Call("the default bus", "events:PutEvents",
                "arn:aws:events:" + TemplateValues.REGION + ":" + TemplateValues.ACCOUNT + ":event-bus/default",
                Map.of("events:source", OutcomeEvents.SOURCE)))).isFalse();
    }

    @Test
    void grantProcessor_delaysRetriesUnderItsOwnStatement_notOnlyThePollersGrant() {
        Map<String, Object> delay = TemplateJson.statement(TEMPLATE, logicalId(STACK.grantProcessor().role()),
                "DelayRetries");

        assertThat(asList(delay.get("Action"))).containsExactly("sqs:ChangeMessageVisibility");
        assertThat(asList(delay.get("Resource"))).extracting(VALUES::resolve).containsExactly(GRANT_QUEUE);
    }

    @Test
    void expirySweepRole_allowsEveryCallOfItsAdapters_andQueriesOnlyTheExpiryIndexAndThePendingPartition() {
        assertAllowsEveryCall(STACK.expirySweep(), EXPIRY_SWEEP);
        assertAllowsNothingElse(STACK.expirySweep(), EXPIRY_SWEEP, LAMBDA_ITSELF);
        assertThat(allows(STACK.expirySweep(), "dynamodb:Query",
                LEDGER + "/index/" + Tables.LEDGER_BY_PRINCIPAL_INDEX)).isFalse();
        assertThat(allows(STACK.expirySweep(), new Call("a cluster's records", "dynamodb:Query", LEDGER,
                CLUSTER_ITEMS))).isFalse();
    }

    /**
     * The access-change function reads EKS and never changes it, appends to the audit partitions only, and puts only
     * external-change events. (Mutation: its PutItem statement without the LeadingKeys condition -> the grant-state
     * put is allowed and this test fails.)
     */
    @Test
    void accessChangeRole_allowsEveryCallOfItsAdapters_readsEksOnly_andWritesOnlyAuditRecordsAndItsEvents() {
        assertAllowsEveryCall(STACK.accessChanges(), ACCESS_CHANGES);
        assertAllowsNothingElse(STACK.accessChanges(), ACCESS_CHANGES, union(LAMBDA_ITSELF, FAILURE_DESTINATION));
        for (String change : List.of("eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:UpdateAccessEntry",
                "eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy")) {
            assertThat(allows(STACK.accessChanges(), change, ACCESS_ENTRY)).as(change).isFalse();
        }
        assertThat(allows(STACK.accessChanges(), "sts:AssumeRole", MEMBER_ROLE)).isFalse();
        assertThat(allows(STACK.accessChanges(), new Call("a grant state", "dynamodb:PutItem", LEDGER, GRANT_ITEMS)))
                .isFalse();
        assertThat(allows(STACK.accessChanges(), new Call("a pending grant", "dynamodb:PutItem", LEDGER,
                PENDING_ITEMS))).isFalse();
        assertThat(allows(STACK.accessChanges(), new Call("a cluster's records", "dynamodb:Query", LEDGER,
                CLUSTER_ITEMS))).isFalse();
        assertThat(allows(STACK.accessChanges(), new Call("a request's outcome", "events:PutEvents", OUTCOME_BUS,
                Map.of("events:source", OutcomeEvents.SOURCE, "events:detail-type", OutcomeEvents.DETAIL_TYPE))))
                .isFalse();
    }

    @Test
    void reconcilerRole_allowsEveryCallOfItsAdapters_andChangesNoAccessAndNoRecord() {
        assertAllowsEveryCall(STACK.reconciler(), RECONCILER);
        assertAllowsNothingElse(STACK.reconciler(), RECONCILER, LAMBDA_ITSELF);
        for (String action : List.of("eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:UpdateAccessEntry",
                "eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy")) {
            assertThat(allows(STACK.reconciler(), action, ACCESS_ENTRY)).as(action).isFalse();
        }
        assertThat(allows(STACK.reconciler(), "sts:AssumeRole", MEMBER_ROLE)).isFalse();
        assertThat(allows(STACK.reconciler(), new Call("a cluster's records", "dynamodb:Query", LEDGER,
                CLUSTER_ITEMS))).isFalse();
        assertThat(allows(STACK.reconciler(), new Call("update a record", "dynamodb:UpdateItem", LEDGER,
                CLUSTER_ITEMS))).isFalse();
    }

    @Test
    void requestStatusPolicy_allowsTheCliReadsAndNothingElse() {
        List<Map<String, Object>> statements = TemplateJson.statementsOfManagedPolicy(TEMPLATE,
                logicalId(STACK.requestStatusPolicy()));

        for (Call call : STATUS_READER) {
            assertThat(allows(statements, call)).as(call.adapter()).isTrue();
        }
        assertThat(statements).flatExtracting(statement -> asList(statement.get("Action")))
                .containsOnly("dynamodb:Query", "dynamodb:GetItem");
        assertThat(allows(statements, new Call("a cluster's records", "dynamodb:Query", LEDGER, CLUSTER_ITEMS)))
                .isFalse();
        assertThat(allows(statements, new Call("by principal", "dynamodb:Query",
                LEDGER + "/index/" + Tables.LEDGER_BY_PRINCIPAL_INDEX))).isFalse();
    }

    /**
     * Issue 13, the ledger is append-only: no function may update or delete an audit record (partitions CLUSTER#…),
     * and an explicit Deny says so, whatever else a role allows; items change only in their own partitions.
     */
    @Test
    void functionRoles_mayNeitherUpdateNorDeleteAuditRecords_andAnExplicitDenySaysSo() {
        for (JavaFunction function : List.of(STACK.grantProcessor(), STACK.expirySweep(), STACK.reconciler(),
                STACK.accessChanges())) {
            for (String action : LedgerPermissions.ITEM_CHANGES) {
                for (Map<String, Object> records : List.of(CLUSTER_ITEMS, NO_CLUSTER_ITEMS)) {
                    Call change = new Call("change an audit record", action, LEDGER, records);
                    assertThat(allows(function, change)).as(function.getNode().getId() + " " + action).isFalse();
                    assertThat(denies(function, change)).as(function.getNode().getId() + " " + action).isTrue();
                }
                assertThat(denies(function, new Call("a mutable item", action, LEDGER, GRANT_ITEMS))).isFalse();
            }
            for (String action : LedgerPermissions.NEVER) {
                assertThat(denies(function, new Call("bulk or table write", action, LEDGER))).as(action).isTrue();
            }
            assertThat(allows(function, new Call("batch", "dynamodb:BatchWriteItem", LEDGER, PENDING_ITEMS)))
                    .isFalse();
        }
        // Each changes only the items it must: the processor deletes leases and decided approvals, never grant
        // states; the sweep updates grant states, never anything else, and deletes nothing.
        assertThat(allows(STACK.grantProcessor(), new Call("grant state", "dynamodb:DeleteItem", LEDGER, GRANT_ITEMS)))
                .isFalse();
        assertThat(allows(STACK.grantProcessor(), new Call("update", "dynamodb:UpdateItem", LEDGER, GRANT_ITEMS)))
                .isFalse();
        assertThat(allows(STACK.expirySweep(), new Call("lease", "dynamodb:UpdateItem", LEDGER, LEASE_ITEMS)))
                .isFalse();
        assertThat(allows(STACK.expirySweep(), new Call("pending", "dynamodb:DeleteItem", LEDGER, PENDING_ITEMS)))
                .isFalse();
        // The teams' read-only policy and the cluster-creation role write nothing to the ledger.
        assertThat(allows(STACK.clusterCreated(), new Call("put", "dynamodb:PutItem", LEDGER, CLUSTER_ITEMS)))
                .isFalse();
    }

    @Test
    void roleCheck_refusesACallTheRoleDoesNotAllow() {
        // The check itself can fail: the cluster-creation role may not change access entries.
        assertThat(allows(STACK.clusterCreated(), "eks:CreateAccessEntry", CLUSTER)).isFalse();
        assertThat(allows(STACK.clusterCreated(), "dynamodb:PutItem", LEDGER)).isFalse();
        assertThat(allows(STACK.grantProcessor(), "eks:CreateAccessEntry", CLUSTER)).isTrue();
    }

    private static void assertAllowsEveryCall(JavaFunction function, List<Call> calls) {
        for (Call call : calls) {
            assertThat(allows(function, call))
                    .as("%s needs %s on %s with %s", call.adapter(), call.action(), call.resource(), call.context())
                    .isTrue();
        }
    }

    private static void assertAllowsNothingElse(JavaFunction function, List<Call> calls, Set<String> platform) {
        Set<String> expected = new LinkedHashSet<>(platform);
        calls.forEach(call -> expected.add(call.action()));
        List<Object> granted = new ArrayList<>();
        allowStatements(function).forEach(statement -> granted.addAll(asList(statement.get("Action"))));

        assertThat(granted).as("actions of " + function.getNode().getId() + " no adapter calls")
                .allSatisfy(action -> assertThat(expected).contains((String) action));
    }

    /** Whether the function's role allows the action on {@code arn}, for a call that states no condition values. */
    private static boolean allows(JavaFunction function, String action, String arn) {
        return allows(function, new Call("probe", action, arn));
    }

    private static boolean allows(JavaFunction function, Call call) {
        return allows(allowStatements(function), call);
    }

    /**
     * Whether an Allow statement names the call's action and a resource matching its resource, and its conditions on
     * the {@link #EVALUATED_KEYS}, if any, hold for the call's values. A call that brings no value for a key a
     * statement conditions on is not allowed by it: stricter than IAM, where {@code ForAllValues} holds when the key is
     * absent, but every call here has a partition key (a Query always names one) or an event source.
     */
    private static boolean allows(List<Map<String, Object>> statements, Call call) {
        return applying(statements, "Allow", call) && !applying(statements, "Deny", call);
    }

    /** Whether a statement of this effect applies to the call: its action, a matching resource, its conditions. */
    private static boolean applying(List<Map<String, Object>> statements, String effect, Call call) {
        return statements.stream()
                .filter(statement -> effect.equals(statement.get("Effect")))
                .filter(statement -> asList(statement.get("Action")).contains(call.action()))
                .filter(statement -> asList(statement.get("Resource")).stream().map(VALUES::resolve)
                        .anyMatch(resource -> iamPattern(resource).matcher(call.resource()).matches()))
                .anyMatch(statement -> conditionsHold(statement, call.context()));
    }

    /** Whether an explicit Deny of the function's role applies to the call, whatever its Allow statements say. */
    private static boolean denies(JavaFunction function, Call call) {
        return applying(TemplateJson.statementsOfRole(TEMPLATE, logicalId(function.role())), "Deny", call);
    }

    /**
     * String equality and {@code StringLike} conditions on the evaluated keys, and their negation
     * {@code ForAnyValue:StringNotLike}; a single-valued key is its own one-value set. A call without a value for the
     * key satisfies none of them.
     */
    @SuppressWarnings("unchecked")
    private static boolean conditionsHold(Map<String, Object> statement, Map<String, Object> context) {
        Map<String, Object> conditions = (Map<String, Object>) statement.getOrDefault("Condition", Map.of());
        for (Map.Entry<String, Object> operator : conditions.entrySet()) {
            for (Map.Entry<String, Object> key : ((Map<String, Object>) operator.getValue()).entrySet()) {
                if (!EVALUATED_KEYS.contains(key.getKey())) {
                    continue;
                }
                Object value = context.get(key.getKey());
                if (value == null) {
                    return false;
                }
                List<Object> values = asList(key.getValue());
                boolean like = values.stream().anyMatch(v -> iamPattern((String) v).matcher((String) value).matches());
                boolean holds = switch (operator.getKey()) {
                    case "StringEquals", "ForAllValues:StringEquals" -> values.contains(value);
                    case "StringLike", "ForAllValues:StringLike" -> like;
                    case "ForAnyValue:StringNotLike" -> !like;
                    default -> throw new AssertionError("operator not evaluated here: " + operator.getKey() + " on "
                            + key.getKey());
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<Map<String, Object>> allowStatements(JavaFunction function) {
        return TemplateJson.statementsOfRole(TEMPLATE, logicalId(function.role())).stream()
                .filter(statement -> "Allow".equals(statement.get("Effect"))).toList();
    }

    /** IAM resource matching: {@code *} any run of characters, {@code ?} one. */
    private static Pattern iamPattern(String resource) {
        StringBuilder regex = new StringBuilder();
        for (char c : resource.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(regex.toString());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new LinkedHashSet<>(a);
        union.addAll(b);
        return union;
    }

    private static String arnOf(software.constructs.IConstruct resource) {
        return VALUES.resolve(EksAccessStackTest.arn(resource));
    }
}
