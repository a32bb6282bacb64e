package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.aws.KubernetesAwsAuthSource;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.awsauth.AccessComparison;
import dev.eksaccess.awsauth.MigrationPlan;
import dev.eksaccess.awsauth.MigrationPlanner;
import dev.eksaccess.awsauth.PlannedEntry;
import dev.eksaccess.awsauth.PlannedMapping;
import dev.eksaccess.awsauth.SampleRoles;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.kubernetes.KubernetesApiServer;
import dev.eksaccess.migration.CurrentEntries;
import dev.eksaccess.migration.MigrateRequests;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.SenderIdentities.Sender;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code migrate --apply} end to end, for every sample aws-auth with mappings that migrate: aws-auth read over HTTPS
 * from the cluster's emulated Kubernetes API, planned, sent as migrate requests to SQS (ElasticMQ) by the migration
 * role, processed by the real grant processor (sender through IAM, migration rules, leases and ledger in DynamoDB on
 * dynalite, the EKS emulator over HTTP) on a CONFIG_MAP cluster it switches to API_AND_CONFIG_MAP; then every
 * migrating mapping has its equivalent entry and the lockout invariants hold. And the attacks: a sender no migration
 * rule names, a grant rule's sender, an EC2_LINUX entry with a policy, a mode switch with the setting off.
 */
@ExtendWith(EmulatedAws.class)
class MigrationApplyIT {

    static final String ACCOUNT = "111122223333";
    static final String REGION = "eu-west-1";
    static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    static final String MIGRATOR = "arn:aws:iam::111122223333:role/platform/aws-auth-migrator";
    static final String PAYMENTS_CI = "arn:aws:iam::111122223333:role/teams/payments-ci";
    static final String READER = "arn:aws:iam::111122223333:role/eks-access-reader";
    static final AwsBasicCredentials READER_KEYS = AwsBasicCredentials.create("AKIDREADER0000000002", "reader-secret");

    private final MutableClock clock = new MutableClock(Instant.now());
    private GrantPipeline pipeline;
    private Sender migrator;
    private Sender paymentsCi;

    @BeforeEach
    void start(AwsBackend aws) {
        pipeline = GrantPipeline.start(aws, clock, 5);
        migrator = pipeline.senders.role(MIGRATOR, "migration");
        paymentsCi = pipeline.senders.role(PAYMENTS_CI, "github-actions");
    }

    @AfterEach
    void invariantsHold_andStop() {
        pipeline.close();
    }

    // ------------------------------------------------------------------ set-up

    /** A CONFIG_MAP cluster holding the sample's aws-auth, readable by the reader role. */
    private ClusterRef legacyCluster(String name, String sample) {
        pipeline.emulator.createCluster(ClusterSpec.builder(name).accountId(ACCOUNT).region(REGION)
                .authenticationMode(AuthenticationMode.CONFIG_MAP).creatorPrincipalArn(CREATOR).build());
        KubernetesApiServer api = pipeline.emulator.kubernetesApi(name);
        api.registerCaller(READER_KEYS.accessKeyId(), READER_KEYS.secretAccessKey(), READER);
        api.allowRead(READER);
        api.putAwsAuth(SampleRoles.sampleData(sample));
        pipeline.startedWithoutAdmin(name);
        return new ClusterRef("aws", REGION, ACCOUNT, name);
    }

    /** The plan, made from aws-auth as read over HTTPS with an EKS token. */
    private MigrationPlan plan(ClusterRef cluster) throws Exception {
        KubernetesAwsAuthSource source = KubernetesAwsAuthSource.of(pipeline.eksClient,
                StaticCredentialsProvider.create(READER_KEYS), REGION, clock, Duration.ofSeconds(5));
        return new MigrationPlanner(SampleRoles.load()).plan(source.read(cluster.name()).orElseThrow());
    }

