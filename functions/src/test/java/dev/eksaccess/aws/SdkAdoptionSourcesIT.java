package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.adopt.CreateClusterHistory.HistoryUnavailableException;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testsupport.CloudTrailEmulator;
import dev.eksaccess.testsupport.TestEksClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

/** Adoption's SDK adapter against the emulated EKS and CloudTrail, over real HTTP with the real SDK clients. */
class SdkAdoptionSourcesIT {

    static final String HUB = "111122223333";
    static final String MEMBER = "444455556666";
    static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(NOW);
    final EksEmulator eks = EksEmulator.start(EksEmulator.Options.defaults().withClock(clock));
    final CloudTrailEmulator cloudTrail = CloudTrailEmulator.start(clock);
    final List<String> assumed = new ArrayList<>();

    /** As deployed: the function's own credentials at home, the reader role (here the emulators' keys) elsewhere. */
    final SdkAdoptionSources sources = new SdkAdoptionSources(
            region -> TestEksClients.ofAccount(eks.endpoint(), region, HUB),
            region -> CloudTrailClient.builder().endpointOverride(cloudTrail.endpoint()).region(region)
                    .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(cloudTrail.credentials(HUB))
                    .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build(),
            SdkAdoptionSources.memberRole(HUB, "aws", Optional.of("eks-access-reader"), (roleArn, session) -> {
                assumed.add(roleArn + " " + session);
                return TestEksClients.accountCredentials(MEMBER);
            }));

    @AfterEach
    void stop() {
        eks.close();
        cloudTrail.close();
    }

    @Test
    void listClusters_readsEveryPage_ofTheAccountAndRegionAsked() {
        for (int i = 0; i < 130; i++) {
            eks.createCluster(ClusterSpec.builder("c-" + i).accountId(HUB).region("eu-west-1").build());
        }
        eks.createCluster(ClusterSpec.builder("elsewhere").accountId(HUB).region("us-east-1").build());
        eks.createCluster(ClusterSpec.builder("member-one").accountId(MEMBER).region("eu-west-1").build());

        assertThat(sources.clusterNames(HUB, "eu-west-1")).hasSize(130).doesNotContain("elsewhere", "member-one");
        assertThat(sources.clusterNames(HUB, "us-east-1")).containsExactly("elsewhere");
        assertThat(sources.clusterNames(MEMBER, "eu-west-1")).containsExactly("member-one");
        assertThat(eks.calls("ListClusters")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(assumed).containsExactly("arn:aws:iam::444455556666:role/eks-access-reader "
                + "Session[sourceIdentity=eks-access.adoption, sessionName=eks-access-adoption]");
    }

    @Test
    void lookupEvents_readsEveryPageOfCreateClusterEvents_inTheTimeRange_withinCloudTrailsNinetyDays() throws Exception {
        JsonNode sample = EventFiles.json("cloudtrail/create-cluster/iam-user.json");
        for (int i = 0; i < 60; i++) {
            cloudTrail.record(sample, NOW.minus(Duration.ofHours(i + 1)));
        }
        cloudTrail.record(sample, NOW.minus(Duration.ofDays(91)));  // CloudTrail no longer has it
        JsonNode other = sample.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) other.get("detail")).put("eventName", "DeleteCluster");
        cloudTrail.record(other, NOW.minus(Duration.ofHours(2)));

        List<String> events = sources.createClusterEvents(HUB, "eu-west-1", NOW.minus(Duration.ofDays(90)), NOW);

        assertThat(events).hasSize(60);
        assertThat(events).allSatisfy(e -> assertThat(JSON.readTree(e).get("eventName").asText()).isEqualTo("CreateCluster"));
        assertThat(JSON.readTree(events.getFirst()).get("eventTime").asText()).isEqualTo(NOW.minus(Duration.ofHours(1)).toString());
        assertThat(cloudTrail.calls()).hasSize(2)
                .allSatisfy(c -> assertThat(c.attribute()).contains("EventName", "CreateCluster"));
        assertThat(sources.createClusterEvents(HUB, "eu-west-1", NOW.minus(Duration.ofHours(10)), NOW)).hasSize(10);
        assertThat(sources.createClusterEvents(HUB, "us-east-1", NOW.minus(Duration.ofDays(90)), NOW)).isEmpty();
        assertThat(sources.createClusterEvents(MEMBER, "eu-west-1", NOW.minus(Duration.ofDays(90)), NOW)).isEmpty();
    }

    @Test
    void lookupEventsDenied_isHistoryUnavailable_sayingWhy() {
        cloudTrail.failCallsOf(HUB, CloudTrailEmulator.Failure.ACCESS_DENIED);

        assertThatThrownBy(() -> sources.createClusterEvents(HUB, "eu-west-1", NOW.minus(Duration.ofDays(1)), NOW))
                .isInstanceOf(HistoryUnavailableException.class)
                .hasMessageContaining("User is not authorized to perform: cloudtrail:LookupEvents");
    }
}
