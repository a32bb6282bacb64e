package dev.eksaccess.eks;

import dev.eksaccess.testing.FakeEks;
import dev.eksaccess.model.ClusterRef;
import java.util.List;
import java.util.Map;

/** The in-memory {@link FakeEks} the unit tests use, held to the EKS behaviour suite. */
class FakeEksBehaviourTest extends EksAccessBehaviour {

    private final FakeEks fake = new FakeEks(ACCOUNT);

    @Override
    protected EksAccess eks() {
        return fake;
    }

    @Override
    protected Control control() {
        return new Control() {
            @Override
            public void addCluster(ClusterRef cluster, String status, String authenticationMode) {
                fake.cluster(cluster, status, authenticationMode);
            }

            @Override
            public void forceStatus(ClusterRef cluster, String status) {
                fake.cluster(cluster).status = status;
            }

            @Override
            public void completeUpdate(ClusterRef cluster) {
                fake.cluster(cluster).completeUpdate();
            }

            @Override
            public void addNonStandardEntry(ClusterRef cluster, String principalArn, String type) {
                fake.cluster(cluster).withEntry(principalArn, type, Map.of());
            }

            @Override
            public void addEntries(ClusterRef cluster, List<String> principalArns) {
                principalArns.forEach(arn -> fake.cluster(cluster).withEntry(arn, AccessEntry.STANDARD, Map.of()));
            }

            @Override
            public void registerIamPrincipal(String arn) {
                fake.registerIamPrincipal(arn);
            }
        };
    }
}
