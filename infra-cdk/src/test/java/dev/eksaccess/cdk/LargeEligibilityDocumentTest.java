package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * An eligibility document naming a few hundred senders and approvers, some of them users and some in a member
 * account: the grant processor may read exactly those from IAM, and its policies still fit IAM's limits because the
 * statements are split and CDK moves the overflow into managed policies. (Issue 18 deals with organisations larger
 * than a role's policies can hold.)
 */
// Annotations.findError/findWarning still return cxapi.SynthesisMessage, which CDK has deprecated.
@SuppressWarnings("deprecation")
class LargeEligibilityDocumentTest {

    private static final String HUB = TestApps.HUB_ACCOUNT;
    private static final String MEMBER = TestApps.MEMBER_ACCOUNT;
    private static final List<String> HUB_ROLES = IntStream.range(0, 240).mapToObj(i -> "arn:aws:iam::" + HUB
            + ":role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Team" + i + "_0123456789abcdef").toList();
    private static final List<String> HUB_USERS = List.of("arn:aws:iam::" + HUB + ":user/ci/deployer",
            "arn:aws:iam::" + HUB + ":user/oncall");
    private static final List<String> MEMBER_APPROVERS = IntStream.range(0, 40).mapToObj(i -> "arn:aws:iam::" + MEMBER
            + ":role/leads/lead-" + i).toList();

    private static final TestApps.Synthesized APP = TestApps.synthesize(context());
    private static final EksAccessStack STACK = APP.stacks().hub();
    private static final TemplateValues VALUES = new TemplateValues(APP.hub(), STACK.getStackName());

    /** IAM's limits, in characters without white space: a role's inline policies together, one managed policy. */
    private static final int INLINE_LIMIT = 10_240;
    private static final int MANAGED_LIMIT = 6_144;
    /** Managed policies a role may have attached without a quota increase. */
    private static final int ATTACHED_LIMIT = 10;

    private static Map<String, Object> context() {
        List<String> senders = new ArrayList<>(HUB_ROLES);
        senders.addAll(HUB_USERS);
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", "everyone-views-with-a-leads-approval");
        rule.put("senders", senders);
        rule.put("clusters", Map.of("names", List.of("*")));
        rule.put("principals", Map.of("self", true));
        rule.put("policies", List.of("AmazonEKSViewPolicy"));
        rule.put("scopes", Map.of("cluster", true));
        rule.put("maxDuration", "PT8H");
        rule.put("approval", Map.of("approvers", MEMBER_APPROVERS));
        try {
            Path file = Files.createTempFile("eligibility-large", ".json");
            Files.writeString(file, new ObjectMapper().writeValueAsString(Map.of("version", 1, "rules",
                    List.of(rule))));
            Map<String, Object> context = new LinkedHashMap<>(TestApps.fullContext());
            context.put("eligibility", file.toString());
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void grantProcessor_mayGetExactlyTheNamedRolesAndUsers() {
        List<Map<String, Object>> statements = TemplateJson.statementsOfRole(APP.hub(),
                logicalId(STACK.grantProcessor().role()));
        List<String> roles = new ArrayList<>(HUB_ROLES);
        roles.addAll(MEMBER_APPROVERS);

        assertThat(resourcesOf(statements, "iam:GetRole")).containsExactlyInAnyOrderElementsOf(union(roles,
                List.of(VALUES.resolve(EksAccessStackTest.arn(STACK.clusterCreated().role())),
                        VALUES.resolve(EksAccessStackTest.arn(STACK.expirySweep().role())),
                        VALUES.resolve(EksAccessStackTest.arn(STACK.grantProcessor().role())),
                        VALUES.resolve(EksAccessStackTest.arn(STACK.adoption().role())))));
        assertThat(resourcesOf(statements, "iam:GetUser")).containsExactlyInAnyOrderElementsOf(HUB_USERS);
        assertThat(statements).filteredOn(statement -> asList(statement.get("Action")).toString().contains("iam:"))
                .allSatisfy(statement -> assertThat(asList(statement.get("Action"))).hasSize(1))
                .hasSizeGreaterThan(10);
    }

    /** IAM of a member account answers only through its own role: that role may read the account's own ARNs. */
    @Test
    void memberAccountRole_mayGetTheDocumentsArnsOfMemberAccounts_only() {
        SpokeStack spoke = APP.stacks().spoke().orElseThrow();
        List<Map<String, Object>> statements = TemplateJson.statementsOfRole(APP.spoke(),
                logicalId(spoke.hubAccessRole()));

        assertThat(resourcesOf(statements, "iam:GetRole")).containsExactlyInAnyOrderElementsOf(MEMBER_APPROVERS);
        assertThat(resourcesOf(statements, "iam:GetUser")).isEmpty();
    }

    @Test
    void everyPolicy_fitsIamsLimits_andEveryStatementFitsAManagedPolicy() {
        String role = logicalId(STACK.grantProcessor().role());
        List<Map<String, Object>> inline = policies(APP.hub(), "AWS::IAM::Policy", role);
        List<Map<String, Object>> managed = policies(APP.hub(), "AWS::IAM::ManagedPolicy", role);

        assertThat(inline.stream().mapToLong(LargeEligibilityDocumentTest::size).sum()).isLessThanOrEqualTo(INLINE_LIMIT);
        assertThat(managed).isNotEmpty().hasSizeLessThanOrEqualTo(ATTACHED_LIMIT)
                .allSatisfy(document -> assertThat(size(document)).isLessThanOrEqualTo(MANAGED_LIMIT));
    }

    @Test
    void nagFindsNothing_inTheSplitPolicies() {
        for (var stack : List.of(STACK, APP.stacks().spoke().orElseThrow())) {
            assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .extracting(message -> message.getId() + ": " + message.getEntry().getData()).isEmpty();
            assertThat(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .extracting(message -> message.getId() + ": " + message.getEntry().getData()).isEmpty();
        }
    }

    private static List<String> resourcesOf(List<Map<String, Object>> statements, String action) {
        return statements.stream().filter(statement -> asList(statement.get("Action")).contains(action))
                .flatMap(statement -> asList(statement.get("Resource")).stream()).map(VALUES::resolve).toList();
    }

    /** The policy documents of this type attached to the role. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> policies(Template template, String type, String roleLogicalId) {
        return template.findResources(type).values().stream()
                .map(resource -> (Map<String, Object>) resource.get("Properties"))
                .filter(properties -> String.valueOf(properties.get("Roles")).contains("Ref=" + roleLogicalId + "}"))
                .map(properties -> (Map<String, Object>) properties.get("PolicyDocument"))
                .toList();
    }

    /** What IAM counts: the document as deployed, without white space ({@link DeploymentLimits}, as synth checks). */
    private static long size(Map<String, Object> document) {
        return DeploymentLimits.iamSize(document);
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> union = new ArrayList<>(a);
        union.addAll(b);
        return union;
    }
}
