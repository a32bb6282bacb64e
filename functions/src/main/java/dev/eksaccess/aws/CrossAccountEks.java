package dev.eksaccess.aws;

import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.model.ClusterRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Reaches clusters in any account and region: the function's own credentials in its own account, and in other
 * accounts the role {@code arn:PARTITION:iam::ACCOUNT:role/NAME} named by {@code CROSS_ACCOUNT_ROLE_NAME} for the grant
 * processor, or the read-only role next to it for the cluster-creation function ({@link EksClusterLookup}).
 *
 * <p>In another account every request has its own role session, whose {@code SourceIdentity} names who asked and whose
 * {@code RoleSessionName} names the request ({@link Session#of}), so that account's CloudTrail records both on every
 * call. A session is kept, keyed by role, source identity and session name, and used again only by the same request
 * (the authorizer's DescribeCluster, the engine's calls, a retry): never by another sender or request. So a request in
 * a member account costs one STS AssumeRole, a request at home none. One EKS client per region serves every session
 * (the session's credentials go on each request).
 */
public final class CrossAccountEks implements EksAccessProvider {

    /** Sessions kept for reuse by the same request; the oldest unused one is dropped first. */
    static final int MAX_SESSIONS = 256;

    /** Builds an EKS client for a region, with the function's own credentials. */
    @FunctionalInterface
    public interface ClientFactory {
        EksClient create(Region region);
    }

    /** Assumes a role as a session; returns credentials that refresh themselves. */
    @FunctionalInterface
    public interface RoleAssumer {
        AwsCredentialsProvider assume(String roleArn, Session session);
    }

    /**
     * What a role session says in the member account's CloudTrail: {@code SourceIdentity} (who asked; sticky, kept
     * by any role chained from it) and {@code RoleSessionName} (which request). Both follow {@link SessionIdentity}.
     */
    public record Session(String sourceIdentity, String sessionName) {

        public Session {
            if (!SessionIdentity.STS_VALUE.matcher(sourceIdentity).matches()
                    || !SessionIdentity.STS_VALUE.matcher(sessionName).matches()) {
                throw new IllegalArgumentException("not a valid STS source identity and session name: "
                        + sourceIdentity + ", " + sessionName);
            }
        }

        /** The session of a request: its sender (or the system's function) and its id. */
        public static Session of(ActingFor actingFor) {
            return new Session(actingFor.function() != null ? SessionIdentity.ofFunction(actingFor.function())
                    : SessionIdentity.ofPrincipal(actingFor.principalArn()),
                    SessionIdentity.sessionName(actingFor.requestId()));
        }

        /**
         * The session of one of the system's functions acting for itself, on no request: the grant processor's IAM
         * lookups of sender ids ({@code eks-access.grant-processor}, session {@code eks-access-grant-processor}).
         */
        public static Session ofFunction(String function) {
            return new Session(SessionIdentity.ofFunction(function), "eks-access-" + function);
        }
    }

    private final String homeAccountId;
    private final Optional<String> roleName;
    /** The accounts whose role may be assumed; null: any (only for tests and the sandbox, never from the environment). */
    private final Set<String> memberAccounts;
    private final ClientFactory clients;
    private final RoleAssumer roles;
    private final Map<String, EksClient> regions = new ConcurrentHashMap<>();
    private final Map<String, EksAccess> home = new ConcurrentHashMap<>();
    private final Map<String, EksAccess> sessions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, EksAccess> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

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
        ClientFactory factory = region -> AwsClients.withEksRetries(EksClient.builder()).region(region)
                .httpClient(aws.httpClient()).credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build();
        return new CrossAccountEks(homeAccountId, roleName, memberAccounts, factory, assumeWithSts(aws, externalId));
    }

    /**
     * Assumes roles with STS AssumeRole, naming the session's source identity and name, for every client that acts in
     * a member account. Only those need STS: its client is built on the first assumption, which keeps it off every
     * cold start.
     */
    public static RoleAssumer assumeWithSts(AwsClients aws, Optional<String> externalId) {
        Lazy<StsClient> sts = new Lazy<>(aws::sts);
        return assumeWith(sts::get, externalId);
    }

    /** {@link #assumeWithSts} with a given STS client (tests point it at an emulated STS). */
    static RoleAssumer assumeWith(Supplier<StsClient> sts, Optional<String> externalId) {
        return (roleArn, session) -> StsAssumeRoleCredentialsProvider.builder().stsClient(sts.get())
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(session.sessionName())
                        .sourceIdentity(session.sourceIdentity()).externalId(externalId.orElse(null))).build();
    }

    /**
     * The EKS client of a region, built on first use; a function builds its own region's before its first message
     * (in the background, or before a SnapStart snapshot), so that its first request does not wait for the build.
     */
    public EksClient clientFor(String region) {
        return regions.computeIfAbsent(ClusterRef.partitionOf(region) + ":" + region,
                key -> clients.create(Region.of(region)));
    }

    @Override
    public EksAccess forCluster(ClusterRef cluster, ActingFor actingFor) {
        EksClient client = clientFor(cluster.region());
        if (cluster.accountId().equals(homeAccountId)) {
            return home.computeIfAbsent(cluster.region(), region -> new SdkEksAccess(client));
        }
        if (memberAccounts != null && !memberAccounts.contains(cluster.accountId())) {
            // Checked before any STS call: a cluster ARN naming another account cannot make this system act there.
            throw new CrossAccountNotConfiguredException("cluster " + cluster.arn() + " is in account "
                    + cluster.accountId() + ", which is not one of the member accounts (memberAccounts: "
                    + (memberAccounts.isEmpty() ? "none" : String.join(",", new TreeSet<>(memberAccounts))) + ")");
        }
        String name = roleName.orElseThrow(() -> new CrossAccountNotConfiguredException("cluster " + cluster.arn()
                + " is in account " + cluster.accountId() + ", not in " + homeAccountId
                + ", and CROSS_ACCOUNT_ROLE_NAME is not set"));
        String roleArn = IamRoleName.arn(cluster.partition(), cluster.accountId(), name);
        Session session = Session.of(actingFor);
        // The key names everything the session says: a session is never used for another sender or request.
        String key = roleArn + "|" + cluster.region() + "|" + session.sourceIdentity() + "|" + session.sessionName();
        Function<String, EksAccess> assume = k -> new SdkEksAccess(client, roles.assume(roleArn, session));
        synchronized (sessions) {
            return sessions.computeIfAbsent(key, assume);
        }
    }
}
