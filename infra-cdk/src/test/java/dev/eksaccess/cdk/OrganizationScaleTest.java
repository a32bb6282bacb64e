package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.contract.SessionIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * An organisation as the issue describes its normal customer: 100 member accounts, 200 clusters, 25 SSO admin roles
 * with real-length ARNs, 60 senders. Configured organisation-wide (organizationMembers, clusterTag), every template
 * stays within every limit {@link DeploymentLimits} measures with room to spare, cdk-nag finds nothing, and nothing in
 * the hub names a member account or a cluster, so a new one needs no redeploy. Configured by lists instead, synth's
 * limit check names each list that has outgrown its AWS limit, with the number.
 */
// Annotations.findError/findWarning still return cxapi.SynthesisMessage, which CDK has deprecated.
@SuppressWarnings("deprecation")
class OrganizationScaleTest {

    static final String ORGANIZATION = "o-a1b2c3d4e5";
    static final String HUB = TestApps.HUB_ACCOUNT;
    /** "Room to spare": at most this share of any limit. */
    static final double ROOM = 0.8;

    /** 100 member accounts; senders and approvers live in the first 30, clusters in all. */
    static final List<String> MEMBERS = IntStream.range(0, 100)
            .mapToObj(i -> String.format(Locale.ROOT, "2%05d%06d", i, 424242)).toList();
    static final List<String> ADMINS = IntStream.range(0, 25).mapToObj(i -> "arn:aws:iam::" + HUB
            + ":role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_EKSPlatformAdmins-Team"
            + String.format(Locale.ROOT, "%02d", i) + "_0a1b2c3d4e5f6a7b").toList();
    /** 60 senders: 30 SSO roles of the hub account, one CI role in each of 30 member accounts. */
    static final List<String> SENDERS = Stream.concat(
            IntStream.range(0, 30).mapToObj(i -> "arn:aws:iam::" + HUB + ":role/aws-reserved/sso.amazonaws.com"
                    + "/eu-west-1/AWSReservedSSO_EKS-Team" + i + "-Developers_0123456789abcdef"),
            IntStream.range(0, 30).mapToObj(i -> "arn:aws:iam::" + MEMBERS.get(i) + ":role/ci/team-" + i
                    + "-deployer")).toList();
    /** 200 clusters, two in each member account. */
    static final List<String> CLUSTERS = IntStream.range(0, 200).mapToObj(i -> "arn:aws:eks:eu-west-1:"
            + MEMBERS.get(i / 2) + ":cluster/team-" + (i / 2) + "-" + (i % 2 == 0 ? "prod" : "staging")).toList();

    private static final TestApps.Synthesized ORG = TestApps.synthesize(organisationContext());

