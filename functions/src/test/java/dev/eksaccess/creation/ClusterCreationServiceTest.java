package dev.eksaccess.creation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeClusterLookup;
import dev.eksaccess.testing.InMemoryCreationRegistry;
import dev.eksaccess.testing.RecordingBootstrapQueue;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterCreationServiceTest {

    private static final String OWN_ACCOUNT = "111122223333";
    private static final String ADMIN = "arn:aws:iam::111122223333:role/platform/EksAdmin";
    private static final Instant NOW = Instant.parse("2026-11-28T08:12:05Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryCreationRegistry registry = new InMemoryCreationRegistry(clock);
    private final RecordingBootstrapQueue queue = new RecordingBootstrapQueue();
    private final FakeClusterLookup eks = FakeClusterLookup.holdingEverySample();
    private final ClusterCreationService service = new ClusterCreationService(registry, queue,
            new BootstrapPlanner(List.of(ADMIN), false, false, Optional.empty()), new ClusterVerifier(eks), clock);
    private final CloudTrailEventParser parser = new CloudTrailEventParser();

    private CreateClusterCall call(String sample) {
        return parser.parse(EventFiles.bytes("cloudtrail/create-cluster/" + sample));
    }

    /**
     * The iam-user sample as another CreateCluster of the same ARN: another event id and time; EKS now holds the
     * cluster that event created, so that it is verified and the registry logic decides.
     */
    private CreateClusterCall iamUserEventWith(String eventId, String eventTime) {
        ObjectNode event = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        ((ObjectNode) event.get("detail")).put("eventID", eventId).put("eventTime", eventTime);
        eks.holding(event);
        return parser.parse(EventFiles.bytes(event));
    }

    @Test
    void newCluster_isRecordedWithEveryField_andItsBootstrapRequestSent() {
        CreationOutcome outcome = service.handle(call("assumed-role-with-path.json"), OWN_ACCOUNT);

        String arn = "arn:aws:eks:eu-west-1:111122223333:cluster/checkout-staging";
        ClusterRecord expected = new ClusterRecord(arn, "checkout-staging", OWN_ACCOUNT, "eu-west-1",
                "arn:aws:iam::111122223333:role/platform/teams/eks-provisioner", "AssumedRole", "terraform-run-8842", null,
                "3c8d2b71-0e4f-4a6b-9d15-7f2e8c1a9b40", Instant.parse("2026-11-28T08:14:41Z"),
                EventFiles.json("cloudtrail/create-cluster/assumed-role-with-path.json").at("/detail/userAgent").asText(),
                "API_AND_CONFIG_MAP", true, BootstrapStatus.PENDING,
                "waiting for the cluster to become ACTIVE; will bootstrap 1 admin principal(s)", NOW);
        assertThat(outcome).isEqualTo(new CreationOutcome.Recorded(expected, true));
        assertThat(registry.find(arn)).contains(expected);
        assertThat(queue.sent()).containsExactly(BootstrapRequest.forEvent(arn, "3c8d2b71-0e4f-4a6b-9d15-7f2e8c1a9b40",
                Instant.parse("2026-11-28T08:14:41Z")));
    }

    @Test
    void failedCall_isIgnored_nothingRecordedOrSent() {
        CreationOutcome outcome = service.handle(call("failed-call-error-code.json"), OWN_ACCOUNT);

        assertThat(outcome).isInstanceOf(CreationOutcome.Ignored.class);
        assertThat(registry.size()).isZero();
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void blockedCluster_isRecordedWithoutARequest() {
        CreationOutcome outcome = service.handle(call("config-map-mode.json"), OWN_ACCOUNT);

        assertThat(outcome).isInstanceOfSatisfying(CreationOutcome.Recorded.class, recorded -> {
            assertThat(recorded.requestSent()).isFalse();
            assertThat(recorded.record().bootstrapStatus()).isEqualTo(BootstrapStatus.BLOCKED);
        });
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void duplicateDelivery_ofADoneBootstrap_changesNothing_andSendsNothing() {
        CreateClusterCall event = call("iam-user.json");
        service.handle(event, OWN_ACCOUNT);
        String arn = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev";
        registry.updateBootstrap(arn, BootstrapStatus.DONE, "1 admin principal(s) bootstrapped");
        ClusterRecord before = registry.find(arn).orElseThrow();
        int writes = registry.writes();

        CreationOutcome outcome = service.handle(event, OWN_ACCOUNT);

        assertThat(outcome).isEqualTo(new CreationOutcome.Duplicate(before, false));
        assertThat(registry.find(arn)).contains(before);
        assertThat(registry.writes()).isEqualTo(writes);
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void duplicateDelivery_ofABlockedCluster_sendsNothing() {
        service.handle(call("config-map-mode.json"), OWN_ACCOUNT);

        CreationOutcome outcome = service.handle(call("config-map-mode.json"), OWN_ACCOUNT);

        assertThat(outcome).isInstanceOfSatisfying(CreationOutcome.Duplicate.class,
                duplicate -> assertThat(duplicate.requestSent()).isFalse());
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void sendFailure_propagates_andTheRedeliveryResendsTheSameRequest() {
        queue.failNext(1);
        CreateClusterCall event = call("iam-user.json");
        assertThatThrownBy(() -> service.handle(event, OWN_ACCOUNT)).hasMessageContaining("SQS is unavailable");
        String arn = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev";
        ClusterRecord written = registry.find(arn).orElseThrow();
        assertThat(written.bootstrapStatus()).isEqualTo(BootstrapStatus.PENDING);

        CreationOutcome outcome = service.handle(event, OWN_ACCOUNT);

        assertThat(outcome).isEqualTo(new CreationOutcome.Duplicate(written, true));
        assertThat(queue.sent()).containsExactly(BootstrapRequest.forEvent(arn, "0b9f4e2a-6c1d-4f3b-8e7a-91d2c5a0f3e1",
                Instant.parse("2026-11-28T08:12:03Z")));
        assertThat(registry.find(arn)).contains(written);
    }

    @Test
    void newerCreateClusterForARecordedArn_replacesTheRecord_andBootstrapsTheNewCluster() {
        service.handle(call("iam-user.json"), OWN_ACCOUNT);
        String arn = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev";
        registry.updateBootstrap(arn, BootstrapStatus.DONE, "1 admin principal(s) bootstrapped");
        ClusterRecord previous = registry.find(arn).orElseThrow();
        CreateClusterCall recreated = iamUserEventWith("11111111-2222-4333-8444-555555555555", "2026-12-03T10:00:00Z");

        CreationOutcome outcome = service.handle(recreated, OWN_ACCOUNT);

        ClusterRecord now = registry.find(arn).orElseThrow();
        assertThat(outcome).isEqualTo(new CreationOutcome.Replaced(previous, now, true));
        assertThat(now.eventId()).isEqualTo("11111111-2222-4333-8444-555555555555");
        assertThat(now.bootstrapStatus()).isEqualTo(BootstrapStatus.PENDING);
        assertThat(queue.sent()).extracting(BootstrapRequest::requestId)
                .containsExactly("bootstrap:0b9f4e2a-6c1d-4f3b-8e7a-91d2c5a0f3e1",
                        "bootstrap:11111111-2222-4333-8444-555555555555");
    }

    @Test
    void olderCreateClusterForARecordedArn_isStale_andChangesNothing() {
        service.handle(call("iam-user.json"), OWN_ACCOUNT);
        String arn = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev";
        ClusterRecord stored = registry.find(arn).orElseThrow();
        // EKS confirms the older event too (say the record came from before events were verified): the registry decides.
        CreateClusterCall earlier = iamUserEventWith("99999999-2222-4333-8444-555555555555", "2026-10-01T10:00:00Z");

        CreationOutcome outcome = service.handle(earlier, OWN_ACCOUNT);

        assertThat(outcome).isInstanceOfSatisfying(CreationOutcome.Stale.class,
                stale -> assertThat(stale.stored()).isEqualTo(stored));
        assertThat(registry.find(arn)).contains(stored);
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void replacementLosingARace_throws_soThatTheEventIsRetried() {
        service.handle(call("iam-user.json"), OWN_ACCOUNT);
        CreationRegistry racing = new CreationRegistry() {
            @Override
            public ClusterRecord putIfAbsent(ClusterRecord record) {
                return registry.putIfAbsent(record);
            }

            @Override
            public Optional<ClusterRecord> find(String clusterArn) {
                return registry.find(clusterArn);
            }

            @Override
            public boolean updateBootstrap(String clusterArn, BootstrapStatus status, String reason) {
                return registry.updateBootstrap(clusterArn, status, reason);
            }

            @Override
            public boolean replace(String expectedEventId, ClusterRecord replacement) {
                return false;
            }
        };
        ClusterCreationService racingService = new ClusterCreationService(racing, queue,
                new BootstrapPlanner(List.of(ADMIN), false, false, Optional.empty()), new ClusterVerifier(eks), clock);
        CreateClusterCall recreated = iamUserEventWith("11111111-2222-4333-8444-555555555555", "2026-12-03T10:00:00Z");

        assertThatThrownBy(() -> racingService.handle(recreated, OWN_ACCOUNT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("changed while it was being replaced");
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void eventEksDoesNotConfirm_isUnverified_nothingRecordedOrSent() {
        eks.delete("arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev");

        CreationOutcome outcome = service.handle(call("iam-user.json"), OWN_ACCOUNT);

        assertThat(outcome).isInstanceOfSatisfying(CreationOutcome.Unverified.class, unverified -> {
            assertThat(unverified.mismatch().kind()).isEqualTo(ClusterVerifier.Mismatch.Kind.CLUSTER_NOT_FOUND);
            assertThat(unverified.logEvent().level()).isEqualTo(dev.eksaccess.log.Level.ERROR);
            assertThat(unverified.logEvent().outcome()).isEqualTo("rejected");
        });
        assertThat(registry.size()).isZero();
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void replayOfAnEarlierClusterOfTheSameName_doesNotReplaceTheRecord() {
        service.handle(call("iam-user.json"), OWN_ACCOUNT);
        String arn = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev";
        ClusterRecord stored = registry.find(arn).orElseThrow();
        ObjectNode replayed = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        ((ObjectNode) replayed.get("detail")).put("eventID", "11111111-2222-4333-8444-555555555555")
                .put("eventTime", "2026-12-03T10:00:00Z");

        CreationOutcome outcome = service.handle(parser.parse(EventFiles.bytes(replayed)), OWN_ACCOUNT);

        assertThat(outcome).isInstanceOfSatisfying(CreationOutcome.Unverified.class, unverified ->
                assertThat(unverified.mismatch().kind()).isEqualTo(ClusterVerifier.Mismatch.Kind.CREATED_AT_MISMATCH));
        assertThat(registry.find(arn)).contains(stored);
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void eksFailingTransiently_propagatesBeforeAnyWrite() {
        eks.failNext(1);

        assertThatThrownBy(() -> service.handle(call("iam-user.json"), OWN_ACCOUNT)).hasMessageContaining("throttling");
        assertThat(registry.size()).isZero();
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void failedCall_asksEksNothing() {
        service.handle(call("failed-call-error-code.json"), OWN_ACCOUNT);

        assertThat(eks.asked()).isEmpty();
    }
}
