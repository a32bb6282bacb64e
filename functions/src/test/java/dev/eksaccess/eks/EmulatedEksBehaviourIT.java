package dev.eksaccess.eks;

import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.ClusterStatus;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.testsupport.TestEksClients;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * The production adapter {@link SdkEksAccess}, with the real SDK client over HTTP against the {@link EksEmulator},
 * held to the EKS behaviour suite. Mode switches last an hour unless {@link Control#completeUpdate} ends them.
 */
class EmulatedEksBehaviourIT extends EksAccessBehaviour {

    private EksEmulator emulator;
    private EksClient client;
    private EksAccess eks;

    @BeforeEach
    void start() {
        emulator = EksEmulator.start(EksEmulator.Options.defaults().withUpdateDelay(Duration.ofHours(1)));
        client = TestEksClients.eks(emulator.endpoint(), Region.EU_WEST_1);
        eks = new SdkEksAccess(client);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    @Override
    protected EksAccess eks() {
        return eks;
    }

    @Override
    protected Control control() {
        return new Control() {
            @Override
            public void addCluster(ClusterRef cluster, String status, String authenticationMode) {
                emulator.createCluster(ClusterSpec.builder(cluster.name()).accountId(cluster.accountId())
                        .region(cluster.region()).authenticationMode(AuthenticationMode.valueOf(authenticationMode))
                        .bootstrapClusterCreatorAdminPermissions(false).creatorPrincipalArn(null).build());
                if (!status.equals(ClusterState.ACTIVE)) {
                    forceStatus(cluster, status);
                }
            }

            @Override
            public void forceStatus(ClusterRef cluster, String status) {
                emulator.setStatus(cluster.name(), ClusterStatus.valueOf(status));
            }

            @Override
            public void completeUpdate(ClusterRef cluster) {
                emulator.completePendingChanges(cluster.name());
            }

            @Override
            public void addNonStandardEntry(ClusterRef cluster, String principalArn, String type) {
                // Through the API, as EKS makes node entries: the port creates STANDARD entries only.
                client.createAccessEntry(r -> r.clusterName(cluster.name()).principalArn(principalArn).type(type));
            }

            @Override
            public void addEntries(ClusterRef cluster, List<String> principalArns) {
                principalArns.forEach(arn -> emulator.seedAccessEntry(cluster.name(), arn));
            }

            @Override
            public void registerIamPrincipal(String arn) {
                emulator.registerIamPrincipal(arn);
            }
        };
    }
}
