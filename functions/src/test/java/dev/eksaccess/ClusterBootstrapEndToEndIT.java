package dev.eksaccess;

import dev.eksaccess.aws.SdkAdoptionSources;
import dev.eksaccess.config.AdoptionConfig;
import dev.eksaccess.handler.AdoptionHandler;
import dev.eksaccess.testsupport.CloudTrailEmulator;
import dev.eksaccess.testsupport.TestEksClients;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.aws.CrossAccountEks;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoPendingApprovals;
import dev.eksaccess.aws.EksClusterLookup;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.aws.SqsRetryScheduler;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.DeploymentFiles;
import dev.eksaccess.config.Environment;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.BootstrapWaits;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.delivery.RetryScheduler;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.emulator.eks.AccessEntrySnapshot;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSnapshot;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.ClusterStatus;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.eks.Fault;
import dev.eksaccess.emulator.eks.ManualClock;
import dev.eksaccess.emulator.eks.RecordedCall;
import dev.eksaccess.handler.ClusterCreatedHandler;
import dev.eksaccess.engine.AccessEngine;
import dev.eksaccess.handler.GrantPipeline;
import dev.eksaccess.handler.GrantRequestHandler;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testsupport.LockoutInvariants;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.EventSourceMappingPoller;
import dev.eksaccess.testsupport.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 3 end to end: each CloudTrail CreateCluster sample goes through the cluster-creation handler (registry in
 * dynalite, bootstrap request on an ElasticMQ queue), then the grant queue is fed to the grant processor as Lambda's
 * event source mapping does, which applies the bootstrap to the EKS emulator over HTTP with the real SDK client.
 * Both functions read one set of settings, as the CDK app gives them.
 *
 * <p>Time: a cluster takes {@link #CLUSTER_CREATION} to leave CREATING on the emulator's {@link ManualClock}. The
 * processor's retry delays (30 s, 1 min, 2 min, ...) are recorded and pass on that clock instead of the wall clock,
 * and the message is visible again at once, so a 15-minute wait costs milliseconds.
 *
 * <p>Senders: the cluster-creation function sends its bootstrap requests with the credentials of its role
 * ({@link TestSenders#CLUSTER_CREATION}, a role in the IAM emulator), so they reach the grant processor with that
 * role's SenderId, which the processor resolves through IAM and accepts as the only sender of bootstrap messages
 * ({@code CLUSTER_CREATION_ROLE_ARN}).
 *
 * <p>After every test the {@link LockoutInvariants} must hold.
 */
@ExtendWith(EmulatedAws.class)
class ClusterBootstrapEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWN_ACCOUNT = "111122223333";
    private static final String HOME_REGION = "eu-west-1";
    /** A role with a path, given the default policy (cluster admin). */
    private static final String PLATFORM_ADMIN = "arn:aws:iam::111122223333:role/platform/EksAdmin";
    /** A user given a narrower policy. */
    private static final String AUDITOR = "arn:aws:iam::111122223333:user/auditor";
    private static final String ADMIN_PRINCIPALS = PLATFORM_ADMIN + "," + AUDITOR + "=" + AccessPolicies.ADMIN_VIEW;
    /** Later than every sample's eventTime, so that bootstrap requests (requestedAt = eventTime) are not in the future. */
    private static final Instant START = Instant.parse("2026-11-28T09:30:00Z");
    private static final Duration CLUSTER_CREATION = Duration.ofMinutes(12);
    private static final Duration MODE_UPDATE = Duration.ofMinutes(4);
    private static final Set<String> MUTATING = Set.of("CreateAccessEntry", "UpdateAccessEntry", "DeleteAccessEntry",
            "AssociateAccessPolicy", "DisassociateAccessPolicy", "UpdateClusterConfig");
    private static final Set<String> CHANGING_AN_EXISTING_ENTRY = Set.of("UpdateAccessEntry", "DeleteAccessEntry",
            "DisassociateAccessPolicy");

    private final AwsBackend aws;
    private final ManualClock eksTime = new ManualClock(START);
    private final Clock clock = eksTime.withZone(ZoneOffset.UTC);
    private final List<Duration> retryDelays = new CopyOnWriteArrayList<>();
    private final List<Duration> recheckDelays = new CopyOnWriteArrayList<>();
    private final List<String> assumedRoles = new CopyOnWriteArrayList<>();
    private final List<CrossAccountEks.Session> sessions = new CopyOnWriteArrayList<>();
    private final List<Region> clientRegions = new CopyOnWriteArrayList<>();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    /** EKS, the grant queue, the tables and the senders; the functions are wired to it by {@link #deploy}. */
    private GrantPipeline pipeline;
    private ClusterCreatedHandler creation;
    /** The adoption function (docs/adopt.md) and the emulated CloudTrail history it reads. */
    private AdoptionHandler adoption;
    private CloudTrailEmulator cloudTrail;
    private EventSourceMappingPoller grantQueue;

    ClusterBootstrapEndToEndIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void start() {
        pipeline = GrantPipeline.start(aws, clock, new GrantPipeline.Settings(EksEmulator.Options.defaults()
                .withClock(eksTime).withActivationDelay(CLUSTER_CREATION).withUpdateDelay(MODE_UPDATE),
                RetryMode.STANDARD, GrantQueueSettings.MAX_RECEIVE_COUNT));
        cloudTrail = CloudTrailEmulator.start(clock);
        deploy(Map.of());
    }

    @AfterEach
    void invariantsHold_andStop() {
        try {
            pipeline.close();
        } finally {
            cloudTrail.close();
        }
    }

    // ------------------------------------------------------------------ the deployment

    /**
     * Wires both functions from one set of settings: the admin principals (two principals, two policies),
     * CREATOR_ADMIN=true, the internal senders' roles, and {@code extra} on top.
     */
    private void deploy(Map<String, String> extra) {
        Map<String, String> variables = new HashMap<>(Map.of(
                Setting.REGISTRY_TABLE.variable(), pipeline.registryTable,
                Setting.LEDGER_TABLE.variable(), pipeline.ledgerTable,
                Setting.GRANT_QUEUE_URL.variable(), pipeline.queue.queueUrl(),
                Setting.DEPLOYMENT_FILE.variable(), DeploymentFiles.withAdmins(ADMIN_PRINCIPALS),
                Setting.CREATOR_ADMIN.variable(), "true",
                Setting.CLUSTER_CREATION_ROLE_ARN.variable(), TestSenders.CLUSTER_CREATION,
                Setting.EXPIRY_SWEEP_ROLE_ARN.variable(), TestSenders.EXPIRY_SWEEP,
                Setting.GRANT_PROCESSOR_ROLE_ARN.variable(), TestSenders.GRANT_PROCESSOR,
                Setting.ADOPTION_ROLE_ARN.variable(), ADOPTION_ROLE));
        variables.putAll(extra);
        Environment environment = new Environment(variables);

        ClusterCreationConfig creationConfig = ClusterCreationConfig.from(environment);
        // The cluster-creation function verifies each event with DescribeCluster on the same path to EKS.
        creation = new ClusterCreatedHandler(creationConfig,
                new DynamoClusterRegistry(aws.dynamoDb(), creationConfig.registryTable(), clock),
                new SqsBootstrapQueue(pipeline.senders.clusterCreation.sqs(), creationConfig.grantQueueUrl()),
                new EksClusterLookup(home -> emulatedEks(home, creationConfig.clusterReaderRoleName())), clock,
                logs::add);

        // The adoption function sends with its own role; it lists clusters per account with the emulator's account
        // keys, and reads the emulated CloudTrail; its member-account sessions are recorded like the others'.
        AdoptionConfig adoptionConfig = AdoptionConfig.from(environment, HOME_REGION);
        SdkAdoptionSources sources = new SdkAdoptionSources(
                region -> TestEksClients.ofAccount(pipeline.emulator.endpoint(), region, OWN_ACCOUNT),
                region -> CloudTrailClient.builder().endpointOverride(cloudTrail.endpoint()).region(region)
                        .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(cloudTrail.credentials(OWN_ACCOUNT))
                        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build(),
                SdkAdoptionSources.memberRole(OWN_ACCOUNT, "aws", adoptionConfig.creation().clusterReaderRoleName(),
                        (roleArn, session) -> {
                            assumedRoles.add(roleArn);
                            sessions.add(session);
                            return TestEksClients.accountCredentials(roleArn.split(":")[4]);
                        }));
        adoption = new AdoptionHandler(adoptionConfig, pipeline.registry, new SqsBootstrapQueue(
                pipeline.senders.role(ADOPTION_ROLE, "adoption").sqs(), pipeline.queue.queueUrl()), sources, sources,
                emulatedEks(OWN_ACCOUNT, adoptionConfig.creation().clusterReaderRoleName()), clock, logs::add);

        GrantProcessorConfig parsed = GrantProcessorConfig.from(environment);
        // ElasticMQ's queue URLs name account 000000000000; in AWS the grant queue is in the function's own account.
        GrantProcessorConfig processorConfig = new GrantProcessorConfig(parsed.ledgerTable(), parsed.registryTable(),
                parsed.grantQueueUrl(), OWN_ACCOUNT, parsed.admins(), parsed.creatorAdmin(),
                parsed.allowAuthModeSwitch(), parsed.crossAccountRoleName(), parsed.allowedPolicies(),
                parsed.maxGrantDuration()).withAuthorization(TestSenders.document(), parsed.internalSenders());
        CrossAccountEks eks = emulatedEks(OWN_ACCOUNT, processorConfig.crossAccountRoleName());
        SqsRetryScheduler sqsRetries = new SqsRetryScheduler(aws.sqs(), processorConfig.grantQueueUrl());
        RetryScheduler retries = (receiptHandle, delay) -> {
            retryDelays.add(delay);
            eksTime.advance(delay);
            sqsRetries.retryAfter(receiptHandle, Duration.ZERO);
        };
        // A waiting bootstrap's copy is sent with the processor's own role; its delay passes on the EKS clock too.
        SqsBootstrapQueue copies = new SqsBootstrapQueue(pipeline.senders.grantProcessor.sqs(),
                processorConfig.grantQueueUrl());
        BootstrapWaits waits = (request, delay) -> {
            recheckDelays.add(delay);
            eksTime.advance(delay);
            return copies.sendLater(request, Duration.ZERO);
        };
        GrantRequestHandler processor = GrantRequestHandler.builder(processorConfig, HOME_REGION).withEks(eks)
                .withRegistry(new DynamoClusterRegistry(aws.dynamoDb(), processorConfig.registryTable(), clock))
                .withLedger(pipeline.ledger)
                .withStates(new DynamoGrantStates(aws.dynamoDb(), processorConfig.ledgerTable()))
                .withRetries(retries).withBootstrapWaits(waits).withPrincipalIds(pipeline.senders.principalIds())
                .withPendingApprovals(new DynamoPendingApprovals(aws.dynamoDb(), processorConfig.ledgerTable()))
                .withClock(clock).withLogSink(logs::add).build();
        // No batching window: it only adds wall-clock waits here; batches still hold whatever is visible.
        grantQueue = new EventSourceMappingPoller(aws.sqs(), pipeline.queue.queueUrl(), processor,
                GrantQueueSettings.BATCH_SIZE, Duration.ZERO, () -> new LocalLambdaContext(
                        LocalLambdaContext.functionArn(HOME_REGION, OWN_ACCOUNT, "grant-processor"), logs::add),
                pipeline.senders.identities());
    }

    /** The path to EKS both functions take, to the emulator; records the regions and the roles assumed. */
    private CrossAccountEks emulatedEks(String homeAccount, Optional<String> crossAccountRoleName) {
        return new CrossAccountEks(homeAccount, crossAccountRoleName,
                region -> {
                    clientRegions.add(region);
                    return pipeline.eksClient;
                },
                (roleArn, session) -> {
                    assumedRoles.add(roleArn);
                    sessions.add(session);
                    return StaticCredentialsProvider.create(AwsBasicCredentials.create("assumed", "assumed"));
                });
    }

    /** EventBridge invokes the cluster-creation function with the event; returns its result line. */
    private JsonNode deliver(byte[] event) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            creation.handleRequest(new ByteArrayInputStream(event), output, new LocalLambdaContext(
                    LocalLambdaContext.functionArn(HOME_REGION, OWN_ACCOUNT, "cluster-creation"), logs::add));
            return JSON.readTree(output.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<EventSourceMappingPoller.Invocation> drainGrantQueue() {
        return grantQueue.drain(Duration.ofSeconds(60));
    }

    // ------------------------------------------------------------------ samples and the emulated cluster

    private static ObjectNode sample(String name) {
        return EventFiles.json("cloudtrail/create-cluster/" + name);
    }

    private static String clusterName(JsonNode event) {
        return event.at("/detail/requestParameters/name").asText();
    }

    private static String clusterArn(JsonNode event) {
        return event.at("/detail/responseElements/cluster/arn").asText();
    }

    private static String eventId(JsonNode event) {
        return event.at("/detail/eventID").asText();
    }

    /**
     * The cluster as EKS holds it when CloudTrail emits the event: CREATING, with the event's account, region, mode and
     * bootstrap flag, and the creator's entry when the flag and mode give one. The event's {@code eventTime} becomes
     * the cluster's {@code createdAt} on the emulator's clock, as in AWS, so the cluster-creation function verifies it.
     *
     * @param creatorInEks the creator as an access-entry principal; null where EKS's behaviour is unconfirmed (root,
     *                     federated and Identity Center users, AWS services), so that no entry is assumed
     */
    private void clusterAsEksCreatesIt(JsonNode event, String creatorInEks) {
        clusterAsEksCreatesIt(event, creatorInEks, CLUSTER_CREATION);
    }

    /** The same, for a cluster that stays CREATING for {@code creation}. */
    private void clusterAsEksCreatesIt(JsonNode event, String creatorInEks, Duration creation) {
        JsonNode accessConfig = event.at("/detail/responseElements/cluster/accessConfig");
        String[] arn = clusterArn(event).split(":");
        ClusterSnapshot created = pipeline.emulator.createCluster(ClusterSpec.builder(clusterName(event))
                .accountId(arn[4]).region(arn[3])
                .authenticationMode(AuthenticationMode.valueOf(accessConfig.get("authenticationMode").asText()))
                .bootstrapClusterCreatorAdminPermissions(
                        accessConfig.get("bootstrapClusterCreatorAdminPermissions").asBoolean())
                .creatorPrincipalArn(creatorInEks).activationDelay(creation).build());
        ((ObjectNode) event.get("detail")).put("eventTime", created.createdAt().toString());
        pipeline.emulator.registerIamPrincipal(PLATFORM_ADMIN);
    }

    // ------------------------------------------------------------------ reading the results

    /** The registry item as stored, read with the SDK rather than through the adapter. */
    private Map<String, AttributeValue> item(String clusterArn) {
        return aws.dynamoDb().getItem(get -> get.tableName(pipeline.registryTable).consistentRead(true)
                .key(Map.of(Tables.REGISTRY_PARTITION_KEY, AttributeValue.fromS(clusterArn)))).item();
    }

    private String status(String clusterArn) {
        return item(clusterArn).get("bootstrapStatus").s();
    }

    private AuditRecord ledgerRecord(String clusterArn, String requestId) {
        return pipeline.ledger.find(clusterArn, TestSenders.CLUSTER_CREATION, requestId)
                .orElseThrow(() -> new AssertionError("no ledger record " + requestId + "; log: " + logs));
    }

    /**
     * How a bootstrap request ended: the record of the cluster-creation function's message, or, when that message
     * waited for the cluster and handed over to the processor's copy, the copy's record.
     */
    private AuditRecord finalRecord(String clusterArn, String requestId) {
        AuditRecord original = ledgerRecord(clusterArn, requestId);
        return original.outcome() != Outcome.FAILED_TRANSIENT ? original
                : pipeline.ledger.find(clusterArn, TestSenders.GRANT_PROCESSOR, requestId).orElseThrow(
                        () -> new AssertionError("no record of the processor's copy of " + requestId + "; log: " + logs));
    }

    private AccessEntrySnapshot entry(String cluster, String principal) {
        return pipeline.emulator.accessEntry(cluster, principal).orElseThrow(() -> new AssertionError(
                "no access entry for " + principal + " on " + cluster + "; entries: " + pipeline.emulator.accessEntries(cluster)));
    }

    private static String principalOf(RecordedCall call) {
        String inPath = call.pathParams().get("principalArn");
        return inPath != null ? inPath : String.valueOf(call.bodyJson().get("principalArn"));
    }

    private List<RecordedCall> mutatingCalls() {
        return pipeline.emulator.calls().stream().filter(c -> MUTATING.contains(c.operation())).toList();
    }

    private List<RecordedCall> callsOn(String principal) {
        return pipeline.emulator.calls().stream().filter(c -> principal.equals(principalOf(c))).toList();
    }

    /** Both configured admins: a STANDARD entry this system made, with its policy (only that one) at cluster scope. */
    private void assertAdminsBootstrapped(String cluster) {
        AccessEntrySnapshot admin = entry(cluster, PLATFORM_ADMIN);
        AccessEntrySnapshot auditor = entry(cluster, AUDITOR);
        assertThat(List.of(admin, auditor)).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo("STANDARD");
            assertThat(e.tags()).containsEntry(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE);
            assertThat(e.kubernetesGroups()).isEmpty();
            assertThat(e.policies()).hasSize(1);
        });
        assertThat(admin.hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
        assertThat(auditor.hasClusterScoped(AccessPolicies.ADMIN_VIEW)).isTrue();
    }

    // ------------------------------------------------------------------ every sample

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "-", value = {
            // sample,                     end status, creator as an EKS principal,                                              the reason names
            "iam-user.json,                 DONE,    arn:aws:iam::111122223333:user/alice,                                                      -",
            "assumed-role-with-path.json,   DONE,    arn:aws:iam::111122223333:role/platform/teams/eks-provisioner,                             -",
            "sso-role.json,                 DONE,    arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_3f1c2a9b7d6e5f40, -",
            "sso-role-regional-path.json,   DONE,    arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_EksOperators_a1b2c3d4e5f60718, -",
            "cloudformation.json,           DONE,    arn:aws:iam::111122223333:role/cfn-exec/CloudFormationEksDeployRole,                       -",
            "bootstrap-flag-false.json,     DONE,    arn:aws:iam::111122223333:role/ci/github-actions-deployer,                                 -",
            "api-only-mode.json,            DONE,    arn:aws:iam::111122223333:role/platform/teams/eks-provisioner,                             -",
            "root.json,                     DONE,    -,                                                                                         -",
            "federated-user.json,           DONE,    -,                                                                                         -",
            "identity-center-user.json,     DONE,    -,                                                                                         -",
            "aws-service.json,              DONE,    -,                                                                                         -",
            "config-map-mode.json,          BLOCKED, arn:aws:iam::111122223333:role/service/cluster-factory,                                    ALLOW_AUTH_MODE_SWITCH"})
    void eachSample_isRecorded_andItsAdminsBootstrappedOnceActive_orBlockedWithTheSettingToChange(
            String sampleName, BootstrapStatus expected, String creatorInEks, String blockingSetting) {
        ObjectNode event = sample(sampleName);
        String cluster = clusterName(event);
        String arn = clusterArn(event);
        boolean eksMadeTheCreatorAdmin = event.at(
                "/detail/responseElements/cluster/accessConfig/bootstrapClusterCreatorAdminPermissions").asBoolean();
        clusterAsEksCreatesIt(event, creatorInEks);
        AuthenticationMode modeAtCreation = pipeline.emulator.authenticationMode(cluster);
        Optional<AccessEntrySnapshot> creatorsEntryBefore = creatorInEks == null ? Optional.empty()
                : pipeline.emulator.accessEntry(cluster, creatorInEks);

        JsonNode result = deliver(EventFiles.bytes(event));
        String statusOnArrival = status(arn);
        drainGrantQueue();

        Map<String, AttributeValue> item = item(arn);
        assertThat(result.get("outcome").asText()).isEqualTo("recorded");
        assertThat(item.get("eventId").s()).isEqualTo(eventId(event));
        assertThat(item.get("bootstrapStatus").s()).isEqualTo(expected.name());
        boolean creatorIsAnAccessEntryPrincipal = creatorInEks != null;
        assertThat(item.containsKey("creatorNote"))
                .as("a note says what was not done for a creator who cannot have an access entry")
                .isEqualTo(!creatorIsAnAccessEntryPrincipal);
        if (expected == BootstrapStatus.BLOCKED) {
            assertThat(statusOnArrival).isEqualTo("BLOCKED");
            assertThat(item.get("bootstrapReason").s()).contains(blockingSetting);
            assertThat(pipeline.emulator.calls()).extracting(RecordedCall::operation)
                    .as("a blocked bootstrap never reaches EKS; only the event's verification does")
                    .containsExactly("DescribeCluster");
            assertThat(pipeline.emulator.authenticationMode(cluster)).isEqualTo(modeAtCreation);
            assertThat(pipeline.emulator.accessEntries(cluster)).extracting(AccessEntrySnapshot::principalArn)
                    .containsExactlyElementsOf(creatorsEntryBefore.map(e -> List.of(e.principalArn())).orElse(List.of()));
            return;
        }
        assertThat(statusOnArrival).isEqualTo("PENDING");
        assertThat(item.get("bootstrapReason").s()).contains(PLATFORM_ADMIN, AUDITOR);
        assertThat(finalRecord(arn, BootstrapRequest.requestIdFor(eventId(event))).outcome()).isEqualTo(Outcome.APPLIED);
        assertAdminsBootstrapped(cluster);
        assertThat(mutatingCalls()).allSatisfy(call -> assertThat(call.at())
                .as("no change before the cluster is ACTIVE").isAfterOrEqualTo(START.plus(CLUSTER_CREATION)));
        if (creatorInEks != null && eksMadeTheCreatorAdmin) {
            assertThat(pipeline.emulator.accessEntry(cluster, creatorInEks)).as("the creator's entry as EKS made it")
                    .isEqualTo(creatorsEntryBefore).isPresent();
            assertThat(callsOn(creatorInEks)).extracting(RecordedCall::operation).doesNotContainAnyElementsOf(MUTATING);
        } else if (creatorInEks != null) {
            AccessEntrySnapshot creator = entry(cluster, creatorInEks);
            assertThat(creator.hasClusterScoped(AccessPolicies.CLUSTER_ADMIN))
                    .as("CREATOR_ADMIN gives cluster admin to a creator EKS did not make admin").isTrue();
            assertThat(creator.tags()).containsEntry(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE);
        }
        assertThat(pipeline.emulator.accessEntries(cluster)).hasSize(2 + (creatorInEks == null ? 0 : 1));
    }

    // ------------------------------------------------------------------ delivery

    @Test
    void duplicateEvent_whilePendingAndAfterDone_changesNothing() {
        ObjectNode event = sample("iam-user.json");
        String arn = clusterArn(event);
        clusterAsEksCreatesIt(event, "arn:aws:iam::111122223333:user/alice");

        JsonNode first = deliver(EventFiles.bytes(event));
        JsonNode second = deliver(EventFiles.bytes(event));
        drainGrantQueue();
        Map<String, AttributeValue> done = item(arn);
        List<RecordedCall> changes = mutatingCalls();
        int callsWhenDone = pipeline.emulator.calls().size();

        JsonNode third = deliver(EventFiles.bytes(event));
        List<EventSourceMappingPoller.Invocation> afterThird = drainGrantQueue();

        assertThat(first.get("outcome").asText()).isEqualTo("recorded");
        assertThat(second.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(second.get("bootstrapRequestSent").asBoolean()).as("still PENDING: the request is sent again").isTrue();
        assertThat(done.get("bootstrapStatus").s()).isEqualTo("DONE");
        assertThat(changes).extracting(RecordedCall::operation).containsExactlyInAnyOrder(
                "CreateAccessEntry", "AssociateAccessPolicy", "CreateAccessEntry", "AssociateAccessPolicy");
        assertThat(logs).anySatisfy(line -> assertThat(line).contains("\"outcome\":\"ignored\"",
                "duplicate of request " + BootstrapRequest.requestIdFor(eventId(event))));
        assertThat(third.get("outcome").asText()).isEqualTo("duplicate");
        assertThat(third.get("bootstrapRequestSent").asBoolean()).isFalse();
        assertThat(afterThird).isEmpty();
        assertThat(item(arn)).isEqualTo(done);
        assertThat(pipeline.emulator.calls()).hasSize(callsWhenDone + 1).last().extracting(RecordedCall::operation)
                .as("the third delivery is verified again, and changes nothing").isEqualTo("DescribeCluster");
        assertAdminsBootstrapped(clusterName(event));
    }

    @Test
    void failedCreateClusterCall_recordsNothing_queuesNothing_andCallsNoEks() {
        ObjectNode event = sample("failed-call-error-code.json");

        JsonNode result = deliver(EventFiles.bytes(event));
        List<EventSourceMappingPoller.Invocation> invocations = drainGrantQueue();

        assertThat(result.get("outcome").asText()).isEqualTo("ignored");
        assertThat(result.get("errorCode").asText()).isEqualTo("ResourceInUseException");
        assertThat(aws.dynamoDb().scan(scan -> scan.tableName(pipeline.registryTable)).count()).isZero();
        assertThat(invocations).isEmpty();
        assertThat(pipeline.emulator.calls()).isEmpty();
    }

    // ------------------------------------------------------------------ waiting for the cluster

    /**
     * Issue 14: a bootstrap waits for its cluster by being sent again every 30 s (the processor's own copy), not with
     * the growing backoff: the admins are in within a minute of ACTIVE, DescribeCluster is called at most twice a
     * minute, and no message is received more than once, so a slow cluster never reaches the dead-letter queue.
     */
    @ParameterizedTest(name = "cluster ACTIVE after {0} min")
    @CsvSource({"12", "45"})
    void clusterStillCreating_bootstrapChecksAgainEvery30s_andAdminsAreInWithinAMinuteOfActive(long minutes) {
        ObjectNode event = sample("assumed-role-with-path.json");
        String cluster = clusterName(event);
        String arn = clusterArn(event);
        Duration creation = Duration.ofMinutes(minutes);
        clusterAsEksCreatesIt(event, "arn:aws:iam::111122223333:role/platform/teams/eks-provisioner", creation);
        Instant active = pipeline.emulator.cluster(cluster).createdAt().plus(creation);

        deliver(EventFiles.bytes(event));
        EventSourceMappingPoller.Invocation firstAttempt = grantQueue.pollOnce(Duration.ofSeconds(1));
        Map<String, AttributeValue> whileCreating = item(arn);
        List<EventSourceMappingPoller.Invocation> later = grantQueue.drain(Duration.ofSeconds(240));

        assertThat(firstAttempt.outcome()).isEqualTo(EventSourceMappingPoller.Outcome.SUCCESS);
        assertThat(whileCreating.get("bootstrapStatus").s()).isEqualTo("PENDING");
        assertThat(retryDelays).as("no backoff, and no message kept for a retry").isEmpty();
        assertThat(recheckDelays).isNotEmpty().containsOnly(BootstrapWaits.RECHECK);
        assertThat(later).isNotEmpty().allSatisfy(invocation -> assertThat(invocation.outcome())
                .isEqualTo(EventSourceMappingPoller.Outcome.SUCCESS));
        assertThat(logs).filteredOn(line -> line.contains("\"outcome\":\"failed-transient\""))
                .isNotEmpty().allSatisfy(line -> assertThat(line).contains("cluster is CREATING; waiting for ACTIVE",
                        "\"receiveCount\":1,", "\"continuedAs\""));
        Instant associated = pipeline.emulator.calls("AssociateAccessPolicy").getFirst().at();
        assertThat(Duration.between(active, associated)).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(Duration.ofSeconds(60));
        List<RecordedCall> describes = pipeline.emulator.calls("DescribeCluster");
        assertThat(describes).as("the event's verification, then at most two a minute until ACTIVE, and one after")
                .hasSizeLessThanOrEqualTo(1 + 2 * (int) minutes + 2);
        assertThat(mutatingCalls()).isNotEmpty().allSatisfy(call -> assertThat(call.at()).isAfterOrEqualTo(active));
        assertThat(status(arn)).isEqualTo("DONE");
        assertAdminsBootstrapped(cluster);
        assertThat(aws.sqs().receiveMessage(r -> r.queueUrl(pipeline.queue.deadLetterQueueUrl()).waitTimeSeconds(1))
                .messages()).isEmpty();
    }

    /**
     * A cluster that never becomes ACTIVE: its bootstrap waits until the deadline, two hours after CreateCluster, then
     * ends BLOCKED with the reason and an ERROR line (the logged-errors alarm), and nothing reaches the dead-letter
     * queue. The clock is moved on to shortly before the deadline first, so the test checks twenty times, not 240.
     */
    @Test
    void clusterNeverActive_endsBlockedAtTheDeadline_withAnErrorLine_andNoDeadLetter() {
        ObjectNode event = sample("assumed-role-with-path.json");
        String cluster = clusterName(event);
        String arn = clusterArn(event);
        clusterAsEksCreatesIt(event, "arn:aws:iam::111122223333:role/platform/teams/eks-provisioner");
        pipeline.emulator.setStatus(cluster, ClusterStatus.CREATING);
        Instant deadline = pipeline.emulator.cluster(cluster).createdAt().plus(AccessEngine.BOOTSTRAP_DEADLINE);

        deliver(EventFiles.bytes(event));
        eksTime.advance(AccessEngine.BOOTSTRAP_DEADLINE.minusMinutes(10));
        grantQueue.drain(Duration.ofSeconds(120));

        assertThat(status(arn)).isEqualTo("BLOCKED");
        assertThat(item(arn).get("bootstrapReason").s()).contains("cluster is CREATING",
                "past the bootstrap's deadline of 120 minutes", "send the bootstrap again");
        assertThat(logs).filteredOn(line -> line.contains("\"level\":\"ERROR\"")).singleElement().asString()
                .contains("\"outcome\":\"rejected\"", "\"errorType\":\"" + AccessEngine.BOOTSTRAP_DEADLINE_EXCEEDED
                        + "\"", arn);
        assertThat(recheckDelays).hasSizeBetween(19, 21);
        assertThat(pipeline.emulator.calls("DescribeCluster").getLast().at()).isAfterOrEqualTo(deadline);
        assertThat(mutatingCalls()).isEmpty();
        assertThat(aws.sqs().receiveMessage(r -> r.queueUrl(pipeline.queue.deadLetterQueueUrl()).waitTimeSeconds(1))
                .messages()).isEmpty();
        String requestId = BootstrapRequest.requestIdFor(eventId(event));
        assertThat(ledgerRecord(arn, requestId).outcome()).as("the first check, by the cluster-creation's message")
                .isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(pipeline.ledger.find(arn, TestSenders.GRANT_PROCESSOR, requestId)).as("the last, by the processor's copy")
                .hasValueSatisfying(last -> assertThat(last.outcome()).isEqualTo(Outcome.REJECTED));
    }

    // ------------------------------------------------------------------ CONFIG_MAP clusters

    @Test
    void configMapCluster_withTheOptIn_isMovedToApiAndConfigMap_neverApi_thenBootstrapped() {
        deploy(Map.of(Setting.ALLOW_AUTH_MODE_SWITCH.variable(), "true"));
        ObjectNode event = sample("config-map-mode.json");
        String cluster = clusterName(event);
        String arn = clusterArn(event);
        clusterAsEksCreatesIt(event, "arn:aws:iam::111122223333:role/service/cluster-factory");

        deliver(EventFiles.bytes(event));
        String statusOnArrival = status(arn);
        drainGrantQueue();

        assertThat(statusOnArrival).isEqualTo("PENDING");
        List<RecordedCall> switches = pipeline.emulator.calls("UpdateClusterConfig");
        assertThat(switches).singleElement().satisfies(call -> {
            assertThat(call.succeeded()).isTrue();
            assertThat(call.bodyJson()).containsEntry("accessConfig", Map.of("authenticationMode", "API_AND_CONFIG_MAP"));
            assertThat(call.at()).isAfterOrEqualTo(START.plus(CLUSTER_CREATION));
        });
        assertThat(pipeline.emulator.authenticationMode(cluster)).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(logs).anySatisfy(line -> assertThat(line).contains(
                "switching authentication mode from CONFIG_MAP to API_AND_CONFIG_MAP"));
        Instant activeAgain = switches.getFirst().at().plus(MODE_UPDATE);
        assertThat(pipeline.emulator.calls("CreateAccessEntry")).isNotEmpty()
                .allSatisfy(call -> assertThat(call.at()).isAfterOrEqualTo(activeAgain));
        assertThat(status(arn)).isEqualTo("DONE");
        assertAdminsBootstrapped(cluster);
    }

    // ------------------------------------------------------------------ the creator's entry

    @Test
    void creatorAlsoAConfiguredAdmin_keepsTheEntryEksMade_andStillGetsItsConfiguredPolicy() {
        String creator = "arn:aws:iam::111122223333:role/platform/teams/eks-provisioner";
        deploy(Map.of(Setting.DEPLOYMENT_FILE.variable(),
                DeploymentFiles.withAdmins(ADMIN_PRINCIPALS + "," + creator + "=" + AccessPolicies.VIEW)));
        ObjectNode event = sample("assumed-role-with-path.json");
        String cluster = clusterName(event);
        clusterAsEksCreatesIt(event, creator);
        AccessEntrySnapshot madeByEks = entry(cluster, creator);

        deliver(EventFiles.bytes(event));
        drainGrantQueue();

        AccessEntrySnapshot after = entry(cluster, creator);
        assertThat(after).usingRecursiveComparison().ignoringFields("policies", "modifiedAt").isEqualTo(madeByEks);
        assertThat(after.hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
        assertThat(after.hasClusterScoped(AccessPolicies.VIEW)).isTrue();
        assertThat(callsOn(creator)).extracting(RecordedCall::operation)
                .doesNotContain("CreateAccessEntry").doesNotContainAnyElementsOf(CHANGING_AN_EXISTING_ENTRY)
                .contains("AssociateAccessPolicy");
        assertThat(status(clusterArn(event))).isEqualTo("DONE");
        assertAdminsBootstrapped(cluster);
    }

    @Test
    void creatorsEntryAppearingAfterTheLookup_409OnCreateMeansAlreadyThere_andThePolicyIsStillAssociated() {
        String creator = "arn:aws:iam::111122223333:role/platform/teams/eks-provisioner";
        deploy(Map.of(Setting.DEPLOYMENT_FILE.variable(), DeploymentFiles.withAdmins(creator + "," + ADMIN_PRINCIPALS)));
        ObjectNode event = sample("assumed-role-with-path.json");
        String cluster = clusterName(event);
        // EKS's entry for the creator becomes visible late (changes are eventually consistent): the cluster starts
        // without it, and it appears between the processor's DescribeAccessEntry (404) and its CreateAccessEntry.
        clusterAsEksCreatesIt(event, null);
        pipeline.emulator.registerIamPrincipal(creator);
        // The creator comes first among the admin principals, so the first CreateAccessEntry is the creator's: it is held
        // long enough for the entry to appear however busy the machine is.
        pipeline.emulator.inject(Fault.latency(Duration.ofSeconds(3)).onOperation("CreateAccessEntry").forNextCalls(1));
        Thread eksBootstrapsTheCreator = Thread.ofVirtual().start(() -> {
            if (awaitCall("DescribeAccessEntry", creator)) {
                pipeline.emulator.seedAccessEntry(cluster, creator);
                pipeline.emulator.seedPolicyAssociation(cluster, creator, AccessPolicies.arnOf(AccessPolicies.CLUSTER_ADMIN),
                        AccessScope.cluster());
            }
        });

        deliver(EventFiles.bytes(event));
        drainGrantQueue();
        eksBootstrapsTheCreator.interrupt();

        List<RecordedCall> onCreator = callsOn(creator);
        assertThat(onCreator).filteredOn(c -> c.operation().equals("CreateAccessEntry")).singleElement()
                .satisfies(call -> {
                    assertThat(call.status()).isEqualTo(409);
                    assertThat(call.errorCode()).contains("ResourceInUseException");
                });
        assertThat(onCreator).filteredOn(c -> c.operation().equals("AssociateAccessPolicy"))
                .singleElement().satisfies(call -> assertThat(call.succeeded()).isTrue());
        assertThat(onCreator).extracting(RecordedCall::operation).doesNotContainAnyElementsOf(CHANGING_AN_EXISTING_ENTRY);
        AccessEntrySnapshot creatorsEntry = entry(cluster, creator);
        assertThat(creatorsEntry.tags()).as("not re-created by this system").doesNotContainKey(AccessEntry.MANAGED_BY_TAG);
        assertThat(creatorsEntry.hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
        assertThat(status(clusterArn(event))).isEqualTo("DONE");
        assertAdminsBootstrapped(cluster);
    }

    @Test
    void creatorAdminBootstrapInterruptedAfterCreatingTheCreatorsEntry_isCompletedByTheRetry() {
        deploy(Map.of(Setting.DEPLOYMENT_FILE.variable(), DeploymentFiles.withAdmins("")));
        ObjectNode event = sample("bootstrap-flag-false.json");
        String cluster = clusterName(event);
        String creator = "arn:aws:iam::111122223333:role/ci/github-actions-deployer";
        clusterAsEksCreatesIt(event, creator);
        // Every attempt of the SDK's standard retry fails, so the message itself must come back.
        pipeline.emulator.inject(Fault.serverError().onOperation("AssociateAccessPolicy").forNextCalls(3));

        deliver(EventFiles.bytes(event));
        drainGrantQueue();

        assertThat(pipeline.emulator.calls("CreateAccessEntry")).singleElement()
                .satisfies(call -> assertThat(call.succeeded()).isTrue());
        assertThat(pipeline.emulator.calls("AssociateAccessPolicy")).hasSizeGreaterThan(3).last()
                .satisfies(call -> assertThat(call.succeeded()).isTrue());
        assertThat(entry(cluster, creator).hasClusterScoped(AccessPolicies.CLUSTER_ADMIN)).isTrue();
        assertThat(status(clusterArn(event))).isEqualTo("DONE");
    }

    // ------------------------------------------------------------------ other accounts, re-created clusters

    @Test
    void otherAccount_withTheCrossAccountRole_isBootstrappedThroughThatRoleInThatRegion() {
        deploy(Map.of(Setting.CROSS_ACCOUNT_ROLE_NAME.variable(), "platform/eks-access-bootstrap"));
        ObjectNode event = sample("other-account-and-region.json");
        clusterAsEksCreatesIt(event, "arn:aws:iam::444455556666:role/platform/eks-provisioner");

        deliver(EventFiles.bytes(event));
        drainGrantQueue();

        // verified through the read-only role, bootstrapped through the grant processor's; both sessions name the
        // cluster-creation function, the first with the CreateCluster event, the second with the bootstrap request
        assertThat(assumedRoles).containsExactly("arn:aws:iam::444455556666:role/platform/eks-access-bootstrap-reader",
                "arn:aws:iam::444455556666:role/platform/eks-access-bootstrap");
        String eventId = event.at("/detail/eventID").asText();
        assertThat(sessions).containsExactly(new CrossAccountEks.Session("eks-access.cluster-creation", eventId),
                new CrossAccountEks.Session("eks-access.cluster-creation",
                        SessionIdentity.sessionName("bootstrap:" + eventId)));
        assertThat(clientRegions).containsOnly(Region.US_EAST_2);
        assertThat(status(clusterArn(event))).isEqualTo("DONE");
        assertAdminsBootstrapped(clusterName(event));
    }

    @Test
    void otherAccount_withoutTheCrossAccountRole_cannotBeVerified_soNothingIsRecordedOrBootstrapped() {
        ObjectNode event = sample("other-account-and-region.json");
        clusterAsEksCreatesIt(event, "arn:aws:iam::444455556666:role/platform/eks-provisioner");

        assertThatThrownBy(() -> deliver(EventFiles.bytes(event)))
                .isInstanceOf(CrossAccountNotConfiguredException.class)
                .hasMessageContaining("CROSS_ACCOUNT_ROLE_NAME is not set");
        List<EventSourceMappingPoller.Invocation> invocations = drainGrantQueue();

        assertThat(aws.dynamoDb().scan(scan -> scan.tableName(pipeline.registryTable)).count()).isZero();
        assertThat(invocations).isEmpty();
        assertThat(pipeline.emulator.calls()).isEmpty();
        assertThat(assumedRoles).isEmpty();
    }

    @Test
    void clusterDeletedAndCreatedAgain_theEarlierClustersLateBootstrapRequestIsIgnored() {
        ObjectNode first = sample("assumed-role-with-path.json");
        String cluster = clusterName(first);
        String arn = clusterArn(first);
        String creator = "arn:aws:iam::111122223333:role/platform/teams/eks-provisioner";
        clusterAsEksCreatesIt(first, creator);
        deliver(EventFiles.bytes(first));
        pipeline.emulator.deleteCluster(cluster);
        ObjectNode again = first.deepCopy();
        ((ObjectNode) again.get("detail")).put("eventID", "0f1e2d3c-4b5a-4697-8877-665544332211");
        eksTime.advance(Duration.ofMinutes(20));
        clusterAsEksCreatesIt(again, creator);

        JsonNode replaced = deliver(EventFiles.bytes(again));
        drainGrantQueue();

        assertThat(replaced.get("outcome").asText()).isEqualTo("replaced");
        AuditRecord late = ledgerRecord(arn, BootstrapRequest.requestIdFor(eventId(first)));
        assertThat(late.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(late.outcomeReason()).contains("earlier cluster", eventId(again));
        assertThat(finalRecord(arn, BootstrapRequest.requestIdFor(eventId(again))).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(item(arn).get("eventId").s()).isEqualTo(eventId(again));
        assertThat(status(arn)).isEqualTo("DONE");
        assertThat(pipeline.emulator.calls("CreateAccessEntry")).hasSize(2);
        assertAdminsBootstrapped(cluster);
    }

    /** Waits until the emulator received {@code operation} for {@code principal}; false when interrupted first. */
    private boolean awaitCall(String operation, String principal) {
        while (pipeline.emulator.calls(operation).stream().noneMatch(c -> principal.equals(principalOf(c)))) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ adoption (docs/adopt.md)

    private static final String ADOPTION_ROLE = "arn:aws:iam::111122223333:role/eks-access/adoption";
    private static final String MEMBER_ACCOUNT = "444455556666";

    /** Invokes the adoption function as {@code eks-access adopt} does; returns its report. */
    private JsonNode adopt(boolean plan) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            adoption.handleRequest(new ByteArrayInputStream((plan ? "{\"plan\":true}" : "{}").getBytes()), output,
                    new LocalLambdaContext(LocalLambdaContext.functionArn(HOME_REGION, OWN_ACCOUNT, "adoption"),
                            logs::add));
            return JSON.readTree(output.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report's entry for {@code clusterArn}. */
    private static JsonNode adopted(JsonNode report, String clusterArn) {
        for (JsonNode cluster : report.get("clusters")) {
            if (cluster.get("clusterArn").asText().equals(clusterArn)) {
                return cluster;
            }
        }
        throw new AssertionError("no " + clusterArn + " in " + report);
    }

    /** A sample's cluster made in EKS and its CreateCluster event in CloudTrail's history, at the emulator's time. */
    private ObjectNode existingCluster(String sample, String creatorInEks) {
        ObjectNode event = sample(sample);
        clusterAsEksCreatesIt(event, creatorInEks);
        cloudTrail.record(event, Instant.parse(event.at("/detail/eventTime").asText()));
        return event;
    }

    private void deployWithMemberAccount() {
        deploy(Map.of(Setting.DEPLOYMENT_FILE.variable(), DeploymentFiles.write("{\"version\":1,\"adminPrincipals\":["
                        + "{\"principalArn\":\"" + PLATFORM_ADMIN + "\",\"policy\":\"AmazonEKSClusterAdminPolicy\"},"
                        + "{\"principalArn\":\"" + AUDITOR + "\",\"policy\":\"" + AccessPolicies.ADMIN_VIEW + "\"}],"
                        + "\"allowedPolicies\":[\"AmazonEKSViewPolicy\"],\"memberAccounts\":[\"" + MEMBER_ACCOUNT + "\"]}"),
                Setting.CROSS_ACCOUNT_ROLE_NAME.variable(), "eks-access-bootstrap",
                Setting.ADOPTION_REGIONS.variable(), "eu-west-1,us-east-2"));
    }

    @Test
    void adoption_registersExistingClusters_inTheHubAndAMemberAccount_andTheGrantProcessorBootstrapsThem() {
        deployWithMemberAccount();
        ObjectNode analytics = existingCluster("bootstrap-flag-false.json", null);
        ObjectNode ml = existingCluster("other-account-and-region.json",
                "arn:aws:iam::444455556666:role/platform/eks-provisioner");
        pipeline.emulator.createCluster(ClusterSpec.builder("orders").accountId(OWN_ACCOUNT).region(HOME_REGION)
                .authenticationMode(AuthenticationMode.API).bootstrapClusterCreatorAdminPermissions(false)
                .creatorPrincipalArn(null).activationDelay(CLUSTER_CREATION).build());
        String orders = "arn:aws:eks:eu-west-1:111122223333:cluster/orders";
        eksTime.advance(Duration.ofHours(2));

        JsonNode plan = adopt(true);
        assertThat(adopted(plan, clusterArn(analytics)).get("action").asText()).isEqualTo("would-adopt");
        assertThat(item(clusterArn(analytics))).isEmpty();
        assertThat(drainGrantQueue()).isEmpty();
        assertThat(mutatingCalls()).isEmpty();

        JsonNode report = adopt(false);

        assertThat(report.get("complete").asBoolean()).as("report %s", report).isTrue();
        assertThat(report.get("listings")).hasSize(4);
        assertThat(adopted(report, clusterArn(analytics)).get("creatorPrincipalArn").asText())
                .isEqualTo("arn:aws:iam::111122223333:role/ci/github-actions-deployer");
        assertThat(adopted(report, clusterArn(ml)).get("creatorPrincipalArn").asText())
                .isEqualTo("arn:aws:iam::444455556666:role/platform/eks-provisioner");
        assertThat(adopted(report, orders).get("creatorIdentityType").asText()).isEqualTo("Unknown");
        assertThat(adopted(report, orders).get("creatorNote").asText()).startsWith("creator unknown: no CreateCluster "
                + "event in CloudTrail's event history of account 111122223333 and region eu-west-1 is this cluster's");
        assertThat(sessions).contains(new CrossAccountEks.Session("eks-access.adoption", "eks-access-adoption"));

        drainGrantQueue();

        for (String arn : List.of(clusterArn(analytics), clusterArn(ml), orders)) {
            assertThat(status(arn)).as("bootstrap of %s; log %s", arn, logs).isEqualTo("DONE");
            String eventId = item(arn).get("eventId").s();
            assertThat(pipeline.ledger.find(arn, ADOPTION_ROLE, BootstrapRequest.requestIdFor(eventId)).orElseThrow().outcome())
                    .isEqualTo(Outcome.APPLIED);
        }
        assertAdminsBootstrapped("analytics-dev");
        assertAdminsBootstrapped("ml-training");
        assertAdminsBootstrapped("orders");
        // CREATOR_ADMIN: the creator CloudTrail names gets cluster admin, as a new cluster's would.
        assertThat(entry("analytics-dev", "arn:aws:iam::111122223333:role/ci/github-actions-deployer").type())
                .isEqualTo("STANDARD");
        assertThat(pipeline.emulator.accessEntry("orders", "null")).isEmpty();

        int callsBefore = mutatingCalls().size();
        JsonNode again = adopt(false);
        assertThat(again.get("clusters")).allSatisfy(c -> assertThat(c.get("action").asText())
                .isEqualTo("already-registered"));
        assertThat(drainGrantQueue()).isEmpty();
        assertThat(mutatingCalls()).hasSize(callsBefore);
    }

    @Test
    void adoption_ofAConfigMapClusterOlderThanCloudTrailsHistory_recordsItAsSuch_andTheBootstrapSwitchesItFirst() {
        deploy(Map.of(Setting.ALLOW_AUTH_MODE_SWITCH.variable(), "true"));
        // Created 120 days ago: CloudTrail's history (90 days) no longer has its event.
        Instant created = START.minus(Duration.ofDays(120));
        pipeline.emulator.createCluster(ClusterSpec.builder("legacy-batch").accountId(OWN_ACCOUNT).region(HOME_REGION)
                .authenticationMode(AuthenticationMode.CONFIG_MAP).creatorPrincipalArn(null).createdAt(created).build());
        cloudTrail.record(sample("config-map-mode.json"), created);
        pipeline.emulator.registerIamPrincipal(PLATFORM_ADMIN);
        ObjectNode legacy = sample("config-map-mode.json");

        JsonNode report = adopt(false);

        JsonNode entry = adopted(report, clusterArn(legacy));
        assertThat(entry.get("authenticationMode").asText()).isEqualTo("CONFIG_MAP");
        assertThat(entry.get("creatorIdentityType").asText()).isEqualTo("Unknown");
        assertThat(entry.get("creatorNote").asText()).contains("more than 90 days ago");
        assertThat(item(clusterArn(legacy)).get("authenticationMode").s()).isEqualTo("CONFIG_MAP");

        drainGrantQueue();

        assertThat(status(clusterArn(legacy))).as("log %s", logs).isEqualTo("DONE");
        assertThat(pipeline.emulator.authenticationMode("legacy-batch"))
                .isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertAdminsBootstrapped("legacy-batch");
    }

    @Test
    void adoption_whenLookupEventsIsDenied_recordsTheCreatorUnknown_withCloudTrailsAnswer() {
        existingCluster("bootstrap-flag-false.json", null);
        eksTime.advance(Duration.ofHours(2));
        cloudTrail.failCallsOf(OWN_ACCOUNT, CloudTrailEmulator.Failure.ACCESS_DENIED);

        JsonNode report = adopt(false);

        assertThat(report.at("/clusters/0/creatorNote").asText()).startsWith("creator unknown: CloudTrail "
                + "LookupEvents failed in account 111122223333 and region eu-west-1: AccessDeniedException: User is not "
                + "authorized to perform: cloudtrail:LookupEvents");
        drainGrantQueue();
        assertAdminsBootstrapped("analytics-dev");
    }
}
