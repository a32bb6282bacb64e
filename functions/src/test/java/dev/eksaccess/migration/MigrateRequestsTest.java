package dev.eksaccess.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.awsauth.AwsAuthParser;
import dev.eksaccess.awsauth.MigrationPlan;
import dev.eksaccess.awsauth.MigrationPlanner;
import dev.eksaccess.awsauth.PlannedMapping;
import dev.eksaccess.awsauth.SampleRoles;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every sample's plan becomes migrate requests the grant processor's parser accepts, one per sendable mapping. */
class MigrateRequestsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final ClusterRef DEMO = new ClusterRef("aws", "eu-west-1", "111122223333", "demo");
    private final MigrationPlanner planner = new MigrationPlanner(SampleRoles.load());
    private final RequestParser parser = new RequestParser(RequestRules.defaults("eu-west-1", "111122223333"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private MigrationPlan plan(String sample) {
        try {
            return planner.plan(AwsAuthParser.parseConfigMap(SampleRoles.sample(sample)));
        } catch (dev.eksaccess.awsauth.BrokenAwsAuthException e) {
            throw new AssertionError(sample + " is broken", e);
        }
    }

    @Test
    void everyReadableSample_givesOneValidRequestPerSendableMapping_withDistinctIds() {
        for (String sample : SampleRoles.readableSamples()) {
            MigrationPlan plan = plan(sample);
            List<AccessRequest> requests = MigrateRequests.of(plan, DEMO, NOW, "test");

            assertThat(requests).as(sample).hasSize((int) plan.mappings().stream()
                    .filter(MigrateRequests::sendable).count());
            assertThat(requests).extracting(AccessRequest::requestId).as(sample).doesNotHaveDuplicates();
            for (AccessRequest request : requests) {
                ParsedMessage parsed = parser.parse(request.toJson(), new MessageMeta("m", NOW, "AIDA", 1));
                assertThat(parsed).as(sample + " " + request.toJson()).isInstanceOfSatisfying(
                        ParsedMessage.Access.class, access -> assertThat(access.request()).isEqualTo(request));
            }
        }
    }

    @Test
    void eksctl_nodeRole_admin_andUser() {
        List<AccessRequest> requests = MigrateRequests.of(plan("eksctl.yaml"), DEMO, NOW, null);

        assertThat(requests).extracting(r -> r.migration().entryType() + " " + r.policyName() + " " + r.username())
                .containsExactly("EC2_LINUX null null", "STANDARD AmazonEKSClusterAdminPolicy admin",
                        "STANDARD AmazonEKSClusterAdminPolicy alice");
        assertThat(requests.get(1).migration().awsAuthMapping()).isEqualTo("mapRoles[1] (line 6): "
                + "arn:aws:iam::111122223333:role/platform-admin groups [system:masters] username admin, "
                + "aws-auth resourceVersion 1843");
    }

    @Test
    void theSamePlan_givesTheSameIds_andAnotherClusterOthers() {
        MigrationPlan plan = plan("terraform.yaml");
        ClusterRef other = new ClusterRef("aws", "eu-west-1", "111122223333", "other");

        List<String> first = MigrateRequests.of(plan, DEMO, NOW, null).stream().map(AccessRequest::requestId).toList();
        List<String> again = MigrateRequests.of(plan, DEMO, NOW.plusSeconds(60), null).stream()
                .map(AccessRequest::requestId).toList();
        List<String> elsewhere = MigrateRequests.of(plan, other, NOW, null).stream()
                .map(AccessRequest::requestId).toList();

        assertThat(again).isEqualTo(first);
        assertThat(elsewhere).doesNotContainAnyElementsOf(first);
        assertThat(first).allMatch(id -> id.startsWith("migrate-demo-"));
    }

    @Test
    void fargateAndWindowsNodes_areNotSent() {
        MigrationPlan plan = plan("fargate.yaml");

        assertThat(plan.mappings()).anyMatch(m -> m.verdict() != PlannedMapping.Verdict.MIGRATE
                && m.entry().isPresent());
        assertThat(MigrateRequests.of(plan, DEMO, NOW, null)).noneMatch(r -> r.principalArn().contains("Fargate"));
    }
}
