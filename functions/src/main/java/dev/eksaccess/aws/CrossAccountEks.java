package dev.eksaccess.aws;

import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.model.ClusterRef;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Reaches clusters in any account and region: the function's own credentials in its own account, and in other
 * accounts the role {@code arn:PARTITION:iam::ACCOUNT:role/NAME} named by {@code CROSS_ACCOUNT_ROLE_NAME}. One client
 * per account and region, built on first use and kept for the life of the execution environment (assumed-role
 * credentials refresh themselves).
 */
public final class CrossAccountEks implements EksAccessProvider {

    /** Session name in CloudTrail of the member accounts, so changes are traceable to this system. */
    public static final String SESSION_NAME = "eks-access-grant-processor";

    /** Builds an EKS client for a region, with the given credentials (null: the function's own). */
    @FunctionalInterface
    public interface ClientFactory {
        EksClient create(Region region, AwsCredentialsProvider credentials);
    }

    /** Assumes a role; returns credentials that refresh themselves. */
    @FunctionalInterface
    public interface RoleAssumer {
        AwsCredentialsProvider assume(String roleArn);
    }

    private final String homeAccountId;
    private final Optional<String> roleName;
    /** The accounts whose role may be assumed; null: any (only for tests and the sandbox, never from the environment). */
    private final Set<String> memberAccounts;
    private final ClientFactory clients;
    private final RoleAssumer roles;
    private final Map<String, EksAccess> cache = new ConcurrentHashMap<>();

    /** Reaching any account the role is found in: for tests and the sandbox. */
    public CrossAccountEks(String homeAccountId, Optional<String> roleName, ClientFactory clients, RoleAssumer roles) {
        this(homeAccountId, roleName, null, clients, roles);
    }

    /** @param memberAccounts the only accounts other than the home account whose clusters may be reached */
    public CrossAccountEks(String homeAccountId, Optional<String> roleName, Set<String> memberAccounts,
                           ClientFactory clients, RoleAssumer roles) {
        this.homeAccountId = Objects.requireNonNull(homeAccountId);
        this.roleName = roleName;
        this.memberAccounts = memberAccounts == null ? null : Set.copyOf(memberAccounts);
        this.clients = clients;
        this.roles = roles;
    }

    /**
     * Real clients: URL-connection HTTP, environment credentials at home, STS AssumeRole (with the external id, if
     * any) in the member accounts, and no other account.
     */
    public static CrossAccountEks from(AwsClients aws, String homeAccountId, Optional<String> roleName,
                                       Set<String> memberAccounts, Optional<String> externalId) {
        ClientFactory factory = (region, credentials) -> AwsClients.withEksRetries(EksClient.builder()).region(region)
                .httpClient(aws.httpClient())
                .credentialsProvider(credentials != null ? credentials : EnvironmentVariableCredentialsProvider.create())
                .build();
        return new CrossAccountEks(homeAccountId, roleName, memberAccounts, factory, assumeWithSts(aws, externalId));
    }

    /**
     * Assumes roles with STS AssumeRole as {@link #SESSION_NAME}, for every client that acts in a member account.
     * Only those need STS: its client is built on the first assumption, which keeps it off every cold start.
     */
    public static RoleAssumer assumeWithSts(AwsClients aws, Optional<String> externalId) {
        Lazy<StsClient> sts = new Lazy<>(aws::sts);
        return roleArn -> StsAssumeRoleCredentialsProvider.builder().stsClient(sts.get())
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(SESSION_NAME)
                        .externalId(externalId.orElse(null))).build();
    }

    @Override
    public EksAccess forCluster(ClusterRef cluster) {
        String key = cluster.partition() + ":" + cluster.accountId() + ":" + cluster.region();
        EksAccess cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        AwsCredentialsProvider credentials = null;
        if (!cluster.accountId().equals(homeAccountId)) {
            if (memberAccounts != null && !memberAccounts.contains(cluster.accountId())) {
                // Checked before any STS call: a cluster ARN naming another account cannot make this system act there.
                throw new CrossAccountNotConfiguredException("cluster " + cluster.arn() + " is in account "
                        + cluster.accountId() + ", which is not one of the member accounts (MEMBER_ACCOUNTS: "
                        + (memberAccounts.isEmpty() ? "none" : String.join(",", new java.util.TreeSet<>(memberAccounts)))
                        + ")");
            }
            String name = roleName.orElseThrow(() -> new CrossAccountNotConfiguredException("cluster " + cluster.arn()
                    + " is in account " + cluster.accountId() + ", not in " + homeAccountId
                    + ", and CROSS_ACCOUNT_ROLE_NAME is not set"));
            credentials = roles.assume(IamRoleName.arn(cluster.partition(), cluster.accountId(), name));
        }
        EksAccess access = new SdkEksAccess(clients.create(Region.of(cluster.region()), credentials));
        EksAccess raced = cache.putIfAbsent(key, access);
        return raced != null ? raced : access;
    }
}
