package dev.eksaccess.emulator.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.ThrottlingException;

/** The request-rate limit per account and region, as the real SDK client sees it. */
class RateLimitIT {

    private static final String CLUSTER = "limited";
    /** Slow enough that no token comes back during a test. */
    private static final RateLimit ONE_A_MINUTE_BURST_3 = new RateLimit(1.0 / 60, 3);

    private EksEmulator emulator;

    private EksEmulator start(RateLimit limit) {
        emulator = EksEmulator.start(EksEmulator.Options.defaults().withRateLimit(limit));
        emulator.createCluster(ClusterSpec.builder(CLUSTER).build());
        return emulator;
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void callsBeyondTheBurstGetEksThrottlingException() {
        start(ONE_A_MINUTE_BURST_3);
        try (EksClient eks = SdkClients.eksWithoutRetries(emulator)) {
            for (int i = 0; i < 3; i++) {
                assertThat(eks.describeCluster(r -> r.name(CLUSTER)).cluster().name()).isEqualTo(CLUSTER);
            }

            assertThatThrownBy(() -> eks.describeCluster(r -> r.name(CLUSTER)))
                    .isInstanceOfSatisfying(ThrottlingException.class, e -> {
                        assertThat(e.isThrottlingException()).isTrue();
                        assertThat(e.statusCode()).isEqualTo(429);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                        assertThat(e.clusterName()).isEqualTo(CLUSTER);
                    });
        }
        List<RecordedCall> calls = emulator.calls("DescribeCluster");
        assertThat(calls).extracting(RecordedCall::status).containsExactly(200, 200, 200, 429);
        assertThat(calls.get(3).injected()).as("the limit, not an injected fault").isFalse();
    }

    @Test
    void aThrottledCallChangesNothing() {
        start(new RateLimit(1.0 / 60, 1));
        String dev = "arn:aws:iam::111122223333:role/Dev";
        try (EksClient eks = SdkClients.eksWithoutRetries(emulator)) {
            eks.describeCluster(r -> r.name(CLUSTER));

            assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName(CLUSTER).principalArn(dev)))
                    .isInstanceOf(ThrottlingException.class);
        }
        assertThat(emulator.accessEntry(CLUSTER, dev)).isEmpty();
    }

    @Test
    void theDefaultClientRetriesThrottlingAndGivesUpAfterItsAttempts() {
        start(ONE_A_MINUTE_BURST_3);
        try (EksClient eks = SdkClients.eks(emulator)) {
            eks.describeCluster(r -> r.name(CLUSTER));
            eks.describeCluster(r -> r.name(CLUSTER));

            assertThat(eks.describeCluster(r -> r.name(CLUSTER)).cluster().name()).isEqualTo(CLUSTER);
            assertThatThrownBy(() -> eks.describeCluster(r -> r.name(CLUSTER)))
                    .isInstanceOf(ThrottlingException.class);
        }
        assertThat(emulator.calls("DescribeCluster")).extracting(RecordedCall::status)
                .containsExactly(200, 200, 200, 429, 429, 429);
    }

    @Test
    void eachAccountHasItsOwnBucket() {
        start(new RateLimit(1.0 / 60, 1));
        emulator.createCluster(ClusterSpec.builder("member").accountId("444455556666").build());
        try (EksClient eks = SdkClients.eksWithoutRetries(emulator)) {
            eks.describeCluster(r -> r.name(CLUSTER));

            assertThat(eks.describeCluster(r -> r.name("member")).cluster().name()).isEqualTo("member");
            assertThatThrownBy(() -> eks.describeCluster(r -> r.name(CLUSTER))).isInstanceOf(ThrottlingException.class);
        }
    }

    @Test
    void withoutALimitNothingIsThrottled() {
        start(null);
        try (EksClient eks = SdkClients.eksWithoutRetries(emulator)) {
            for (int i = 0; i < 50; i++) {
                eks.describeCluster(r -> r.name(CLUSTER));
            }
        }
        assertThat(emulator.calls("DescribeCluster")).allMatch(call -> call.status() == 200);
    }
}
