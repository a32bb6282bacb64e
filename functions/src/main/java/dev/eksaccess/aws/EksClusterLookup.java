package dev.eksaccess.aws;

import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.creation.ClusterLookup;
import dev.eksaccess.creation.DescribedCluster;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.eks.EksNotFoundException;
import dev.eksaccess.model.ClusterRef;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link ClusterLookup} through {@link CrossAccountEks}: DescribeCluster with the function's own credentials at home,
 * and in member accounts with the read-only role next to the grant processor's ({@code IamRoleName.clusterReader}),
 * in a session named for the function ({@code eks-access.cluster-creation}) and the CreateCluster event's id. A 404
 * is "no such cluster"; every other failure propagates (throttling, 5xx, network, AccessDenied, no cross-account
 * role), so that the event is retried and, if that keeps failing, kept in the rule's FailedEvents queue for the documented redrive.
 *
 * <p>The cluster-creation function learns its own account from the Lambda context of each invocation, so the path
 * to EKS is built per home account (one, in practice) on first use.
 */
public final class EksClusterLookup implements ClusterLookup {

    private final Function<String, EksAccessProvider> providerForHomeAccount;
    private final Map<String, EksAccessProvider> providers = new ConcurrentHashMap<>();

    /** @param providerForHomeAccount the path to EKS for a function running in the given account */
    public EksClusterLookup(Function<String, EksAccessProvider> providerForHomeAccount) {
        this.providerForHomeAccount = providerForHomeAccount;
    }

    /**
     * Real clients: {@link CrossAccountEks} with the read-only role
     * ({@link dev.eksaccess.config.ClusterCreationConfig#clusterReaderRoleName}), never the grant processor's.
     */
    public static EksClusterLookup from(AwsClients aws, Optional<String> clusterReaderRoleName,
                                        Set<String> memberAccounts, Optional<String> externalId) {
        return new EksClusterLookup(home -> CrossAccountEks.from(aws, home, clusterReaderRoleName, memberAccounts,
                externalId));
    }

    @Override
    public Optional<DescribedCluster> describe(ClusterRef cluster, String eventId, String functionAccount) {
        EksAccessProvider eks = providers.computeIfAbsent(functionAccount, providerForHomeAccount);
        ClusterState state;
        try {
            ActingFor verification = ActingFor.function(SessionIdentity.CLUSTER_CREATION, eventId);
            state = eks.forCluster(cluster, verification).describeCluster(cluster);
        } catch (EksNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(new DescribedCluster(state.arn(), state.createdAt(), state.status()));
    }
}
