package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.TestEksClients;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * The fixture the handler ITs stand on: its processor applies and records a grant end to end, and its
 * {@link GrantPipeline#close()} holds every test to the lockout invariants (a test that locks a cluster out fails in
 * its {@code @AfterEach}), excuses only the clusters declared started without an admin, and stops the emulator
 * whatever the verdict.
 */
@ExtendWith(EmulatedAws.class)
class GrantPipelineIT {

    static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    static final String DEV = "arn:aws:iam::111122223333:role/payments-dev";
    static final String CLUSTER_ADMIN = AccessPolicies.arnOf(AccessPolicies.CLUSTER_ADMIN);

    private final MutableClock clock = new MutableClock(Instant.now());

    @Test
    void processor_appliesTheTeamsGrant_andRecordsIt_inThePipelinesLedgerAndOutcomes(AwsBackend aws) {
        try (GrantPipeline pipeline = GrantPipeline.start(aws, clock)) {
            pipeline.emulator.createCluster(cluster("payments-prod", true));
            SqsLambdaPoller poller = pipeline.processor().poller();

            String id = poller.send("{\"action\":\"grant\",\"clusterName\":\"payments-prod\",\"principalArn\":\""
                    + DEV + "\",\"accessPolicy\":\"AmazonEKSViewPolicy\",\"accessScope\":{\"type\":\"cluster\"}}");
            assertThat(poller.pollOnce()).isEmpty();

            assertThat(pipeline.emulator.accessEntry("payments-prod", DEV).orElseThrow()
                    .hasClusterScoped(AccessPolicies.VIEW)).isTrue();
            assertThat(pipeline.ledger.find("arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod",
                    TestSenders.TEAM, id).orElseThrow().outcome()).as("log: " + pipeline.logs)
                    .isEqualTo(Outcome.APPLIED);
            assertThat(pipeline.outcomes.statesOf(id)).containsExactly("received", "applied");
        }
    }

    @Test
    void close_failsOnALockedOutCluster_andStillStopsTheEmulator(AwsBackend aws) {
        GrantPipeline pipeline = GrantPipeline.start(aws, clock);
        pipeline.emulator.createCluster(cluster("payments-prod", true));
        pipeline.eksClient.disassociateAccessPolicy(r -> r.clusterName("payments-prod").principalArn(CREATOR)
                .policyArn(CLUSTER_ADMIN));

        assertThatThrownBy(pipeline::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("lockout invariants violated")
                .hasMessageContaining("ACTIVE cluster payments-prod (API_AND_CONFIG_MAP) has no principal with "
                        + "AmazonEKSClusterAdminPolicy");
        try (EksClient eks = TestEksClients.eks(pipeline.emulator.endpoint(), Region.EU_WEST_1)) {
            assertThatThrownBy(() -> eks.listClusters()).as("the emulator is stopped")
                    .isInstanceOf(SdkClientException.class);
        }
    }

    @Test
    void close_excusesOnlyTheClustersDeclaredStartedWithoutAdmin(AwsBackend aws) {
        GrantPipeline excused = GrantPipeline.start(aws, clock);
        excused.emulator.createCluster(cluster("no-admin", false));
        excused.startedWithoutAdmin("no-admin");
        assertThatCode(excused::close).doesNotThrowAnyException();

        GrantPipeline undeclared = GrantPipeline.start(aws, clock);
        undeclared.emulator.createCluster(cluster("no-admin", false));
        undeclared.startedWithoutAdmin("another-cluster");
        assertThatThrownBy(undeclared::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("ACTIVE cluster no-admin (API_AND_CONFIG_MAP) has no principal with");
    }

    /** An API_AND_CONFIG_MAP cluster whose creator is its admin, or which has no admin at all. */
    private static ClusterSpec cluster(String name, boolean creatorAdmin) {
        return ClusterSpec.builder(name).accountId(GrantPipeline.ACCOUNT).region(GrantPipeline.REGION)
                .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                .bootstrapClusterCreatorAdminPermissions(creatorAdmin).creatorPrincipalArn(CREATOR).build();
    }
}
