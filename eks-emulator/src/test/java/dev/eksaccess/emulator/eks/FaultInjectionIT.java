package dev.eksaccess.emulator.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessDeniedException;
import software.amazon.awssdk.services.eks.model.EksException;
import software.amazon.awssdk.services.eks.model.ServerException;

/** Injected throttling, server errors and latency, as the real SDK client sees them. */
class FaultInjectionIT {

    private static final String CLUSTER = "faulty";
    private static final String DEV = "arn:aws:iam::111122223333:role/Dev";

    private EksEmulator emulator;
    private EksClient noRetries;

    @BeforeEach
    void start() {
        emulator = EksEmulator.start(EksEmulator.Options.defaults().withRandomSeed(42));
        emulator.createCluster(ClusterSpec.builder(CLUSTER).authenticationMode(AuthenticationMode.API).build());
        noRetries = SdkClients.eksWithoutRetries(emulator);
    }

    @AfterEach
    void stop() {
        noRetries.close();
        emulator.close();
    }

    @Test
    void throttling_surfacesAsAThrottlingErrorWithoutRetries() {
        emulator.inject(Fault.throttling().forNextCalls(1));

        assertThatThrownBy(() -> noRetries.describeCluster(r -> r.name(CLUSTER)))
                .isInstanceOfSatisfying(EksException.class, e -> {
                    assertThat(e.isThrottlingException()).isTrue();
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                });
        assertThat(noRetries.describeCluster(r -> r.name(CLUSTER)).cluster().name()).isEqualTo(CLUSTER);
    }

    @Test
    void throttling_once_isRetriedToSuccessByTheDefaultClient() {
        emulator.inject(Fault.throttling().forNextCalls(1).onOperation("CreateAccessEntry"));

        try (EksClient eks = SdkClients.eks(emulator)) {
            eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV));
        }

        List<RecordedCall> calls = emulator.calls("CreateAccessEntry");
        assertThat(calls).extracting(RecordedCall::status).containsExactly(429, 200);
        assertThat(calls.getFirst().injected()).isTrue();
        assertThat(emulator.accessEntry(CLUSTER, DEV)).isPresent();
    }

    @Test
    void serverError_surfacesAsServerException() {
        emulator.inject(Fault.serverError().onOperation("ListAccessEntries"));

        assertThatThrownBy(() -> noRetries.listAccessEntries(r -> r.clusterName(CLUSTER)))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    }

    @Test
    void accessDenied_surfacesAsTheSdksAccessDeniedException_with403() {
        emulator.inject(Fault.accessDenied().onOperation("ListAccessEntries"));

        assertThatThrownBy(() -> noRetries.listAccessEntries(r -> r.clusterName(CLUSTER)))
                .isInstanceOfSatisfying(AccessDeniedException.class,
                        e -> {
                            assertThat(e.statusCode()).isEqualTo(403);
                            assertThat(e.getMessage()).contains("is not authorized to perform: eks:ListAccessEntries");
                        });
    }

    @Test
    void faultOnOneOperation_leavesOthersAlone() {
        emulator.inject(Fault.serverError().onOperation("DeleteAccessEntry"));

        noRetries.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV));

        assertThat(emulator.accessEntry(CLUSTER, DEV)).isPresent();
        assertThatThrownBy(() -> noRetries.deleteAccessEntry(r -> r.clusterName(CLUSTER).principalArn(DEV)))
                .isInstanceOf(ServerException.class);
        assertThat(emulator.accessEntry(CLUSTER, DEV)).as("a faulted call changes nothing").isPresent();
    }

    @Test
    void forNextCalls_expiresAfterThatManyCalls() {
        emulator.inject(Fault.serverError().forNextCalls(2));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> noRetries.describeCluster(r -> r.name(CLUSTER)))
                    .isInstanceOf(ServerException.class);
        }
        assertThat(noRetries.describeCluster(r -> r.name(CLUSTER)).cluster()).isNotNull();
    }

    @Test
    void probability_hitsAboutThatShareOfCalls_repeatablyForASeed() {
        List<Boolean> first = throttledCalls(emulator, noRetries);
        List<Boolean> second;
        try (EksEmulator again = EksEmulator.start(EksEmulator.Options.defaults().withRandomSeed(42));
             EksClient client = SdkClients.eksWithoutRetries(again)) {
            again.createCluster(ClusterSpec.builder(CLUSTER).authenticationMode(AuthenticationMode.API).build());
            second = throttledCalls(again, client);
        }

        assertThat(first.stream().filter(hit -> hit).count()).isBetween(8L, 32L);
        assertThat(second).as("which calls a second emulator with the same seed throttles").isEqualTo(first);
    }

    /** Which of 40 calls are throttled with a 0.5 throttling probability, in order. */
    private static List<Boolean> throttledCalls(EksEmulator target, EksClient client) {
        target.inject(Fault.throttling().withProbability(0.5));
        List<Boolean> throttled = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            try {
                client.describeCluster(r -> r.name(CLUSTER));
                throttled.add(false);
            } catch (EksException e) {
                assertThat(e.isThrottlingException()).isTrue();
                throttled.add(true);
            }
        }
        return throttled;
    }

    @Test
    void clearFaults_stopsAllInjection() {
        emulator.inject(Fault.throttling());
        emulator.inject(Fault.serverError());

        emulator.clearFaults();

        assertThat(noRetries.describeCluster(r -> r.name(CLUSTER)).cluster()).isNotNull();
    }

    @Test
    void latency_delaysTheAnswerButTheCallSucceeds() {
        emulator.inject(Fault.latency(Duration.ofMillis(400)).forNextCalls(1));

        long started = System.nanoTime();
        noRetries.describeCluster(r -> r.name(CLUSTER));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(emulator.calls("DescribeCluster")).singleElement()
                .satisfies(c -> assertThat(c.injected()).isTrue())
                .satisfies(c -> assertThat(c.succeeded()).isTrue());
    }
}
