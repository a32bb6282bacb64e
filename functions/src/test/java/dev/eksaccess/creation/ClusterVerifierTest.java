package dev.eksaccess.creation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.creation.ClusterVerifier.Mismatch;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeClusterLookup;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each check of a CreateCluster event against EKS, and the tolerance on both sides of the event's time. */
class ClusterVerifierTest {

    private static final String OWN_ACCOUNT = "111122223333";
    private static final String ARN = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev";
    /** The iam-user sample's eventTime. */
    private static final Instant EVENT_TIME = Instant.parse("2026-11-28T08:12:03Z");

    private final FakeClusterLookup eks = new FakeClusterLookup();
    private final ClusterVerifier verifier = new ClusterVerifier(eks);
    private final ClusterCreated event = (ClusterCreated) new CloudTrailEventParser()
            .parse(EventFiles.bytes("cloudtrail/create-cluster/iam-user.json"));

    private Optional<Mismatch> verifyAgainst(String arn, Instant createdAt, String status) {
        eks.holding(ARN, new DescribedCluster(arn, createdAt, status));
        return verifier.verify(event, OWN_ACCOUNT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATING", "ACTIVE", "UPDATING", "FAILED"})
    void clusterWithTheEventsArnCreatedAtTheEventsTime_isVerified_whateverItsStatus(String status) {
        assertThat(verifyAgainst(ARN, EVENT_TIME, status)).isEmpty();
        assertThat(eks.asked()).containsExactly(ARN);
    }

    @Test
    void noSuchCluster_isClusterNotFound() {
        Optional<Mismatch> mismatch = verifier.verify(event, OWN_ACCOUNT);

        assertThat(mismatch).hasValueSatisfying(m -> {
            assertThat(m.kind()).isEqualTo(Mismatch.Kind.CLUSTER_NOT_FOUND);
            assertThat(m.kind().errorType()).isEqualTo("ClusterNotFound");
            assertThat(m.described()).isNull();
            assertThat(m.reason()).contains("EKS has no cluster payments-dev in account 111122223333 and region eu-west-1");
        });
    }

    @Test
    void clusterWithAnotherArn_isArnMismatch() {
        String other = "arn:aws-cn:eks:eu-west-1:111122223333:cluster/payments-dev";

        assertThat(verifyAgainst(other, EVENT_TIME, "ACTIVE")).hasValueSatisfying(m -> {
            assertThat(m.kind()).isEqualTo(Mismatch.Kind.ARN_MISMATCH);
            assertThat(m.kind().errorType()).isEqualTo("ClusterArnMismatch");
            assertThat(m.reason()).contains(other, ARN);
        });
    }

    @Test
    void clusterEksDescribesWithoutAnArn_isArnMismatch() {
        assertThat(verifyAgainst(null, EVENT_TIME, "ACTIVE")).map(Mismatch::kind).contains(Mismatch.Kind.ARN_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 299, 300, -1, -299, -300})
    void createdAtWithinTheToleranceOfTheEventTime_onEitherSide_isVerified(long secondsApart) {
        assertThat(verifyAgainst(ARN, EVENT_TIME.plusSeconds(secondsApart), "CREATING")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {301, -301, 3600, -86_400})
    void createdAtBeyondTheTolerance_onEitherSide_isCreatedAtMismatch(long secondsApart) {
        Instant createdAt = EVENT_TIME.plusSeconds(secondsApart);

        assertThat(verifyAgainst(ARN, createdAt, "ACTIVE")).hasValueSatisfying(m -> {
            assertThat(m.kind()).isEqualTo(Mismatch.Kind.CREATED_AT_MISMATCH);
            assertThat(m.kind().errorType()).isEqualTo("ClusterCreatedAtMismatch");
            assertThat(m.described()).isEqualTo(new DescribedCluster(ARN, createdAt, "ACTIVE"));
            assertThat(m.reason()).contains("EKS created " + ARN + " at " + createdAt,
                    "from the event's time " + EVENT_TIME, "tolerance PT5M");
        });
    }

    @Test
    void theToleranceIsFiveMinutes() {
        assertThat(ClusterVerifier.CREATED_AT_TOLERANCE).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void clusterEksDescribesWithoutCreatedAt_isCreatedAtMismatch() {
        assertThat(verifyAgainst(ARN, null, "ACTIVE")).hasValueSatisfying(m -> {
            assertThat(m.kind()).isEqualTo(Mismatch.Kind.CREATED_AT_MISMATCH);
            assertThat(m.reason()).contains("no createdAt");
        });
    }

    @Test
    void eksFailingTransiently_propagates_soThatTheEventIsRetried() {
        eks.holding(ARN, new DescribedCluster(ARN, EVENT_TIME, "CREATING"));
        eks.failNext(1);

        assertThatThrownBy(() -> verifier.verify(event, OWN_ACCOUNT)).hasMessageContaining("throttling");
        assertThat(verifier.verify(event, OWN_ACCOUNT)).isEmpty();
    }

    @Test
    void trustingVerifier_asksNothing_andAcceptsEveryEvent() {
        assertThat(ClusterVerifier.trustingEvents().verify(event, OWN_ACCOUNT)).isEmpty();
        assertThat(eks.asked()).isEmpty();
    }
}
