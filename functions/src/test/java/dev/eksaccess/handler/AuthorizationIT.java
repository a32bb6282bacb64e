package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.delivery.OutcomeEvent;
import dev.eksaccess.emulator.eks.AccessEntrySnapshot;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.SenderIdentities.Sender;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on the grant queue, each through the real path: a message sent to SQS (ElasticMQ) with the credentials of
 * a sender (a role in the IAM emulator, its SenderId as SQS would set it), received as Lambda's event source mapping
 * would, its sender resolved through IAM by the production adapter, decided by the eligibility document
 * {@code eligibility/authorization-it.json} (test resources), applied to the EKS emulator over HTTP and recorded in
 * DynamoDB (dynalite). Every refused attack is asserted twice: the ledger names the specific reason, and EKS was not
 * called at all (so nothing in it changed).
 */
@ExtendWith(EmulatedAws.class)
class AuthorizationIT {

    static final String ACCOUNT = "111122223333";
    static final String CLUSTER = "payments-prod";
    static final String CLUSTER_ARN = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod";
    static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    static final String PAYMENTS_CI = "arn:aws:iam::111122223333:role/teams/payments-ci";
    static final String SRE = "arn:aws:iam::111122223333:role/platform/sre";
    static final String ONCALL = "arn:aws:iam::111122223333:role/platform/oncall";
    static final String ANA = "arn:aws:iam::111122223333:role/approvers/ana";
    static final String BEN = "arn:aws:iam::111122223333:role/approvers/ben";
    static final String PLATFORM_CI = "arn:aws:iam::111122223333:role/platform/ci";
    /** A principal the payments rules may give access to. */
    static final String PAYMENTS_DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";

    private final MutableClock clock = new MutableClock(Instant.now());
    private GrantPipeline pipeline;
    private Sender paymentsCi;
    private Sender sre;
    private Sender oncall;
    private Sender ana;
    private Sender ben;
    private Sender platformCi;
    private SqsLambdaPoller poller;

    @BeforeEach
    void start(AwsBackend aws) {
        pipeline = GrantPipeline.start(aws, clock);
        pipeline.emulator.createCluster(ClusterSpec.builder(CLUSTER).accountId(ACCOUNT).region("eu-west-1")
                .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                .bootstrapClusterCreatorAdminPermissions(true).creatorPrincipalArn(CREATOR).build());
        paymentsCi = pipeline.senders.role(PAYMENTS_CI, "github-actions");
        sre = pipeline.senders.role(SRE, "sre-laptop");
        oncall = pipeline.senders.role(ONCALL, "oncall");
        ana = pipeline.senders.role(ANA, "ana");
        ben = pipeline.senders.role(BEN, "ben");
        platformCi = pipeline.senders.role(PLATFORM_CI, "platform-ci");

        poller = poller((cluster, actingFor) -> new SdkEksAccess(pipeline.eksClient));
    }

    /**
     * A poller with its own grant processor, as one more Lambda invocation: it shares the queue, the tables (the
     * leases included, in DynamoDB as deployed) and EKS with every other.
     */
    private SqsLambdaPoller poller(dev.eksaccess.eks.EksAccessProvider eks) {
        return pipeline.processor().authorizedBy(document()).eks(eks).defaultSender(paymentsCi).poller();
    }

    /** The lockout tests take the creator's admin away, but always leave another holder: none is excused. */
    @AfterEach
    void invariantsHold_andStop() {
        pipeline.close();
    }