    /**
     * The eligibility document an operator writes after reading the plans: one migration rule naming by exact ARN the
     * principals that keep cluster admin, one for every other migrating principal with the plans' groups and
     * usernames; payments-ci has a grant rule only.
     */
    private static EligibilityDocument document(List<MigrationPlan> plans) {
        List<PlannedEntry> entries = plans.stream().flatMap(plan -> plan.mappings().stream())
                .filter(MigrateRequests::sendable).map(mapping -> mapping.entry().orElseThrow()).toList();
        Set<String> admins = entries.stream().filter(e -> !e.clusterPolicies().isEmpty())
                .map(PlannedEntry::principalArn).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> groups = entries.stream().flatMap(e -> e.kubernetesGroups().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> usernames = entries.stream().flatMap(e -> e.username().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String identity = ",\"kubernetesGroups\":" + jsonList(groups) + ",\"usernames\":" + jsonList(usernames);
        return EligibilityDocument.parse("{\"version\":1,\"rules\":["
                + "{\"id\":\"migrate-admins\",\"senders\":[\"" + MIGRATOR + "\"],\"clusters\":{\"names\":[\"legacy-*\"]},"
                + "\"principals\":{\"arns\":" + jsonList(admins) + "},\"policies\":[\"AmazonEKSClusterAdminPolicy\"]"
                + identity + ",\"migration\":true},"
                + "{\"id\":\"migrate-others\",\"senders\":[\"" + MIGRATOR + "\"],\"clusters\":{\"names\":[\"legacy-*\"]},"
                + "\"principals\":{\"patterns\":[\"arn:aws:iam::111122223333:*\"]}" + identity
                + ",\"migration\":true},"
                + "{\"id\":\"payments-view\",\"senders\":[\"" + PAYMENTS_CI + "\"],\"clusters\":{\"names\":[\"*\"]},"
                + "\"principals\":{\"patterns\":[\"arn:aws:iam::111122223333:*\"]},\"policies\":[\"AmazonEKSViewPolicy\"],"
                + "\"scopes\":{\"cluster\":true}}]}");
    }

    private static String jsonList(Set<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private SqsLambdaPoller processor(EligibilityDocument document, boolean allowModeSwitch) {
        return pipeline.processor().authorizedBy(document).allowAuthModeSwitch(allowModeSwitch)
                .defaultSender(migrator).poller();
    }

    /** Polls until a round receives nothing (retries come back at once); RecoverAccessIT uses it too. */
    static void drain(SqsLambdaPoller poller) {
        for (int round = 0; round < 20; round++) {
            if (poller.pollOnce().isEmpty() && poller.pollOnce().isEmpty()) {
                return;
            }
        }
        throw new AssertionError("the queue did not drain");
    }

    private AuditRecord record(String senderArn, ClusterRef cluster, String requestId) {
        return pipeline.ledger.find(cluster.arn(), AuditRecord.senderKeyOf(senderArn), requestId).orElseThrow(
                () -> new AssertionError("no ledger record " + requestId + "; log: " + pipeline.logs));
    }

    private AccessComparison.Result compare(MigrationPlan plan, ClusterRef cluster) {
        return AccessComparison.compare(plan, CurrentEntries.read(new SdkEksAccess(pipeline.eksClient), cluster));
    }

    // ------------------------------------------------------------------ apply

    @Test
    void everySampleWithMigratingMappings_planApplyCompare_leavesEveryMigratingMappingWithItsEntry() throws Exception {
        List<String> samples = SampleRoles.readableSamples();
        List<ClusterRef> clusters = new java.util.ArrayList<>();
        List<MigrationPlan> plans = new java.util.ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            ClusterRef cluster = legacyCluster("legacy-" + i, samples.get(i));
            MigrationPlan plan = plan(cluster);
            if (plan.mappings().stream().anyMatch(MigrateRequests::sendable)) {
                clusters.add(cluster);
                plans.add(plan);
            }
        }
        assertThat(clusters).as("samples with mappings that migrate").hasSizeGreaterThanOrEqualTo(6);
        SqsLambdaPoller poller = processor(document(plans), true);

        Instant now = clock.instant();
        for (int i = 0; i < clusters.size(); i++) {
            for (AccessRequest request : MigrateRequests.of(plans.get(i), clusters.get(i), now, "it")) {
                poller.send(migrator, request.toJson());
            }
        }
        drain(poller);

        for (int i = 0; i < clusters.size(); i++) {
            ClusterRef cluster = clusters.get(i);
            AccessComparison.Result result = compare(plans.get(i), cluster);
            assertThat(result.rows()).as(cluster.name() + "; log: " + pipeline.logs)
                    .filteredOn(row -> row.mapping().verdict() == PlannedMapping.Verdict.MIGRATE
                            && MigrateRequests.sendable(row.mapping()))
                    .allSatisfy(row -> assertThat(row.status()).as(row.mapping().source() + " " + row.gap())
                            .isEqualTo(AccessComparison.Status.EQUIVALENT));
            assertThat(pipeline.emulator.cluster(cluster.name()).authenticationMode())
                    .isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
            for (AccessRequest request : MigrateRequests.of(plans.get(i), cluster, now, "it")) {
                assertThat(record(MIGRATOR, cluster, request.requestId()).outcome()).as(request.requestId())
                        .isEqualTo(Outcome.APPLIED);
            }
        }
        // One switch per cluster took effect (requests for other principals that raced it were refused by EKS and
        // waited); never to API, which the invariants check with every UpdateClusterConfig sent.
        assertThat(pipeline.emulator.calls("UpdateClusterConfig")).filteredOn(call -> call.succeeded())
                .extracting(call -> call.clusterName().orElseThrow())
                .containsExactlyInAnyOrderElementsOf(clusters.stream().map(ClusterRef::name).toList());

        // Sending the same plan again changes nothing: each request is a duplicate.
        pipeline.emulator.clearCalls();
        for (AccessRequest request : MigrateRequests.of(plans.get(0), clusters.get(0), now, "it")) {
            poller.send(migrator, request.toJson());
        }
        drain(poller);
        assertThat(pipeline.emulator.calls()).as("EKS calls of a re-run").isEmpty();
    }

    // ------------------------------------------------------------------ attacks

    private static String nodeMigrate(ClusterRef cluster, String extra) {
        return "{\"action\":\"migrate\",\"clusterArn\":\"" + cluster.arn() + "\",\"principalArn\":\""
                + "arn:aws:iam::111122223333:role/eksctl-demo-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F\","
                + "\"entryType\":\"EC2_LINUX\",\"awsAuthMapping\":\"mapRoles[0] (line 1)\"" + extra + "}";
    }

    private static String mastersMigrate(ClusterRef cluster, String principal) {
        return "{\"action\":\"migrate\",\"clusterArn\":\"" + cluster.arn() + "\",\"principalArn\":\"" + principal
                + "\",\"entryType\":\"STANDARD\",\"accessPolicy\":\"AmazonEKSClusterAdminPolicy\","
                + "\"accessScope\":{\"type\":\"cluster\"},\"username\":\"admin\","
                + "\"awsAuthMapping\":\"mapRoles[1] (line 6)\"}";
    }

    private static final String PLATFORM_ADMIN = "arn:aws:iam::111122223333:role/platform-admin";

    private void assertRefusedWithoutEksChange(ClusterRef cluster, String senderArn, String messageId,
                                               String... reason) {
        AuditRecord record = pipeline.ledger.find(cluster.arn(), AuditRecord.senderKeyOf(senderArn), messageId)
                .orElseThrow(() -> new AssertionError("no record of " + messageId + "; log: " + pipeline.logs));
        assertThat(record.outcome()).as(record.outcomeReason()).isEqualTo(Outcome.REJECTED);
        assertThat(record.outcomeReason()).contains(reason);
        assertThat(pipeline.emulator.calls()).filteredOn(call -> !call.operation().startsWith("Describe")
                && !call.operation().startsWith("List")).as("EKS changes").isEmpty();
    }

    @Test
    void attacks_onMigration_areRefused_withTheirReasons_andChangeNothing() throws Exception {
        ClusterRef cluster = legacyCluster("legacy-attacks", "eksctl.yaml");
        SqsLambdaPoller poller = processor(document(List.of(plan(cluster))), true);
        pipeline.emulator.clearCalls();

        // A sender no migration rule names (a stranger) makes itself cluster admin by migrate.
        String stranger = poller.send(pipeline.senders.stranger, mastersMigrate(cluster, TestSenders.STRANGER));
        // A grant rule's sender tries migrate for a principal its grant rule covers.
        String grantSender = poller.send(paymentsCi, mastersMigrate(cluster, PLATFORM_ADMIN));
        // An EC2_LINUX entry asking for a policy: refused by the parser, whoever sends it.
        String nodeAdmin = poller.send(migrator, nodeMigrate(cluster, ",\"accessPolicy\":\"AmazonEKSClusterAdminPolicy\","
                + "\"accessScope\":{\"type\":\"cluster\"}"));
        // The migration role asks cluster admin for a principal its rule does not name.
        String unnamed = poller.send(migrator, mastersMigrate(cluster, "arn:aws:iam::111122223333:role/developers"));
        drain(poller);

        assertRefusedWithoutEksChange(cluster, null, stranger, "unknown sender");
        assertRefusedWithoutEksChange(cluster, PAYMENTS_CI, grantSender, "is named by no migration rule",
                "grant rules never allow a migrate");
        assertRefusedWithoutEksChange(cluster, MIGRATOR, nodeAdmin, "accessPolicy: must be absent for an EC2_LINUX "
                + "entry");
        assertRefusedWithoutEksChange(cluster, MIGRATOR, unnamed, "rule 'migrate-admins': principal "
                + "arn:aws:iam::111122223333:role/developers");
        assertThat(pipeline.emulator.accessEntries(cluster.name())).isEmpty();
        assertThat(pipeline.emulator.cluster(cluster.name()).authenticationMode()).isEqualTo(AuthenticationMode.CONFIG_MAP);
    }

    @Test
    void aModeSwitch_withTheSettingOff_isRefused_namingTheSetting_andTheClusterStaysConfigMap() throws Exception {
        ClusterRef cluster = legacyCluster("legacy-noswitch", "eksctl.yaml");
        SqsLambdaPoller poller = processor(document(List.of(plan(cluster))), false);
        pipeline.emulator.clearCalls();

        String id = poller.send(migrator, mastersMigrate(cluster, PLATFORM_ADMIN));
        drain(poller);

        assertRefusedWithoutEksChange(cluster, MIGRATOR, id, "cluster uses authentication mode CONFIG_MAP",
                "set ALLOW_AUTH_MODE_SWITCH=true", "send the migrate request again");
        assertThat(pipeline.emulator.cluster(cluster.name()).authenticationMode()).isEqualTo(AuthenticationMode.CONFIG_MAP);
        assertThat(pipeline.emulator.calls("UpdateClusterConfig")).isEmpty();
    }
}
