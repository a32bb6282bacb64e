package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.Tables;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry adapter's conditional writes against emulated DynamoDB. */
@ExtendWith(EmulatedAws.class)
class DynamoClusterRegistryIT {

    private static final Instant LATER = Instant.parse("2026-11-28T09:00:00Z");
    private static final ClusterRecord RECORD = new ClusterRecord("arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev",
            "payments-dev", "111122223333", "eu-west-1", "arn:aws:iam::111122223333:user/alice", "IAMUser", null, null,
            "0b9f4e2a-6c1d-4f3b-8e7a-91d2c5a0f3e1", Instant.parse("2026-11-28T08:12:03Z"), "aws-cli/2.22.4",
            "API_AND_CONFIG_MAP", true, BootstrapStatus.PENDING, "waiting", Instant.parse("2026-11-28T08:12:05Z"));

    private final AwsBackend aws;
    private DynamoClusterRegistry registry;

    DynamoClusterRegistryIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTable() {
        registry = new DynamoClusterRegistry(aws.dynamoDb(), DynamoDbTables.createUnique(aws.dynamoDb(), "registry", Tables.REGISTRY),
                Clock.fixed(LATER, ZoneOffset.UTC));
    }

    @Test
    void putIfAbsent_writesOnce_andThenReturnsTheStoredRecord() {
        ClusterRecord other = RECORD.withBootstrap(BootstrapStatus.BLOCKED, "other", LATER);

        assertThat(registry.putIfAbsent(RECORD)).isSameAs(RECORD);
        assertThat(registry.putIfAbsent(other)).isEqualTo(RECORD);
        assertThat(registry.find(RECORD.clusterArn())).contains(RECORD);
    }

    @Test
    void find_isEmptyForAnUnknownCluster() {
        assertThat(registry.find("arn:aws:eks:eu-west-1:111122223333:cluster/unknown")).isEmpty();
    }

    @Test
    void updateBootstrap_setsStatusReasonAndTime_butNeverReopensDone() {
        registry.putIfAbsent(RECORD);

        assertThat(registry.updateBootstrap(RECORD.clusterArn(), BootstrapStatus.DONE, "1 admin principal(s) bootstrapped")).isTrue();
        assertThat(registry.updateBootstrap(RECORD.clusterArn(), BootstrapStatus.PENDING, "late duplicate")).isFalse();

        assertThat(registry.find(RECORD.clusterArn()))
                .contains(RECORD.withBootstrap(BootstrapStatus.DONE, "1 admin principal(s) bootstrapped", LATER));
    }

    @Test
    void updateBootstrap_ofAnUnknownCluster_changesNothing() {
        assertThat(registry.updateBootstrap("arn:aws:eks:eu-west-1:111122223333:cluster/unknown",
                BootstrapStatus.DONE, "done")).isFalse();
        assertThat(registry.find("arn:aws:eks:eu-west-1:111122223333:cluster/unknown")).isEmpty();
    }

    @Test
    void replace_succeedsOnlyWhileTheStoredRecordComesFromTheExpectedEvent() {
        registry.putIfAbsent(RECORD);
        ClusterRecord recreated = new ClusterRecord(RECORD.clusterArn(), "payments-dev", "111122223333", "eu-west-1",
                "arn:aws:iam::111122223333:user/bob", "IAMUser", null, null, "11111111-2222-4333-8444-555555555555",
                Instant.parse("2026-12-03T10:00:00Z"), "aws-cli/2.22.4", "API", true, BootstrapStatus.PENDING,
                "waiting", LATER);

        assertThat(registry.replace("not-the-stored-event", recreated)).isFalse();
        assertThat(registry.find(RECORD.clusterArn())).contains(RECORD);

        assertThat(registry.replace(RECORD.eventId(), recreated)).isTrue();
        assertThat(registry.find(RECORD.clusterArn())).contains(recreated);
    }
}
