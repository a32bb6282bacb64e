package dev.eksaccess.adopt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.adopt.ClusterAdoption.Action;
import dev.eksaccess.creation.BootstrapPlanner;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.eks.EksNotFoundException;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeRegistry;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.RecordingBootstrapQueue;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdoptionServiceTest {

    static final String HUB = "111122223333";
    static final String MEMBER = "222233334444";
    static final String REGION = "eu-west-1";
    static final String ADMIN = "arn:aws:iam::111122223333:role/platform/EksAdmin";
    static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

    final MutableClock clock = new MutableClock(NOW);
    final FakeRegistry registry = new FakeRegistry();
    final RecordingBootstrapQueue queue = new RecordingBootstrapQueue();
    final Map<String, List<String>> listed = new LinkedHashMap<>();
    final Map<String, RuntimeException> listingFailures = new HashMap<>();
    final Map<String, ClusterState> clusters = new HashMap<>();
    final Map<String, List<String>> history = new HashMap<>();
    final Map<String, RuntimeException> historyFailures = new HashMap<>();
    final List<String> historyCalls = new ArrayList<>();
    final List<String> describedAs = new ArrayList<>();

    AdoptionService service(boolean creatorAdmin) {
        ClusterLister lister = (account, region) -> {
            RuntimeException failure = listingFailures.get(account + "/" + region);
            if (failure != null) {
                throw failure;
            }
            return listed.getOrDefault(account + "/" + region, List.of());
        };
        EksAccessProvider eks = (cluster, actingFor) -> {
            describedAs.add(actingFor.function() + "|" + actingFor.requestId());
            return (EksAccess) Proxy.newProxyInstance(EksAccess.class.getClassLoader(), new Class<?>[]{EksAccess.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("describeCluster")) {
                            throw new AssertionError("adoption must only describe clusters, not " + method.getName());
                        }
                        ClusterState state = clusters.get(((ClusterRef) args[0]).arn());
                        if (state == null) {
                            throw new EksNotFoundException("no such cluster");
                        }
                        return state;
                    });
        };
        CreateClusterHistory lookup = (account, region, from, to) -> {
            historyCalls.add(account + "/" + region + " " + from + ".." + to);
            RuntimeException failure = historyFailures.get(account + "/" + region);
            if (failure != null) {
                throw failure;
            }
            return history.getOrDefault(account + "/" + region, List.of());
        };
        BootstrapPlanner planner = new BootstrapPlanner(List.of(ADMIN), creatorAdmin, true, Optional.of("EksAccess"));
        return new AdoptionService(lister, eks, lookup, registry, queue, planner, clock);
    }

    AdoptionReport run(boolean plan) {
        return service(true).run(new AdoptionScope(HUB, List.of(MEMBER), List.of(REGION)), "adopt-run-1", plan);
    }

    static String arn(String account, String name) {
        return "arn:aws:eks:" + REGION + ":" + account + ":cluster/" + name;
    }

    /** A cluster that ListClusters names and DescribeCluster describes. */
    void cluster(String account, String name, String status, String mode, Instant createdAt) {
        listed.computeIfAbsent(account + "/" + REGION, k -> new ArrayList<>()).add(name);
        clusters.put(arn(account, name), new ClusterState(status, mode, Map.of(), arn(account, name), createdAt));
    }

    /** The CloudTrail record of a sample, as LookupEvents returns it in CloudTrailEvent, at {@code time}. */
    void event(String sample, Instant time) {
        ObjectNode detail = (ObjectNode) EventFiles.json("cloudtrail/create-cluster/" + sample).get("detail");
        detail.put("eventTime", time.toString());
        String account = detail.get("recipientAccountId").asText();
        history.computeIfAbsent(account + "/" + detail.get("awsRegion").asText(), k -> new ArrayList<>())
                .add(detail.toString());
    }

    ClusterAdoption of(AdoptionReport report, String arn) {
        return report.clusters().stream().filter(c -> c.clusterArn().equals(arn)).findFirst().orElseThrow();
    }

    @Test
    void adoptsAClusterWithItsCreatorFromCloudTrail_andSendsTheSameBootstrapANewClusterGets() {
        Instant created = Instant.parse("2026-11-20T10:00:00Z");
        cluster(HUB, "analytics-dev", "ACTIVE", "API_AND_CONFIG_MAP", created.plusSeconds(2));
        event("bootstrap-flag-false.json", created);

        AdoptionReport report = run(false);

        ClusterAdoption adopted = of(report, arn(HUB, "analytics-dev"));
        assertThat(adopted.action()).isEqualTo(Action.ADOPTED);
        ClusterRecord record = registry.find(arn(HUB, "analytics-dev")).orElseThrow();
        assertThat(record.creatorPrincipalArn()).isEqualTo("arn:aws:iam::111122223333:role/ci/github-actions-deployer");
        assertThat(record.creatorIdentityType()).isEqualTo("AssumedRole");
        assertThat(record.eventTime()).isEqualTo(created);
        assertThat(record.authenticationMode()).isEqualTo("API_AND_CONFIG_MAP");
        assertThat(record.bootstrapCreatorAdmin()).isFalse();
        assertThat(record.bootstrapStatus()).isEqualTo(BootstrapStatus.PENDING);
        assertThat(record.bootstrapReason()).contains("2 admin principal(s) (including the creator)");
        assertThat(record.source()).startsWith(AdoptionService.SOURCE + " (CreateCluster event found");
        assertThat(queue.sent()).containsExactly(new BootstrapRequest(record.clusterArn(),
                BootstrapRequest.requestIdFor(record.eventId()), NOW, AdoptionService.REQUESTED_BY));
        assertThat(historyCalls).containsExactly(HUB + "/" + REGION + " " + NOW.minus(Duration.ofDays(90)) + ".." + NOW);
        assertThat(describedAs).containsOnly("adoption|adopt-run-1");
    }

    @Test
    void aClusterOlderThanCloudTrailsHistory_isAdoptedWithItsCreatorUnknown_withoutAskingCloudTrail() {
        Instant created = Instant.parse("2025-03-01T12:00:00Z");
        cluster(HUB, "legacy", "ACTIVE", "CONFIG_MAP", created);

        run(false);

        ClusterRecord record = registry.find(arn(HUB, "legacy")).orElseThrow();
        assertThat(record.creatorIdentityType()).isEqualTo("Unknown");
        assertThat(record.creatorPrincipalArn()).isNull();
        assertThat(record.creatorNote()).isEqualTo("creator unknown: the cluster was created at " + created
                + ", more than 90 days ago: CloudTrail's event history no longer has its CreateCluster event "
                + "(a trail's archive in S3 may)");
        assertThat(record.eventId()).isEqualTo("adopted-" + created.getEpochSecond());
        assertThat(record.authenticationMode()).isEqualTo("CONFIG_MAP");
        assertThat(record.bootstrapReason()).contains("will switch its authentication mode from CONFIG_MAP to "
                + "API_AND_CONFIG_MAP", "1 admin principal(s)");
        assertThat(queue.sent()).extracting(BootstrapRequest::requestId)
                .containsExactly("bootstrap:adopted-" + created.getEpochSecond());
        assertThat(historyCalls).isEmpty();
    }

    @Test
    void lookupEventsDenied_adoptsWithTheCreatorUnknownAndTheReason() {
        cluster(HUB, "payments-dev", "ACTIVE", "API", Instant.parse("2026-11-20T10:00:00Z"));
        historyFailures.put(HUB + "/" + REGION, new CreateClusterHistory.HistoryUnavailableException(
                "AccessDeniedException: not authorized to perform cloudtrail:LookupEvents", null));

        run(false);

        assertThat(registry.find(arn(HUB, "payments-dev")).orElseThrow().creatorNote()).isEqualTo("creator unknown: "
                + "CloudTrail LookupEvents failed in account 111122223333 and region eu-west-1: AccessDeniedException: "
                + "not authorized to perform cloudtrail:LookupEvents");
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void theEventOfAnEarlierClusterOfTheSameName_isNotTakenForTheCreator() {
        // The cluster was deleted and created again: CloudTrail still has the first one's CreateCluster.
        cluster(HUB, "analytics-dev", "ACTIVE", "API", Instant.parse("2026-11-20T10:00:00Z"));
        event("bootstrap-flag-false.json", Instant.parse("2026-11-10T10:00:00Z"));

        run(false);

        ClusterRecord record = registry.find(arn(HUB, "analytics-dev")).orElseThrow();
        assertThat(record.creatorPrincipalArn()).isNull();
        assertThat(record.creatorNote()).contains("no CreateCluster event in CloudTrail's event history of account "
                + "111122223333 and region eu-west-1 is this cluster's", "1 event(s) for its name are of an earlier "
                + "cluster of the same name (not within 5 minutes of createdAt)");
        assertThat(record.bootstrapReason()).contains("1 admin principal(s)").doesNotContain("creator");
    }

    @Test
    void noEventAtAll_withinTheHistory_saysSo() {
        cluster(HUB, "orders-dev", "ACTIVE", "API", Instant.parse("2026-11-20T10:00:00Z"));
        event("iam-user.json", Instant.parse("2026-11-20T10:00:00Z"));  // another cluster's

        run(false);

        assertThat(registry.find(arn(HUB, "orders-dev")).orElseThrow().creatorNote()).isEqualTo("creator unknown: "
                + "no CreateCluster event in CloudTrail's event history of account 111122223333 and region eu-west-1 "
                + "is this cluster's (created at 2026-11-20T10:00:00Z)");
    }

    @Test
    void clustersNotActive_orYoungerThanAnHour_orAlreadyRegistered_areLeftAlone() {
        cluster(HUB, "creating", "CREATING", "API", NOW.minus(Duration.ofMinutes(5)));
        cluster(HUB, "fresh", "ACTIVE", "API", NOW.minus(Duration.ofMinutes(59)));
        cluster(HUB, "known", "ACTIVE", "API", NOW.minus(Duration.ofDays(3)));
        listed.get(HUB + "/" + REGION).add("gone");
        ClusterRecord known = registry.putIfAbsent(FakeRegistry.record(arn(HUB, "known"), ADMIN, "API", true));

        AdoptionReport report = run(false);

        assertThat(of(report, arn(HUB, "creating")).action()).isEqualTo(Action.SKIPPED);
        assertThat(of(report, arn(HUB, "creating")).detail()).contains("CREATING, not ACTIVE");
        assertThat(of(report, arn(HUB, "fresh")).action()).isEqualTo(Action.SKIPPED);
        assertThat(of(report, arn(HUB, "fresh")).detail()).contains("left to the cluster-creation function");
        assertThat(of(report, arn(HUB, "known")).action()).isEqualTo(Action.REGISTERED);
        assertThat(of(report, arn(HUB, "gone")).action()).isEqualTo(Action.SKIPPED);
        assertThat(registry.find(arn(HUB, "known"))).containsSame(known);
        assertThat(registry.find(arn(HUB, "creating"))).isEmpty();
        assertThat(registry.find(arn(HUB, "fresh"))).isEmpty();
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void aMemberAccountThatCannotBeListed_isReported_andTheOthersAreAdopted() {
        cluster(MEMBER, "orders-prod", "ACTIVE", "API", Instant.parse("2025-01-01T00:00:00Z"));
        listingFailures.put(HUB + "/" + REGION, new IllegalStateException("AccessDenied"));

        AdoptionReport report = run(false);

        assertThat(report.listings()).extracting(AdoptionReport.Listing::error)
                .containsExactly("ListClusters failed: IllegalStateException: AccessDenied", null);
        assertThat(report.complete()).isFalse();
        assertThat(of(report, arn(MEMBER, "orders-prod")).action()).isEqualTo(Action.ADOPTED);
        assertThat(report.toJson()).contains("\"accountId\":\"111122223333\"", "\"error\":\"ListClusters failed");
    }

    @Test
    void plan_writesAndSendsNothing_andSaysWhatItWouldDo() {
        cluster(HUB, "legacy", "ACTIVE", "CONFIG_MAP", Instant.parse("2025-03-01T12:00:00Z"));

        AdoptionReport plan = run(true);

        assertThat(of(plan, arn(HUB, "legacy")).action()).isEqualTo(Action.WOULD_ADOPT);
        assertThat(of(plan, arn(HUB, "legacy")).record().creatorIdentityType()).isEqualTo("Unknown");
        assertThat(registry.find(arn(HUB, "legacy"))).isEmpty();
        assertThat(queue.sent()).isEmpty();
        assertThat(plan.toJson()).startsWith("{\"plan\":true,\"complete\":true,")
                .contains("\"action\":\"would-adopt\"", "\"authenticationMode\":\"CONFIG_MAP\"");
    }

    @Test
    void aSecondRun_doesNothingNew_onceTheBootstrapIsDone_andSendsAPendingOneAgain() {
        cluster(HUB, "legacy", "ACTIVE", "API", Instant.parse("2025-03-01T12:00:00Z"));
        cluster(HUB, "other", "ACTIVE", "API", Instant.parse("2025-04-01T12:00:00Z"));
        run(false);
        registry.updateBootstrap(arn(HUB, "legacy"), BootstrapStatus.DONE, "bootstrapped");
        ClusterRecord before = registry.find(arn(HUB, "legacy")).orElseThrow();

        AdoptionReport second = run(false);

        assertThat(of(second, arn(HUB, "legacy")).action()).isEqualTo(Action.REGISTERED);
        assertThat(registry.find(arn(HUB, "legacy"))).containsSame(before);
        // "other" is still PENDING (the grant processor has not applied it): the same request goes again.
        assertThat(of(second, arn(HUB, "other")).action()).isEqualTo(Action.BOOTSTRAP_SENT_AGAIN);
        assertThat(queue.sent()).extracting(BootstrapRequest::requestId).containsExactly(
                "bootstrap:adopted-" + Instant.parse("2025-03-01T12:00:00Z").getEpochSecond(),
                "bootstrap:adopted-" + Instant.parse("2025-04-01T12:00:00Z").getEpochSecond(),
                "bootstrap:adopted-" + Instant.parse("2025-04-01T12:00:00Z").getEpochSecond());
    }

    @Test
    void aRegistryOrQueueFailure_failsThatClusterOnly() {
        cluster(HUB, "a", "ACTIVE", "API", Instant.parse("2025-03-01T12:00:00Z"));
        cluster(HUB, "b", "ACTIVE", "API", Instant.parse("2025-03-01T12:00:00Z"));
        queue.failNext(1);

        AdoptionReport report = run(false);

        assertThat(of(report, arn(HUB, "a")).action()).isEqualTo(Action.FAILED);
        assertThat(of(report, arn(HUB, "b")).action()).isEqualTo(Action.ADOPTED);
        assertThat(report.complete()).isFalse();
        // The record of "a" is there, PENDING: the next run sends its bootstrap.
        AdoptionReport next = run(false);
        assertThat(of(next, arn(HUB, "a")).action()).isEqualTo(Action.BOOTSTRAP_SENT_AGAIN);
    }
}
