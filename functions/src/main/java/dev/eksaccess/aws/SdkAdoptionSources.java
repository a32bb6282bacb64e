package dev.eksaccess.aws;

import dev.eksaccess.adopt.ClusterLister;
import dev.eksaccess.adopt.CreateClusterHistory;
import dev.eksaccess.contract.CreateClusterEventPattern;
import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.model.ClusterRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * Adoption's view of EKS ListClusters and CloudTrail LookupEvents through the SDK (docs/adopt.md): at home with the
 * function's own credentials, in a member account with the read-only role next to the grant processor's
 * ({@link IamRoleName#clusterReader}) in one session of source identity {@code eks-access.adoption}, which that role
 * lets call exactly these two (and DescribeCluster). Every page is read: ListClusters 100 names a page, LookupEvents
 * ({@code EventName=CreateCluster}, the time range given) 50 events a page.
 */
public final class SdkAdoptionSources implements ClusterLister, CreateClusterHistory {

    /** The role session every member-account call of adoption's listing and look-ups is made in. */
    static final CrossAccountEks.Session SESSION = CrossAccountEks.Session.ofFunction(SessionIdentity.ADOPTION);

    private final Function<Region, EksClient> eksClients;
    private final Function<Region, CloudTrailClient> cloudTrailClients;
    private final Function<String, Optional<AwsCredentialsProvider>> credentials;
    private final Map<Region, EksClient> eks = new ConcurrentHashMap<>();
    private final Map<Region, CloudTrailClient> cloudTrail = new ConcurrentHashMap<>();
    private final Map<String, Optional<AwsCredentialsProvider>> sessions = new ConcurrentHashMap<>();

    /**
     * @param credentials per account: empty for the function's own credentials, else those to use there
     */
    public SdkAdoptionSources(Function<Region, EksClient> eksClients, Function<Region, CloudTrailClient> cloudTrailClients,
                              Function<String, Optional<AwsCredentialsProvider>> credentials) {
        this.eksClients = eksClients;
        this.cloudTrailClients = cloudTrailClients;
        this.credentials = credentials;
    }

    /**
     * Real clients; in a member account the reader role, assumed with STS in {@link #SESSION}.
     *
     * @param readerRoleName the read-only role's name; empty: the hub only
     */
    public static SdkAdoptionSources from(AwsClients aws, String hubAccount, Optional<String> readerRoleName,
                                          Optional<String> externalId) {
        CrossAccountEks.RoleAssumer roles = CrossAccountEks.assumeWithSts(aws, externalId);
        return new SdkAdoptionSources(
                region -> AwsClients.withEksRetries(EksClient.builder()).region(region).httpClient(aws.httpClient())
                        .credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build(),
                region -> CloudTrailClient.builder().region(region).httpClient(aws.httpClient())
                        .credentialsProvider(EnvironmentVariableCredentialsProvider.create()).build(),
                memberRole(hubAccount, ClusterRef.partitionOf(aws.region().id()), readerRoleName, roles));
    }

    /** The reader role's credentials in each account but {@code hubAccount}; none without a role name. */
    public static Function<String, Optional<AwsCredentialsProvider>> memberRole(
            String hubAccount, String partition, Optional<String> readerRoleName, CrossAccountEks.RoleAssumer roles) {
        return account -> {
            if (account.equals(hubAccount)) {
                return Optional.empty();
            }
            String name = readerRoleName.orElseThrow(() -> new CrossAccountNotConfiguredException("account " + account
                    + " is not " + hubAccount + ", and CROSS_ACCOUNT_ROLE_NAME is not set"));
            return Optional.of(roles.assume(IamRoleName.arn(partition, account, name),
                    SESSION));
        };
    }

    @Override
    public List<String> clusterNames(String accountId, String region) {
        EksClient client = eks.computeIfAbsent(Region.of(region), eksClients);
        Optional<AwsCredentialsProvider> as = sessions.computeIfAbsent(accountId, credentials);
        return client.listClustersPaginator(r -> r.overrideConfiguration(override(as))).clusters().stream().toList();
    }

    @Override
    public List<String> createClusterEvents(String accountId, String region, Instant from, Instant to) {
        try {
            CloudTrailClient client = cloudTrail.computeIfAbsent(Region.of(region), cloudTrailClients);
            Optional<AwsCredentialsProvider> as = sessions.computeIfAbsent(accountId, credentials);
            return client.lookupEventsPaginator(r -> r
                            .lookupAttributes(LookupAttribute.builder().attributeKey(LookupAttributeKey.EVENT_NAME)
                                    .attributeValue(CreateClusterEventPattern.EVENT_NAME).build())
                            .startTime(from).endTime(to).maxResults(50)
                            .overrideConfiguration(override(as)))
                    .events().stream().map(Event::cloudTrailEvent).toList();
        } catch (SdkException | CrossAccountNotConfiguredException e) {
            throw new HistoryUnavailableException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static AwsRequestOverrideConfiguration override(Optional<AwsCredentialsProvider> credentials) {
        AwsRequestOverrideConfiguration.Builder builder = AwsRequestOverrideConfiguration.builder();
        credentials.ifPresent(builder::credentialsProvider);
        return builder.build();
    }
}
