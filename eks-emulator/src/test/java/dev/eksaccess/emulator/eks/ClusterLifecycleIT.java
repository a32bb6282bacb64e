package dev.eksaccess.emulator.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.InvalidRequestException;
import software.amazon.awssdk.services.eks.model.ListClustersResponse;
import software.amazon.awssdk.services.eks.model.ResourceInUseException;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.model.Update;
import software.amazon.awssdk.services.eks.model.UpdateClusterConfigRequest;
import software.amazon.awssdk.services.eks.model.UpdateParamType;
import software.amazon.awssdk.services.eks.model.UpdateStatus;
import software.amazon.awssdk.services.eks.model.UpdateType;

/** Clusters through the real SDK client: DescribeCluster, ListClusters, status changes, access-config updates. */
class ClusterLifecycleIT {

    private static final Instant START = Instant.parse("2026-01-15T10:00:00.250Z");
    private static final String CREATOR = "arn:aws:iam::123456789012:role/platform/ClusterCreator";

    private final ManualClock clock = new ManualClock(START);
    private EksEmulator emulator;
    private EksClient eks;

    @BeforeEach
    void start() {
        emulator = EksEmulator.start(EksEmulator.Options.defaults()
                .withClock(clock)
                .withUpdateDelay(Duration.ofMinutes(5)));
        eks = SdkClients.eks(emulator);
    }

    @AfterEach
    void stop() {
        eks.close();
        emulator.close();
    }

    private void createActive(String name, AuthenticationMode mode) {
        emulator.createCluster(ClusterSpec.builder(name).accountId("123456789012").region("eu-west-1")
                .authenticationMode(mode).creatorPrincipalArn(CREATOR).build());
    }

    @Test
    void describeCluster_returnsTheSpecInTheSdkShape() {
        // GIVEN
        emulator.createCluster(ClusterSpec.builder("payments").accountId("123456789012").region("eu-west-1")
                .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                .bootstrapClusterCreatorAdminPermissions(false)
                .creatorPrincipalArn(CREATOR).version("1.32").tags(Map.of("team", "payments")).build());

        // WHEN
        Cluster cluster = eks.describeCluster(r -> r.name("payments")).cluster();

        // THEN
        assertThat(cluster.name()).isEqualTo("payments");
        assertThat(cluster.arn()).isEqualTo("arn:aws:eks:eu-west-1:123456789012:cluster/payments");
        assertThat(cluster.statusAsString()).isEqualTo("ACTIVE");
        assertThat(cluster.createdAt()).isEqualTo(START);
        assertThat(cluster.version()).isEqualTo("1.32");
        assertThat(cluster.tags()).containsEntry("team", "payments");
        assertThat(cluster.accessConfig().authenticationModeAsString()).isEqualTo("API_AND_CONFIG_MAP");
        assertThat(cluster.accessConfig().bootstrapClusterCreatorAdminPermissions()).isFalse();
    }

