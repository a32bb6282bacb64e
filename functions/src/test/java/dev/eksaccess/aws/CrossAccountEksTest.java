package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.model.ClusterRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

class CrossAccountEksTest {

    private final List<String> created = new ArrayList<>();
    private final List<String> assumed = new ArrayList<>();

    private CrossAccountEks provider(Optional<String> roleName) {
        return new CrossAccountEks("111122223333", roleName, (region, credentials) -> {
            created.add(region.id() + (credentials == null ? " own" : " assumed"));
            return EksClient.builder().region(region).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        }, roleArn -> {
            assumed.add(roleArn);
            return AnonymousCredentialsProvider.create();
        });
    }

    @Test
    void clustersInOtherAccounts_useTheConfiguredRole_withOneClientPerAccountAndRegion() {
        CrossAccountEks eks = provider(Optional.of("platform/eks-access"));
        ClusterRef remote = new ClusterRef("aws", "eu-central-1", "444455556666", "a");

        eks.forCluster(remote);
        eks.forCluster(new ClusterRef("aws", "eu-central-1", "444455556666", "b"));
        eks.forCluster(new ClusterRef("aws", "eu-west-1", "111122223333", "home"));

        assertThat(assumed).containsExactly("arn:aws:iam::444455556666:role/platform/eks-access");
        assertThat(created).containsExactly("eu-central-1 assumed", "eu-west-1 own");
    }

    @Test
    void clustersInOtherAccounts_withoutARole_cannotBeReached() {
        assertThatThrownBy(() -> provider(Optional.empty())
                .forCluster(new ClusterRef("aws", "eu-west-1", "444455556666", "a")))
                .isInstanceOf(CrossAccountNotConfiguredException.class)
                .hasMessageContaining("CROSS_ACCOUNT_ROLE_NAME is not set");
    }

    @Test
    void aClusterOfAnAccountThatIsNotAMember_isRefusedBeforeAnyStsCall() {
        CrossAccountEks eks = new CrossAccountEks("111122223333", Optional.of("eks-access"), java.util.Set.of(
                "444455556666"), (region, credentials) -> {
            created.add(region.id());
            return EksClient.builder().region(region).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        }, roleArn -> {
            assumed.add(roleArn);
            return AnonymousCredentialsProvider.create();
        });

        assertThatThrownBy(() -> eks.forCluster(new ClusterRef("aws", "eu-west-1", "999988887777", "elsewhere")))
                .isInstanceOf(CrossAccountNotConfiguredException.class)
                .hasMessageContaining("999988887777, which is not one of the member accounts (memberAccounts: "
                        + "444455556666)");
        assertThat(assumed).as("no STS call").isEmpty();
        assertThat(created).isEmpty();

        eks.forCluster(new ClusterRef("aws", "eu-west-1", "444455556666", "member"));
        eks.forCluster(new ClusterRef("aws", "eu-west-1", "111122223333", "home"));
        assertThat(assumed).containsExactly("arn:aws:iam::444455556666:role/eks-access");
    }

    @Test
    void assumedRole_isInTheClustersPartitionAndAccount() {
        provider(Optional.of("eks-access")).forCluster(new ClusterRef("aws-cn", "cn-north-1", "444455556666", "a"));

        assertThat(assumed).containsExactly("arn:aws-cn:iam::444455556666:role/eks-access");
    }

    @Test
    void stsDenyingTheAssumeRole_reachesTheEngineAsAccessDenied_throughTheRealSdkClient() {
        // the real SDK resolves the assumed role's credentials before any HTTP call; STS refuses the AssumeRole
        CrossAccountEks eks = new CrossAccountEks("111122223333", Optional.of("eks-access"),
                (region, credentials) -> EksClient.builder().region(region)
                        .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
                        .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials).build(),
                roleArn -> () -> {
                    throw software.amazon.awssdk.services.sts.model.StsException.builder().statusCode(403)
                            .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                    .errorCode("AccessDenied").errorMessage("not authorized to perform: sts:AssumeRole "
                                            + "on resource: " + roleArn).build()).build();
                });
        ClusterRef remote = new ClusterRef("aws", "eu-central-1", "444455556666", "a");

        assertThatThrownBy(() -> eks.forCluster(remote).describeCluster(remote))
                .isInstanceOf(dev.eksaccess.eks.EksAccessDeniedException.class)
                .hasMessageContaining("sts:AssumeRole on resource: arn:aws:iam::444455556666:role/eks-access")
                .satisfies(e -> assertThat(((dev.eksaccess.eks.EksAccessException) e).retryable()).isFalse());
    }
}
