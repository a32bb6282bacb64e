package dev.eksaccess.cli;

import dev.eksaccess.aws.IamRoleDirectory;
import dev.eksaccess.aws.KubernetesAwsAuthSource;
import dev.eksaccess.aws.SdkEksAccess;
import dev.eksaccess.awsauth.AwsAuthSource;
import dev.eksaccess.awsauth.RoleDirectory;
import dev.eksaccess.model.ClusterRef;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.regions.Region;

/** How {@code migrate} reaches a cluster's aws-auth and IAM; tests give emulators or in-memory sources. */
@FunctionalInterface
public interface ClusterConnector {

    /** For contexts that must never reach a cluster. */
    ClusterConnector NONE = (region, eks, iam) -> {
        throw new IllegalStateException("this CLI context reaches no cluster");
    };

    /**
     * Opens what a plan reads, for clusters in {@code region}.
     *
     * @param eksEndpoint an EKS endpoint override (emulators), else the SDK's
     * @param iamEndpoint an IAM endpoint override, else the SDK's
     */
    Sources open(Region region, Optional<URI> eksEndpoint, Optional<URI> iamEndpoint);

    /** aws-auth and IAM role paths, with the clients behind them. */
    interface Sources extends AutoCloseable {
        AwsAuthSource awsAuth();

        RoleDirectory roles();

        /**
         * The cluster {@code name} as the grant queue names it (its ARN, from DescribeCluster) and its access
         * entries, for {@code --apply} and {@code --compare}.
         */
        default ClusterAccess access(String name) {
            throw new IllegalStateException("these sources read no access entries");
        }

        @Override
        void close();
    }

    /**
     * The SDK's default credentials: DescribeCluster and tokens signed with them, IAM GetRole in the caller's own
     * account (STS GetCallerIdentity says which). A role of another account cannot be looked up and is reported as
     * unresolved, never assumed missing.
     */
    static ClusterConnector defaultChain(Clock clock, CallerIdentity identity) {
        return sdk(DefaultCredentialsProvider.builder().build(), clock, identity);
    }

    /** As {@link #defaultChain}, with the given credentials. */
    static ClusterConnector sdk(AwsCredentialsProvider credentials, Clock clock, CallerIdentity identity) {
        return (region, eksEndpoint, iamEndpoint) -> {
            EksClient eks = AwsClients.build(EksClient.builder(), region, credentials, eksEndpoint);
            IamClient iam = AwsClients.build(IamClient.builder(), region, credentials, iamEndpoint);
            String[] ownAccount = new String[1];
            RoleDirectory roles = new IamRoleDirectory(account -> {
                if (ownAccount[0] == null) {
                    ownAccount[0] = identity.arn(region).split(":")[4];
                }
                if (!account.equals(ownAccount[0])) {
                    throw new IllegalStateException("the CLI's credentials are of account " + ownAccount[0]
                            + ", so IAM of account " + account + " cannot be asked; plan with credentials of that "
                            + "account");
                }
                return iam;
            });
            AwsAuthSource awsAuth = KubernetesAwsAuthSource.of(eks, credentials, region.id(), clock,
                    Duration.ofSeconds(10));
            SdkEksAccess entries = new SdkEksAccess(eks);
            return new Sources() {
                @Override
                public AwsAuthSource awsAuth() {
                    return awsAuth;
                }

                @Override
                public ClusterAccess access(String name) {
                    if (ownAccount[0] == null) {
                        ownAccount[0] = identity.arn(region).split(":")[4];
                    }
                    return ClusterAccess.of(entries, new ClusterRef(ClusterRef.partitionOf(region.id()), region.id(),
                            ownAccount[0], name));
                }

                @Override
                public RoleDirectory roles() {
                    return roles;
                }

                @Override
                public void close() {
                    eks.close();
                    iam.close();
                }
            };
        };
    }
}