    @Test
    void describeCluster_unknownClusterIsResourceNotFound() {
        assertThatThrownBy(() -> eks.describeCluster(r -> r.name("nope")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("No cluster found for name: nope")
                .satisfies(e -> assertThat(((ResourceNotFoundException) e).statusCode()).isEqualTo(404));
    }

    @Test
    void newCluster_staysCreatingForTheActivationDelay_thenIsActive() {
        // GIVEN
        emulator.createCluster(ClusterSpec.builder("slow").activationDelay(Duration.ofMinutes(10)).build());

        // WHEN / THEN
        assertThat(eks.describeCluster(r -> r.name("slow")).cluster().statusAsString()).isEqualTo("CREATING");
        clock.advance(Duration.ofMinutes(9));
        assertThat(emulator.clusterStatus("slow")).isEqualTo(ClusterStatus.CREATING);
        clock.advance(Duration.ofMinutes(1));
        assertThat(eks.describeCluster(r -> r.name("slow")).cluster().statusAsString()).isEqualTo("ACTIVE");
    }

    @Test
    void clusters_reportTheSameStatusAsDescribeCluster() {
        // GIVEN a cluster whose activation delay has passed, never looked at since
        emulator.createCluster(ClusterSpec.builder("slow").activationDelay(Duration.ofMinutes(10)).build());
        clock.advance(Duration.ofMinutes(10));

        // WHEN / THEN the listing of every cluster has moved it to ACTIVE too
        assertThat(emulator.clusters()).extracting(ClusterSnapshot::status).containsExactly(ClusterStatus.ACTIVE);
    }

    @Test
    void setStatus_forcesTheStatusReported() {
        createActive("forced", AuthenticationMode.API);

        emulator.setStatus("forced", ClusterStatus.FAILED);

        assertThat(eks.describeCluster(r -> r.name("forced")).cluster().statusAsString()).isEqualTo("FAILED");
    }

    @Test
    void setStatus_updatingStaysUpdatingWithoutAnUpdateRunning() {
        createActive("forced-updating", AuthenticationMode.API);

        emulator.setStatus("forced-updating", ClusterStatus.UPDATING);
        clock.advance(Duration.ofHours(1));

        assertThat(eks.describeCluster(r -> r.name("forced-updating")).cluster().statusAsString()).isEqualTo("UPDATING");
        emulator.setStatus("forced-updating", ClusterStatus.ACTIVE);
        assertThat(emulator.clusterStatus("forced-updating")).isEqualTo(ClusterStatus.ACTIVE);
    }

    @Test
    void completePendingChanges_endsCreatingAndRunningUpdatesAtOnce() {
        // GIVEN
        emulator.createCluster(ClusterSpec.builder("slow").authenticationMode(AuthenticationMode.CONFIG_MAP)
                .activationDelay(Duration.ofHours(1)).build());
        emulator.completePendingChanges("slow");
        assertThat(emulator.clusterStatus("slow")).isEqualTo(ClusterStatus.ACTIVE);
        eks.updateClusterConfig(r -> r.name("slow").accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP")));

        // WHEN
        emulator.completePendingChanges("slow");

        // THEN
        assertThat(emulator.clusterStatus("slow")).isEqualTo(ClusterStatus.ACTIVE);
        assertThat(emulator.authenticationMode("slow")).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
    }

    @Test
    void listClusters_paginatesAllClustersByName() {
        // GIVEN
        for (String name : List.of("c-3", "c-1", "c-5", "c-2", "c-4")) {
            emulator.createCluster(ClusterSpec.builder(name).build());
        }

        // WHEN
        List<String> names = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListClustersResponse page = eks.listClusters(r -> r.maxResults(2).nextToken(next));
            names.addAll(page.clusters());
            pageSizes.add(page.clusters().size());
            token = page.nextToken();
        } while (token != null);

        // THEN
        assertThat(names).containsExactly("c-1", "c-2", "c-3", "c-4", "c-5");
        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(eks.listClustersPaginator(r -> r.maxResults(1)).clusters()).hasSize(5);
    }

    @Test
    void listClusters_refusesAPageSizeAbove100() {
        assertThatThrownBy(() -> eks.listClusters(r -> r.maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void updateClusterConfig_configMapToApiDirectlyIsRefused() {
        // GIVEN
        createActive("legacy", AuthenticationMode.CONFIG_MAP);

        // WHEN / THEN
        assertThatThrownBy(() -> eks.updateClusterConfig(r -> r.name("legacy")
                .accessConfig(a -> a.authenticationMode("API"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("CONFIG_MAP to API");
        assertThat(emulator.authenticationMode("legacy")).isEqualTo(AuthenticationMode.CONFIG_MAP);
        assertThat(emulator.clusterStatus("legacy")).isEqualTo(ClusterStatus.ACTIVE);
    }

    @Test
    void updateClusterConfig_theSameModeAgainIsRefused() {
        createActive("same", AuthenticationMode.API_AND_CONFIG_MAP);

        assertThatThrownBy(() -> eks.updateClusterConfig(r -> r.name("same")
                .accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP"))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void updateClusterConfig_goingBackwardsIsRefused() {
        createActive("modern", AuthenticationMode.API);

        assertThatThrownBy(() -> eks.updateClusterConfig(r -> r.name("modern")
                .accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(emulator.authenticationMode("modern")).isEqualTo(AuthenticationMode.API);
    }

    @Test
    void updateClusterConfig_movesOneStepThroughUpdatingBackToActive() {
        // GIVEN
        createActive("legacy", AuthenticationMode.CONFIG_MAP);

        // WHEN
        Update update = eks.updateClusterConfig(r -> r.name("legacy")
                .accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP"))).update();

        // THEN the update is reported as AWS reports it, and the cluster is UPDATING for the update delay
        assertThat(update.id()).isNotBlank();
        assertThat(update.status()).isEqualTo(UpdateStatus.IN_PROGRESS);
        assertThat(update.type()).isEqualTo(UpdateType.ACCESS_CONFIG_UPDATE);
        assertThat(update.params()).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo(UpdateParamType.AUTHENTICATION_MODE);
            assertThat(p.value()).isEqualTo("API_AND_CONFIG_MAP");
        });
        assertThat(eks.describeCluster(r -> r.name("legacy")).cluster().statusAsString()).isEqualTo("UPDATING");

        clock.advance(Duration.ofMinutes(5));

        Cluster after = eks.describeCluster(r -> r.name("legacy")).cluster();
        assertThat(after.statusAsString()).isEqualTo("ACTIVE");
        assertThat(after.accessConfig().authenticationModeAsString()).isEqualTo("API_AND_CONFIG_MAP");
        assertThat(eks.describeUpdate(r -> r.name("legacy").updateId(update.id())).update().status())
                .isEqualTo(UpdateStatus.SUCCESSFUL);
    }

    @Test
    void updateClusterConfig_whileAnUpdateRunsIsResourceInUse() {
        // GIVEN
        createActive("busy", AuthenticationMode.CONFIG_MAP);
        eks.updateClusterConfig(r -> r.name("busy")
                .accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP")));

        // WHEN / THEN
        assertThatThrownBy(() -> eks.updateClusterConfig(r -> r.name("busy")
                .accessConfig(a -> a.authenticationMode("API"))))
                .isInstanceOf(ResourceInUseException.class);
    }

    @Test
    void updateClusterConfig_replayedWithItsClientRequestTokenAnswersTheSameUpdate() {
        // GIVEN
        createActive("legacy", AuthenticationMode.CONFIG_MAP);
        UpdateClusterConfigRequest request = UpdateClusterConfigRequest.builder().name("legacy")
                .accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP"))
                .clientRequestToken("switch-1").build();
        Update first = eks.updateClusterConfig(request).update();

        // WHEN
        Update replay = eks.updateClusterConfig(request).update();

        // THEN
        assertThat(replay.id()).isEqualTo(first.id());
        assertThat(emulator.cluster("legacy").updates()).hasSize(1);
    }

    @Test
    void updateClusterConfig_onACreatingClusterIsResourceInUse() {
        emulator.createCluster(ClusterSpec.builder("young").activationDelay(Duration.ofMinutes(10)).build());

        assertThatThrownBy(() -> eks.updateClusterConfig(r -> r.name("young")
                .accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP"))))
                .isInstanceOf(ResourceInUseException.class);
    }

    @Test
    void accessEntryChanges_areRefusedWhileTheModeUpdateRuns() {
        // GIVEN
        createActive("switching", AuthenticationMode.API_AND_CONFIG_MAP);
        eks.updateClusterConfig(r -> r.name("switching")
                .accessConfig(a -> a.authenticationMode("API")));

        // WHEN / THEN
        assertThatThrownBy(() -> eks.createAccessEntry(r -> r.clusterName("switching")
                .principalArn("arn:aws:iam::123456789012:role/Dev")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("UPDATING");
    }

    @Test
    void leavingConfigMap_givesTheCreatorItsAdminEntry() {
        // GIVEN a CONFIG_MAP cluster: the creator's admin access lives outside access entries
        createActive("legacy", AuthenticationMode.CONFIG_MAP);
        assertThat(emulator.accessEntries("legacy")).isEmpty();

        // WHEN
        eks.updateClusterConfig(r -> r.name("legacy")
                .accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP")));
        clock.advance(Duration.ofMinutes(5));

        // THEN
        assertThat(emulator.accessEntry("legacy", CREATOR)).hasValueSatisfying(
                e -> assertThat(e.hasClusterScoped("AmazonEKSClusterAdminPolicy")).isTrue());
    }

    @Test
    void leavingConfigMap_withoutTheCreatorEntryOption_leavesNoEntries() {
        emulator.createCluster(ClusterSpec.builder("strict").authenticationMode(AuthenticationMode.CONFIG_MAP)
                .creatorEntryOnLeavingConfigMap(false).build());

        eks.updateClusterConfig(r -> r.name("strict").accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP")));
        clock.advance(Duration.ofMinutes(5));

        assertThat(emulator.authenticationMode("strict")).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(emulator.accessEntries("strict")).isEmpty();
    }

    @Test
    void calls_recordTheModeChangesAsked() {
        createActive("legacy", AuthenticationMode.CONFIG_MAP);
        eks.updateClusterConfig(r -> r.name("legacy")
                .accessConfig(a -> a.authenticationMode("API_AND_CONFIG_MAP")));

        assertThat(emulator.calls("UpdateClusterConfig")).singleElement().satisfies(call -> {
            assertThat(call.clusterName()).contains("legacy");
            assertThat(call.bodyJson()).containsEntry("accessConfig", Map.of("authenticationMode", "API_AND_CONFIG_MAP"));
            assertThat(call.succeeded()).isTrue();
        });
    }
}