    static EligibilityDocument document() {
        try (InputStream in = AuthorizationIT.class.getResourceAsStream("/eligibility/authorization-it.json")) {
            return EligibilityDocument.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ messages

    private static String grant(String principal, String policy, String scope, String extra) {
        return "{\"action\":\"grant\",\"clusterName\":\"" + CLUSTER + "\",\"principalArn\":\"" + principal
                + "\",\"accessPolicy\":\"" + policy + "\",\"accessScope\":" + scope + extra + "}";
    }

    private static String viewOfPayments(String principal) {
        return grant(principal, "AmazonEKSViewPolicy", NS_PAYMENTS, ",\"duration\":\"PT1H\"");
    }

    private static String clusterAdmin(String principal, String extra) {
        return grant(principal, "AmazonEKSClusterAdminPolicy", CLUSTER_SCOPE, ",\"duration\":\"PT4H\"" + extra);
    }

    private static String revoke(String principal, String policy, String extra) {
        return "{\"action\":\"revoke\",\"clusterName\":\"" + CLUSTER + "\",\"principalArn\":\"" + principal + "\""
                + (policy == null ? "" : ",\"accessPolicy\":\"" + policy + "\"") + extra + "}";
    }

    private static String decision(String action, String pendingRequestId) {
        return "{\"action\":\"" + action + "\",\"pendingRequestId\":\"" + pendingRequestId + "\"}";
    }

    static final String CLUSTER_SCOPE = "{\"type\":\"cluster\"}";
    static final String NS_PAYMENTS = "{\"type\":\"namespace\",\"namespaces\":[\"payments\"]}";

    /** Sends {@code body} as {@code sender}, processes the queue; returns the message id (the default request id). */
    private String sendAs(Sender sender, String body) {
        String id = poller.send(sender, body);
        assertThat(poller.pollOnce()).as("no retry").isEmpty();
        return id;
    }

    /** A request's record; a decision that found no request to decide is recorded without cluster. */
    private AuditRecord record(String senderArn, String requestId) {
        String key = AuditRecord.senderKeyOf(senderArn);
        return pipeline.ledger.find(CLUSTER_ARN, key, requestId).or(() -> pipeline.ledger.find(null, key, requestId)).orElseThrow(
                () -> new AssertionError("no ledger record " + requestId + " of " + senderArn + "; log: " + pipeline.logs));
    }

    /** The held grant's own record, under its requester. */
    private AuditRecord recordOfGrant(String requestId) {
        return record(PAYMENTS_CI, requestId);
    }

    /** Asserts the request was rejected with a reason containing {@code reason}. */
    private void assertRejected(String senderArn, String requestId, String... reason) {
        AuditRecord record = record(senderArn, requestId);
        assertThat(record.outcome()).as(record.outcomeReason()).isEqualTo(Outcome.REJECTED);
        assertThat(record.outcomeReason()).contains(reason);
    }

    /** Runs {@code attack} and asserts EKS was not called at all by it, and its entries are as before. */
    private void assertEksUntouchedBy(Runnable attack) {
        List<AccessEntrySnapshot> before = pipeline.emulator.accessEntries(CLUSTER);
        pipeline.emulator.clearCalls();
        attack.run();
        assertThat(pipeline.emulator.calls()).as("EKS calls").isEmpty();
        assertThat(pipeline.emulator.accessEntries(CLUSTER)).isEqualTo(before);
    }

    private Optional<AccessEntrySnapshot> entry(String principal) {
        return pipeline.emulator.accessEntry(CLUSTER, principal);
    }

    /** payments-ci asks for cluster admin for payments-dev (rule payments-admin-two-approvers: ana and ben). */
    private String heldClusterAdminForPaymentsDev() {
        String id = sendAs(paymentsCi, clusterAdmin(PAYMENTS_DEV, ""));
        assertThat(recordOfGrant(id).outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
        assertThat(entry(PAYMENTS_DEV)).isEmpty();
        return id;
    }

    // ------------------------------------------------------------------ who sends

    @Test
    void unknownSender_namedByNoRule_makesItselfClusterAdmin_isRejectedBeforeAnythingIsRead() {
        String[] id = new String[1];
        assertEksUntouchedBy(() -> id[0] = sendAs(pipeline.senders.stranger,
                grant(TestSenders.STRANGER, "AmazonEKSClusterAdminPolicy", CLUSTER_SCOPE, "")));

        assertRejected(null, id[0], "unknown sender: SenderId " + pipeline.senders.stranger.senderId(), "nothing was read");
        assertThat(entry(TestSenders.STRANGER)).isEmpty();
    }

    @Test
    void senderInNoRule_anApproverOnly_grantsView_isRejected() {
        String[] id = new String[1];
        assertEksUntouchedBy(() -> id[0] = sendAs(ana, viewOfPayments(PAYMENTS_DEV)));

        assertRejected(ANA, id[0], "sender " + ANA + " is named by no eligibility rule");
    }

    // ------------------------------------------------------------------ outside the sender's rules

    @Test
    void eligibleSender_asksForAPolicyOutsideItsRules_isRejected() {
        String[] id = new String[1];
        assertEksUntouchedBy(() -> id[0] = sendAs(paymentsCi,
                grant(PAYMENTS_DEV, "AmazonEKSEditPolicy", NS_PAYMENTS, ",\"duration\":\"PT1H\"")));

        assertRejected(PAYMENTS_CI, id[0], "rule 'payments-view': policy AmazonEKSEditPolicy is not one of");
    }

    @Test
    void eligibleSender_asksForAClusterOutsideItsRules_isRejected() {
        String body = viewOfPayments(PAYMENTS_DEV).replace(CLUSTER, "checkout-prod");
        String id = poller.send(paymentsCi, body);
        pipeline.emulator.clearCalls();
        poller.pollOnce();

        AuditRecord record = pipeline.ledger.find("arn:aws:eks:eu-west-1:111122223333:cluster/checkout-prod", PAYMENTS_CI, id)
                .orElseThrow();
        assertThat(record.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(record.outcomeReason()).contains("cluster name checkout-prod matches none of [payments-*]");
        assertThat(pipeline.emulator.calls()).isEmpty();
    }

    @Test
    void eligibleSender_asksForANamespaceOutsideItsRules_isRejected() {
        String[] id = new String[1];
        assertEksUntouchedBy(() -> id[0] = sendAs(paymentsCi, grant(PAYMENTS_DEV, "AmazonEKSViewPolicy",
                "{\"type\":\"namespace\",\"namespaces\":[\"checkout\"]}", ",\"duration\":\"PT1H\"")));

        assertRejected(PAYMENTS_CI, id[0], "namespace checkout is not within [payments, payments-*]");
    }

    @Test
    void eligibleSender_reachesKubeSystemThroughKubeWildcard_isRejected() {
        String[] id = new String[1];
        assertEksUntouchedBy(() -> id[0] = sendAs(paymentsCi, grant(PAYMENTS_DEV, "AmazonEKSAdminViewPolicy",
                "{\"type\":\"namespace\",\"namespaces\":[\"kube-*\"]}", ",\"duration\":\"PT1H\"")));

        assertRejected(PAYMENTS_CI, id[0], "rule 'payments-tools': namespace kube-* reaches kube-system, which a rule "
                + "must name literally");
    }

    @Test
    void eligibleSender_asksForAGroupOutsideItsRules_isRejected() {
        String[] id = new String[1];
        assertEksUntouchedBy(() -> id[0] = sendAs(paymentsCi, grant(PAYMENTS_DEV, "AmazonEKSViewPolicy", NS_PAYMENTS,
                ",\"duration\":\"PT1H\",\"kubernetesGroups\":[\"checkout-deployers\"]")));

        assertRejected(PAYMENTS_CI, id[0], "rule 'payments-view':", "checkout-deployers");
    }

    @Test
    void eligibleSender_asksForADurationOutsideItsRule_orForever_isRejected() {
        String[] tooLong = new String[1];
        String[] forever = new String[1];
        assertEksUntouchedBy(() -> {
            tooLong[0] = sendAs(paymentsCi, grant(PAYMENTS_DEV, "AmazonEKSViewPolicy", NS_PAYMENTS,
                    ",\"duration\":\"PT13H\""));
            forever[0] = sendAs(paymentsCi, grant(PAYMENTS_DEV, "AmazonEKSViewPolicy", NS_PAYMENTS, ""));
        });

        assertRejected(PAYMENTS_CI, tooLong[0], "rule 'payments-view':", "PT12H");
        assertRejected(PAYMENTS_CI, forever[0], "rule 'payments-view':", "PT12H");
    }

    // ------------------------------------------------------------------ the system's own messages

    @Test
    void forgedBootstrap_fromATeamSender_isRejected() {
        String requestId = BootstrapRequest.requestIdFor("evt-forged");
        assertEksUntouchedBy(() -> sendAs(paymentsCi,
                BootstrapRequest.forEvent(CLUSTER_ARN, "evt-forged", clock.instant()).toJson()));

        assertRejected(PAYMENTS_CI, requestId, "bootstrap messages are accepted only from the cluster-creation "
                + "function's role (CLUSTER_CREATION_ROLE_ARN), the adoption function's (ADOPTION_ROLE_ARN) and, for a "
                + "bootstrap waiting for its cluster, the grant processor's own (GRANT_PROCESSOR_ROLE_ARN); "
                + PAYMENTS_CI + " is none of them");
    }

    @Test
    void forgedExpiryRevoke_fromATeamSender_isRejected_andTheAccessStays() {
        sendAs(platformCi, grant(PAYMENTS_DEV, "AmazonEKSViewPolicy", CLUSTER_SCOPE, ""));
        assertThat(entry(PAYMENTS_DEV)).isPresent();
        String forged = "expiry:payments-dev-view";

        assertEksUntouchedBy(() -> sendAs(paymentsCi, revoke(PAYMENTS_DEV, "AmazonEKSViewPolicy",
                ",\"requestId\":\"" + forged + "\"")));

        assertRejected(PAYMENTS_CI, forged, "request id " + forged + " starts with expiry:, which is reserved");
        assertThat(entry(PAYMENTS_DEV)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bootstrap:", "expiry:", "eks-access:"})
    void reservedRequestIdPrefix_fromATeamSender_isRejected(String prefix) {
        String id = prefix + "my-own-id";
        assertEksUntouchedBy(() -> sendAs(paymentsCi, viewOfPayments(PAYMENTS_DEV).replaceFirst("\\{",
                "{\"requestId\":\"" + id + "\",")));

        assertRejected(PAYMENTS_CI, id, "starts with " + prefix + ", which is reserved for the system's own functions");
    }

    // ------------------------------------------------------------------ Kubernetes identity

    /**
     * Runs {@code attack} and asserts it changed nothing in EKS: it may read (the refusal needs the entry), but it made
     * no create, update, delete, associate or disassociate call, and the entries are as before.
     */
    private void assertEksUnchangedBy(Runnable attack) {
        List<AccessEntrySnapshot> before = pipeline.emulator.accessEntries(CLUSTER);
        pipeline.emulator.clearCalls();
        attack.run();
        assertThat(pipeline.emulator.calls()).extracting(call -> call.operation())
                .allMatch(op -> op.startsWith("Describe") || op.startsWith("List"), "only reads");
        assertThat(pipeline.emulator.accessEntries(CLUSTER)).isEqualTo(before);
    }

    @Test
    void eligibleSender_rewritesTheGroupsOfAnEntryEksAccessDidNotCreate_isRejected_andTheEntryIsUnchanged() {
        // an entry the platform team made by hand, mapped to a group its own RBAC binds
        pipeline.emulator.seedAccessEntry(CLUSTER, PAYMENTS_DEV, "platform-operators");
        String[] id = new String[1];
        assertEksUnchangedBy(() -> id[0] = sendAs(paymentsCi, grant(PAYMENTS_DEV, "AmazonEKSViewPolicy", NS_PAYMENTS,
                ",\"duration\":\"PT1H\",\"kubernetesGroups\":[\"payments-readers\"]")));

        assertRejected(PAYMENTS_CI, id[0], "the access entry of " + PAYMENTS_DEV + " was not created by eks-access",
                "kubernetesGroups are never rewritten");
        assertThat(entry(PAYMENTS_DEV).orElseThrow().kubernetesGroups()).containsExactly("platform-operators");
    }

    @Test
    void eligibleSender_takesTheUsernameOfAnotherPrincipalsEntry_isRejected_andNoEntryIsMade() {
        String qa = "arn:aws:iam::111122223333:role/teams/payments-qa";
        pipeline.emulator.registerIamPrincipal(qa);
        sendAs(paymentsCi, grant(PAYMENTS_DEV, "AmazonEKSViewPolicy", NS_PAYMENTS,
                ",\"duration\":\"PT1H\",\"username\":\"payments-oncall\""));
        assertThat(entry(PAYMENTS_DEV).orElseThrow().username()).isEqualTo("payments-oncall");

        String[] id = new String[1];
        assertEksUnchangedBy(() -> id[0] = sendAs(paymentsCi, grant(qa, "AmazonEKSViewPolicy", NS_PAYMENTS,
                ",\"duration\":\"PT1H\",\"username\":\"payments-oncall\"")));

        assertRejected(PAYMENTS_CI, id[0], "username payments-oncall is the Kubernetes username of " + PAYMENTS_DEV
                + "'s access entry on this cluster: it would impersonate that principal");
        assertThat(entry(qa)).isEmpty();
    }

    // ------------------------------------------------------------------ lockout

    @Test
    void timeBoundClusterAdmin_isTheLastOneAtExpiry_theSweepsRevokeIsRefused_keptOverdue_andAlarmsEveryRun() {
        // GIVEN payments-dev holds cluster admin until a minute ago, and the creator no longer holds it
        String admin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
        pipeline.emulator.seedAccessEntry(CLUSTER, PAYMENTS_DEV);
        pipeline.emulator.seedPolicyAssociation(CLUSTER, PAYMENTS_DEV, admin, dev.eksaccess.emulator.eks.AccessScope.cluster());
        pipeline.eksClient.disassociateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(CREATOR).policyArn(admin));
        pipeline.states.save(new dev.eksaccess.delivery.GrantState(CLUSTER_ARN, PAYMENTS_DEV, admin, true,
                clock.instant().minus(Duration.ofHours(4)), "sre-grant", clock.instant().minus(Duration.ofMinutes(1))));
        List<String> revokes = new CopyOnWriteArrayList<>();
        ExpirySweepHandler sweep = new ExpirySweepHandler(pipeline.states, pipeline.pending, body -> {
            revokes.add(body);
            poller.send(pipeline.senders.expirySweep, body);
        }, clock, pipeline.logs::add);

        // WHEN the sweep queues its revoke and the processor gets it from the queue
        sweep.handleRequest(null, null);
        assertThat(poller.pollOnce()).as("no retry").isEmpty();

        // THEN it is refused with the reason, recorded, published, and logged as an ERROR with an errorType
        String requestId = revokes.getFirst().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1");
        assertRejected(TestSenders.EXPIRY_SWEEP, requestId, "expiry revoke refused", "principal " + PAYMENTS_DEV
                + " is the last one holding AmazonEKSClusterAdminPolicy at cluster scope", "kept on record as overdue");
        assertThat(pipeline.outcomes.statesOf(requestId)).contains("rejected");
        assertThat(pipeline.logs).anyMatch(line -> line.contains("\"level\":\"ERROR\"")
                && line.contains("\"errorType\":\"ExpiryRevokeRefused\"") && line.contains(requestId));
        // AND the access stays, the grant is kept overdue, not queued again, and every sweep alarms until resolved
        assertThat(pipeline.emulator.accessEntry(CLUSTER, PAYMENTS_DEV)).isPresent();
        assertThat(pipeline.eksClient.listAssociatedAccessPolicies(r -> r.clusterName(CLUSTER).principalArn(PAYMENTS_DEV))
                .associatedAccessPolicies()).extracting(p -> p.policyArn()).containsExactly(admin);
        assertThat(pipeline.states.findOverdue(10)).extracting(g -> g.principalArn()).containsExactly(PAYMENTS_DEV);
        pipeline.logs.clear();
        sweep.handleRequest(null, null);
        assertThat(revokes).hasSize(1);
        assertThat(pipeline.logs).anyMatch(line -> line.contains("\"level\":\"ERROR\"")
                && line.contains("\"errorType\":\"OverdueGrants\"") && line.contains(PAYMENTS_DEV));
    }

    @Test
    void twoConcurrentRevokesOfTheLastTwoClusterAdmins_inTwoInvocations_oneIsRefused_soOneAdminRemains()
            throws Exception {
        // GIVEN payments-dev and payments-qa hold cluster admin at cluster scope, and nobody else does
        String admin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
        String qa = "arn:aws:iam::111122223333:role/teams/payments-qa";
        for (String principal : List.of(PAYMENTS_DEV, qa)) {
            pipeline.emulator.seedAccessEntry(CLUSTER, principal);
            pipeline.emulator.seedPolicyAssociation(CLUSTER, principal, admin, dev.eksaccess.emulator.eks.AccessScope.cluster());
        }
        pipeline.eksClient.disassociateAccessPolicy(r -> r.clusterName(CLUSTER).principalArn(CREATOR).policyArn(admin));
        // AND one invocation whose EKS calls pause at the first DescribeCluster, before its last-admin check
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        dev.eksaccess.eks.EksAccess real = new SdkEksAccess(pipeline.eksClient);
        dev.eksaccess.eks.EksAccess pausing = (dev.eksaccess.eks.EksAccess) java.lang.reflect.Proxy.newProxyInstance(
                dev.eksaccess.eks.EksAccess.class.getClassLoader(), new Class<?>[] {dev.eksaccess.eks.EksAccess.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("describeCluster") && inside.getCount() > 0) {
                        inside.countDown();
                        assertThat(resume.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SqsLambdaPoller first = poller((cluster, actingFor) -> pausing);
        SqsLambdaPoller second = poller((cluster, actingFor) -> new SdkEksAccess(pipeline.eksClient));
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            // WHEN the SRE revokes payments-dev's admin in one invocation (paused inside EKS on its own thread) ...
            String revokeDev = first.send(sre, revoke(PAYMENTS_DEV, "AmazonEKSClusterAdminPolicy", ""));
            java.util.concurrent.Future<List<String>> devRun = thread.submit(first::pollOnce);
            assertThat(inside.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("paused inside EKS").isTrue();
            // ... and payments-qa's in another invocation meanwhile
            String revokeQa = second.send(sre, revoke(qa, "AmazonEKSClusterAdminPolicy", ""));
            pipeline.emulator.clearCalls();
            List<String> waiting = second.pollOnce();

            // THEN the second waits for the cluster's admin-removal lease, without touching EKS or the ledger
            assertThat(waiting).as("retried: the cluster's admin-removal lease is held").containsExactly(revokeQa);
            assertThat(pipeline.emulator.calls()).isEmpty();
            assertThat(pipeline.ledger.find(CLUSTER_ARN, AuditRecord.senderKeyOf(SRE), revokeQa)).isEmpty();
            resume.countDown();
            assertThat(devRun.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("no retry").isEmpty();
            AuditRecord dev = record(SRE, revokeDev);
            assertThat(dev.outcome()).as(dev.outcomeReason()).isEqualTo(Outcome.APPLIED);
            // AND its retry, after the first revoke, is refused: payments-qa is the last admin, and stays one
            assertThat(second.pollOnce()).as("no retry").isEmpty();
            assertRejected(SRE, revokeQa, "principal " + qa + " is the last one holding AmazonEKSClusterAdminPolicy "
                    + "at cluster scope");
            assertThat(pipeline.eksClient.listAssociatedAccessPolicies(r -> r.clusterName(CLUSTER).principalArn(qa))
                    .associatedAccessPolicies()).extracting(p -> p.policyArn()).containsExactly(admin);
        } finally {
            resume.countDown();
            thread.shutdownNow();
        }
    }

    @Test
    void requestIdPreemption_senderBReusesSenderAsId_bothAreProcessedIndependently() {
        String id = "CHG-4711";
        String withId = ",\"requestId\":\"" + id + "\"";
        sendAs(platformCi, grant("arn:aws:iam::111122223333:role/teams/checkout-dev", "AmazonEKSEditPolicy",
                CLUSTER_SCOPE, withId));
        sendAs(paymentsCi, grant(PAYMENTS_DEV, "AmazonEKSViewPolicy", NS_PAYMENTS, ",\"duration\":\"PT1H\"" + withId));

        assertThat(record(PLATFORM_CI, id).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(record(PAYMENTS_CI, id).outcome()).as("not a duplicate of the other sender's request")
                .isEqualTo(Outcome.APPLIED);
        assertThat(record(PAYMENTS_CI, id).principalArn()).isEqualTo(PAYMENTS_DEV);
        assertThat(entry("arn:aws:iam::111122223333:role/teams/checkout-dev")).isPresent();
        assertThat(entry(PAYMENTS_DEV).orElseThrow().policy(AccessPolicies.VIEW)).isPresent();
    }

    // ------------------------------------------------------------------ approvals

    @Test
    void selfApproval_isNotCounted() {
        String held = sendAs(sre, clusterAdmin(ONCALL, ""));
        assertThat(record(SRE, held).outcome()).isEqualTo(Outcome.PENDING_APPROVAL);

        String[] approval = new String[1];
        assertEksUntouchedBy(() -> approval[0] = sendAs(sre, decision("approve", held)));

        assertRejected(SRE, approval[0], "not counted: nobody approves their own request");
        assertThat(record(SRE, held).outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
    }

    @Test
    void approvalByThePrincipalItself_isNotCounted() {
        String held = sendAs(sre, clusterAdmin(ONCALL, ""));

        String[] approval = new String[1];
        assertEksUntouchedBy(() -> approval[0] = sendAs(oncall, decision("approve", held)));

        assertRejected(ONCALL, approval[0], "not counted: nobody approves a grant for themselves");
        assertThat(record(SRE, held).outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
        assertThat(entry(ONCALL)).isEmpty();
    }

    @Test
    void approvalByANonApprover_isNotCounted() {
        String held = heldClusterAdminForPaymentsDev();

        String[] approval = new String[1];
        assertEksUntouchedBy(() -> approval[0] = sendAs(platformCi, decision("approve", held)));

        assertRejected(PLATFORM_CI, approval[0], "not counted: " + PLATFORM_CI
                + " is not an approver of rule 'payments-admin-two-approvers'");
        assertThat(recordOfGrant(held).outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
    }

    @Test
    void doubleApproval_byTheSameApprover_countsOnce_whenTwoAreNeeded() {
        String held = heldClusterAdminForPaymentsDev();
        String first = sendAs(ana, decision("approve", held));
        assertThat(record(ANA, first).outcome()).isEqualTo(Outcome.APPLIED);

        String[] second = new String[1];
        assertEksUntouchedBy(() -> second[0] = sendAs(ana, decision("approve", held)));

        assertRejected(ANA, second[0], "not counted: " + ANA + " approved request " + held + " already");
        assertThat(recordOfGrant(held).outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
        assertThat(entry(PAYMENTS_DEV)).isEmpty();
    }

    @Test
    void multiApproval_appliesOnlyAfterTheSecondDistinctApprover() {
        String held = heldClusterAdminForPaymentsDev();
        assertEksUntouchedBy(() -> sendAs(ana, decision("approve", held)));
        assertThat(recordOfGrant(held).outcome()).isEqualTo(Outcome.PENDING_APPROVAL);

        String second = sendAs(ben, decision("approve", held));

        assertThat(record(BEN, second).outcomeReason()).contains("completed request " + held);
        assertThat(recordOfGrant(held).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(entry(PAYMENTS_DEV).orElseThrow().hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
        assertThat(pipeline.pending.find(held)).isEmpty();
    }

    @Test
    void approvalAfterExpiry_findsNothing_onceTheSweepExpiredTheRequest() {
        String held = sendAs(sre, clusterAdmin(ONCALL, ""));
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        ExpirySweepHandler sweep = new ExpirySweepHandler(pipeline.states, pipeline.pending,
                new SqsGrantQueue(pipeline.senders.expirySweep.sqs(), pipeline.queue.queueUrl()), clock, pipeline.logs::add);

        sweep.handleRequest(null, null);
        poller.pollOnce();
        String[] late = new String[1];
        assertEksUntouchedBy(() -> late[0] = sendAs(ana, decision("approve", held)));

        assertRejected(SRE, held, "expired: 1 approval(s) still missing");
        assertRejected(ANA, late[0], "no request " + held + " waits for approval");
        assertThat(entry(ONCALL)).isEmpty();
    }

    @Test
    void expireMessage_fromATeamSender_isRejected() {
        String held = sendAs(sre, clusterAdmin(ONCALL, ""));
        clock.advance(Duration.ofHours(2));

        String[] expire = new String[1];
        assertEksUntouchedBy(() -> expire[0] = sendAs(paymentsCi, decision("expire", held)
                .replace("}", ",\"requester\":\"" + SRE + "\"}")));

        assertRejected(PAYMENTS_CI, expire[0], "expire messages are accepted only from the expiry sweep's role "
                + "(EXPIRY_SWEEP_ROLE_ARN)");
        assertThat(record(SRE, held).outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
    }

    @Test
    void deny_endsTheRequest_andALaterApprovalFindsNothing() {
        String held = heldClusterAdminForPaymentsDev();

        assertEksUntouchedBy(() -> {
            sendAs(ana, decision("deny", held));
            String late = sendAs(ben, decision("approve", held));
            assertRejected(BEN, late, "no request " + held + " waits for approval");
        });

        assertRejected(PAYMENTS_CI, held, "denied by " + ANA);
        assertThat(pipeline.pending.find(held)).isEmpty();
    }

    @Test
    void revokeSentAfterTheRequest_beforeItsApproval_wins_theApprovedGrantIsIgnoredAsStale() {
        String held = heldClusterAdminForPaymentsDev();
        clock.advance(Duration.ofSeconds(5));
        String revoke = sendAs(paymentsCi, revoke(PAYMENTS_DEV, "AmazonEKSClusterAdminPolicy", ""));
        assertThat(record(PAYMENTS_CI, revoke).outcome()).isIn(Outcome.APPLIED, Outcome.IGNORED);

        sendAs(ana, decision("approve", held));
        sendAs(ben, decision("approve", held));

        AuditRecord grant = recordOfGrant(held);
        assertThat(grant.outcome()).as(grant.outcomeReason()).isEqualTo(Outcome.IGNORED);
        assertThat(grant.outcomeReason()).startsWith("stale");
        assertThat(entry(PAYMENTS_DEV)).isEmpty();
    }

    // ------------------------------------------------------------------ revokes

    @Test
    void revokeAll_byASenderLimitedToThePoliciesItsRulesName_leavesTheOthers() {
        sendAs(platformCi, grant(PAYMENTS_DEV, "AmazonEKSEditPolicy", CLUSTER_SCOPE, ""));
        sendAs(paymentsCi, viewOfPayments(PAYMENTS_DEV));
        assertThat(entry(PAYMENTS_DEV).orElseThrow().policies()).hasSize(2);

        String revokeAll = sendAs(paymentsCi, revoke(PAYMENTS_DEV, null, ""));

        assertThat(record(PAYMENTS_CI, revokeAll).outcome()).isEqualTo(Outcome.APPLIED);
        AccessEntrySnapshot left = entry(PAYMENTS_DEV).orElseThrow();
        assertThat(left.policy(AccessPolicies.VIEW)).as("payments-ci's rules name View").isEmpty();
        assertThat(left.hasClusterScoped(AccessPolicies.EDIT)).as("no rule of payments-ci names Edit").isTrue();
    }

    @Test
    void aPrincipal_mayAlwaysRevokeItsOwnAccess_withoutARuleForIt() {
        sendAs(platformCi, grant(ANA, "AmazonEKSEditPolicy", CLUSTER_SCOPE, ""));
        assertThat(entry(ANA)).isPresent();

        String revoke = sendAs(ana, revoke(ANA, null, ""));

        assertThat(record(ANA, revoke).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(record(ANA, revoke).ruleId()).isEqualTo("self");
        assertThat(entry(ANA)).isEmpty();
    }

    @Test
    void requestedAtInTheFuture_isCapped_soALaterRevokeIsNotStale() {
        String grant = sendAs(platformCi, grant(PAYMENTS_DEV, "AmazonEKSViewPolicy", CLUSTER_SCOPE,
                ",\"requestedAt\":\"" + Instant.now().plusSeconds(240) + "\""));
        assertThat(record(PLATFORM_CI, grant).outcomeReason()).contains("lay after the message's SQS SentTimestamp");

        String revoke = sendAs(platformCi, revoke(PAYMENTS_DEV, "AmazonEKSViewPolicy", ""));

        assertThat(record(PLATFORM_CI, revoke).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(entry(PAYMENTS_DEV)).isEmpty();
    }

    // ------------------------------------------------------------------ outcome events

    @Test
    void approveDenyAndExpire_publishTheirOutcomeEvents() {
        String approved = sendAs(sre, clusterAdmin(ONCALL, ""));
        sendAs(ana, decision("approve", approved));
        String denied = heldClusterAdminForPaymentsDev();
        sendAs(ben, decision("deny", denied));
        String expired = sendAs(sre, clusterAdmin("arn:aws:iam::111122223333:role/platform/night-shift", ""));
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        new ExpirySweepHandler(pipeline.states, pipeline.pending,
                new SqsGrantQueue(pipeline.senders.expirySweep.sqs(), pipeline.queue.queueUrl()), clock, pipeline.logs::add)
                .handleRequest(null, null);
        poller.pollOnce();

        assertThat(pipeline.outcomes.statesOf(approved)).containsSubsequence("received", "pending-approval", "approved",
                "applied");
        assertThat(pipeline.outcomes.statesOf(denied)).containsSubsequence("received", "pending-approval", "denied");
        assertThat(pipeline.outcomes.statesOf(expired)).containsSubsequence("received", "pending-approval", "expired");
        OutcomeEvent applied = only(approved, OutcomeEvents.State.APPLIED);
        assertThat(applied.sender().arn()).isEqualTo(SRE);
        assertThat(applied.sender().id()).isEqualTo(sre.senderId());
        assertThat(applied.cluster().arn()).isEqualTo(CLUSTER_ARN);
        assertThat(applied.principalArn()).isEqualTo(ONCALL);
        assertThat(applied.approval().orElseThrow().pending().approvedBy()).containsExactly(ANA);
        OutcomeEvent held = only(denied, OutcomeEvents.State.PENDING_APPROVAL);
        assertThat(held.approval().orElseThrow().approvers()).containsExactlyInAnyOrder(ANA, BEN);
        OutcomeEvent deniedEvent = only(denied, OutcomeEvents.State.DENIED);
        assertThat(deniedEvent.deniedBy()).isEqualTo(BEN);
        assertThat(deniedEvent.sender().arn()).isEqualTo(PAYMENTS_CI);
        assertThat(deniedEvent.principalArn()).isEqualTo(PAYMENTS_DEV);
        OutcomeEvent expiredEvent = only(expired, OutcomeEvents.State.EXPIRED);
        assertThat(expiredEvent.cluster().arn()).isEqualTo(CLUSTER_ARN);
        assertThat(expiredEvent.approval().orElseThrow().approvers()).contains(ANA);
    }

    private OutcomeEvent only(String requestId, OutcomeEvents.State state) {
        return pipeline.outcomes.in(state).stream().filter(e -> e.requestId().equals(requestId)).reduce((a, b) -> {
            throw new AssertionError("more than one " + state + " event for " + requestId);
        }).orElseThrow(() -> new AssertionError("no " + state + " event for " + requestId + ": " + pipeline.outcomes.events));
    }
}