    static Map<String, Object> organisationContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("adminPrincipals", ADMINS);
        context.put("crossAccountRoleName", "eks-access/HubAccess");
        context.put("organizationId", ORGANIZATION);
        context.put("organizationMembers", true);
        context.put("clusterTag", "eks-access=enabled");
        context.put("allowAuthModeSwitch", true);
        context.put("creatorAdmin", true);
        context.put("kmsKey", "create");
        context.put("xrayTracing", true);
        context.put("alarmEmail", "platform-oncall@example.com");
        // No hub role ARNs: one spoke template for every account (StackSets).
        context.put("hubAccount", HUB);
        context.put("eligibility", eligibilityFile().toString());
        return context;
    }

    /** One rule per team: its sender asks for view access to its two clusters, a lead of the hub approves admin. */
    private static Path eligibilityFile() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (int team = 0; team < 60; team++) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", "team-" + team);
            rule.put("senders", List.of(SENDERS.get(team)));
            rule.put("clusters", Map.of("arns", List.of(CLUSTERS.get((2 * team + 40) % 200),
                    CLUSTERS.get((2 * team + 41) % 200))));
            rule.put("principals", Map.of("self", true));
            rule.put("policies", List.of("AmazonEKSViewPolicy", "AmazonEKSEditPolicy"));
            rule.put("scopes", Map.of("namespaces", List.of("team-" + team)));
            rule.put("maxDuration", "PT8H");
            rules.add(rule);
        }
        try {
            Path file = Files.createTempFile("eligibility-organisation", ".json");
            Files.writeString(file, new ObjectMapper().writeValueAsString(Map.of("version", 1, "rules", rules)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyTemplate_staysWithinEveryLimit_withRoomToSpare() {
        List<DeploymentLimits.Measurement> measurements = measurements(ORG);

        printTable(measurements);
        assertThat(measurements).extracting(DeploymentLimits.Measurement::limit)
                .containsAll(List.of(DeploymentLimits.Limit.values()));
        // CDK fills a role's inline policy before it moves statements to overflow policies, so the inline policy's
        // fill says nothing about room: the role's policies together do.
        assertThat(measurements).filteredOn(measurement -> measurement.limit()
                        != DeploymentLimits.Limit.ROLE_INLINE_POLICIES)
                .allSatisfy(measurement -> assertThat(measurement.used()).as(measurement.problem())
                        .isLessThanOrEqualTo(ROOM));
        assertThat(measurements).allSatisfy(measurement -> assertThat(measurement.exceeded())
                .as(measurement.problem()).isFalse());
    }

    @Test
    void cdkNag_findsNothing() {
        for (Stack stack : List.<Stack>of(ORG.stacks().hub(), ORG.stacks().spoke().orElseThrow())) {
            assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .extracting(message -> message.getId() + ": " + message.getEntry().getData()).isEmpty();
            assertThat(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .extracting(message -> message.getId() + ": " + message.getEntry().getData()).isEmpty();
        }
    }

    /**
     * A new cluster, or a new account of the organisation, changes nothing in the hub: no template names an account
     * that only has clusters (the hub reads IAM only for the document's senders), no cluster, and the organisation
     * is trusted by condition, in one statement each.
     */
    @Test
    void theHub_namesNoMemberAccountAndNoCluster_andTrustsTheOrganisationByCondition() {
        String hub = ORG.hub().toJSON().toString();
        assertThat(MEMBERS.subList(30, 100)).allSatisfy(account -> assertThat(hub).doesNotContain(account));
        assertThat(CLUSTERS).allSatisfy(cluster -> assertThat(hub).doesNotContain(cluster));

        Map<String, Map<String, Object>> busPolicies = ORG.hub().findResources("AWS::Events::EventBusPolicy");
        assertThat(busPolicies).hasSize(1);
        assertThat(busPolicies.values().iterator().next().toString())
                .contains("Principal=*").contains("aws:PrincipalOrgID=" + ORGANIZATION)
                .contains("events:source=aws.eks");
        assertThat(TemplateJson.allStatements(ORG.hub())).filteredOn(statement ->
                        "AllowOrganizationSenders".equals(statement.get("Sid"))).singleElement()
                .satisfies(statement -> assertThat(statement.get("Condition")).isEqualTo(
                        Map.of("StringEquals", Map.of("aws:PrincipalOrgID", ORGANIZATION))));
        Map<JavaFunction, String> sids = Map.of(
                ORG.stacks().hub().grantProcessor(), "AssumeMemberAccountRoleInOrganization",
                ORG.stacks().hub().clusterCreated(), "AssumeMemberClusterReaderRoleInOrganization");
        for (Map.Entry<JavaFunction, String> function : sids.entrySet()) {
            Map<String, Object> assume = TemplateJson.statement(ORG.hub(), logicalId(function.getKey().role()),
                    function.getValue());
            assertThat(assume.get("Condition")).isEqualTo(Map.of("StringEquals",
                    Map.of("aws:ResourceOrgID", ORGANIZATION)));
            assertThat(asList(assume.get("Resource"))).singleElement().asString()
                    .contains(":iam::*:role/eks-access/HubAccess");
        }
    }

    /**
     * Without the hub's role ARNs, the spoke trusts the hub account's roles by the names CloudFormation gives them,
     * bound by the organization; it needs no bootstrap, so one template deploys to every account with StackSets.
     */
    @Test
    void theSpoke_needsNoneOfTheHubsGeneratedNames_norABootstrap() {
        Map<String, Object> template = ORG.spoke().toJSON();
        Map<String, Object> trust = TemplateJson.allStatements(ORG.spoke()).stream()
                .filter(statement -> asList(statement.get("Action")).contains("sts:AssumeRole")).filter(statement ->
                        statement.get("Condition").toString().contains("GrantProcessorRole")).findFirst().orElseThrow();

        assertThat(trust.get("Condition")).isEqualTo(Map.of(
                "StringEquals", Map.of("aws:PrincipalOrgID", ORGANIZATION),
                "ArnLike", Map.of("aws:PrincipalArn", "arn:*:iam::" + HUB + ":role/EksAccess-GrantProcessorRole*"),
                "StringLike", Map.of("sts:SourceIdentity", SessionIdentity.TRUST_PATTERNS)));
        assertThat(trust.get("Principal").toString()).contains(":iam::" + HUB + ":root");
        assertThat(template.toString()).contains("arn:*:iam::" + HUB + ":role/EksAccess-ClusterCreatedRole*")
                .doesNotContain("BootstrapVersion");
        // The names the pattern stands for are the ones the hub's template gives its roles.
        assertThat(logicalId(ORG.stacks().hub().grantProcessor().role())).startsWith("GrantProcessorRole");
        assertThat(logicalId(ORG.stacks().hub().clusterCreated().role())).startsWith("ClusterCreatedRole");
    }

    /** The clusters a team opts in by tag: reading and switching a cluster need it; no cluster is listed. */
    @Test
    void eksPermissions_coverTheAccountAndRegion_andNeedTheOptInTagToReadOrSwitch() {
        List<Map<String, Object>> statements = TemplateJson.statementsOfRole(ORG.hub(),
                logicalId(ORG.stacks().hub().grantProcessor().role()));
        List<Map<String, Object>> eks = statements.stream().filter(statement ->
                asList(statement.get("Action")).toString().contains("eks:")).toList();

        assertThat(eks).hasSize(5).allSatisfy(statement -> assertThat(asList(statement.get("Resource"))).hasSizeLessThanOrEqualTo(2));
        for (String sid : List.of("ReadClusters", "SwitchToApiAndConfigMapOnly")) {
            assertThat(eks).filteredOn(statement -> sid.equals(statement.get("Sid"))).singleElement()
                    .satisfies(statement -> assertThat(statement.get("Condition").toString())
                            .contains("aws:ResourceTag/eks-access=enabled"));
        }
    }

    /**
     * The same organisation configured by lists: 100 member accounts, 60 senders in the queue policy, 200 clusters
     * by ARN. Synth's check names every list that has outgrown its limit, and the number. cdk-nag still finds
     * nothing, even in the overflow policies CDK makes for the clusters (which used to stop synth from 24 clusters).
     */
    @Test
    void listingEverything_failsTheLimitCheck_namingEachKeyAndItsNumber() {
        Map<String, Object> context = organisationContext();
        context.remove("organizationMembers");
        context.put("memberAccounts", MEMBERS);
        context.put("senderPrincipals", SENDERS);
        context.put("clusterArns", CLUSTERS.stream().map(arn -> arn.replaceFirst(":\\d{12}:", ":" + HUB + ":"))
                .toList());
        context.remove("clusterTag");
        TestApps.Synthesized listed = TestApps.synthesize(context);

        List<String> problems = DeploymentLimits.problems(measurements(listed));

        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("EventBridge default bus")
                .contains("context memberAccounts"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("SQS queue policy, principals")
                .contains(": 63 of 50").contains("context senderPrincipals"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("managed policies attached")
                .contains("clusterArns"));
        for (Stack stack : List.<Stack>of(listed.stacks().hub(), listed.stacks().spoke().orElseThrow())) {
            assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .extracting(message -> message.getId() + ": " + message.getEntry().getData()).isEmpty();
        }
    }

    static List<DeploymentLimits.Measurement> measurements(TestApps.Synthesized app) {
        List<DeploymentLimits.Measurement> measurements = new ArrayList<>(DeploymentLimits.measure(
                app.stacks().hub().getStackName(), app.hub().toJSON()));
        app.stacks().spoke().ifPresent(spoke -> measurements.addAll(DeploymentLimits.measure(spoke.getStackName(),
                app.spoke().toJSON())));
        return measurements;
    }

    /** The largest measurement of each limit in each stack, for docs/deploy.md's table. */
    private static void printTable(List<DeploymentLimits.Measurement> measurements) {
        Map<String, DeploymentLimits.Measurement> largest = measurements.stream().collect(Collectors.toMap(
                measurement -> measurement.stack() + " " + measurement.limit(), measurement -> measurement,
                (a, b) -> a.measured() >= b.measured() ? a : b, LinkedHashMap::new));
        largest.values().stream().sorted(Comparator.comparing((DeploymentLimits.Measurement m) -> m.limit())
                        .thenComparing(DeploymentLimits.Measurement::stack))
                .forEach(m -> System.out.printf(Locale.ROOT, "| %s | %,d | %s: %,d (%.0f%%), %s |%n",
                        m.limit().description(), m.limit().value(), m.stack(), m.measured(), 100 * m.used(),
                        m.subject()));
    }
}
