package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.arn;
import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The member-account stack of {@link TestApps#FULL}. */
class SpokeStackTest {

    private static final SpokeStack STACK = TestApps.FULL.stacks().spoke().orElseThrow();
    private static final Template TEMPLATE = TestApps.FULL.spoke();

    /**
     * Only the hub's two roles, and only with the external id: the grant processor, which may name who asked (source
     * identity), and the cluster-creation function, which verifies this account's clusters.
     */
    @Test
    void role_hasTheConfiguredNameAndTrustsOnlyTheHubsGrantProcessorWithTheExternalId() {
        TEMPLATE.hasResourceProperties("AWS::IAM::Role", Map.of(
                "RoleName", "HubAccess",
                "Path", "/eks-access/"));
        List<Map<String, Object>> trust = trustStatements(TEMPLATE);
        assertThat(trust).isNotEmpty().allSatisfy(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(statement.get("Condition")).isEqualTo(
                    Map.of("StringEquals", Map.of("sts:ExternalId", TestApps.EXTERNAL_ID)));
        });
        assertThat(trust).filteredOn(s -> s.get("Principal").equals(Map.of("AWS", TestApps.HUB_ROLE)))
                .flatExtracting(statement -> asList(statement.get("Action")))
                .containsExactlyInAnyOrder("sts:AssumeRole", "sts:SetSourceIdentity");
        assertThat(trust).filteredOn(s -> s.get("Principal").equals(Map.of("AWS", TestApps.HUB_CREATION_ROLE)))
                .flatExtracting(statement -> asList(statement.get("Action"))).containsExactly("sts:AssumeRole");
        assertThat(trust).extracting(s -> s.get("Principal")).containsOnly(Map.of("AWS", TestApps.HUB_ROLE),
                Map.of("AWS", TestApps.HUB_CREATION_ROLE));
    }

    /** The trust policy statements of the spoke's role for the hub. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> trustStatements(Template template) {
        Map<String, Map<String, Object>> roles = template.findResources("AWS::IAM::Role",
                Map.of("Properties", Map.of("RoleName", "HubAccess")));
        assertThat(roles).hasSize(1);
        Map<String, Object> properties = (Map<String, Object>) roles.values().iterator().next().get("Properties");
        return (List<Map<String, Object>>) ((Map<String, Object>) properties.get("AssumeRolePolicyDocument"))
                .get("Statement");
    }

    @Test
    void role_carriesTheSameConditionedEksPermissionsAsTheHub() {
        String role = logicalId(STACK.hubAccessRole());
        List<String> hubSids = TemplateJson.statementsOfRole(TestApps.FULL.hub(),
                        logicalId(TestApps.FULL.stacks().hub().grantProcessor().role())).stream()
                .filter(statement -> asList(statement.get("Action")).toString().contains("eks:"))
                .map(statement -> (String) statement.get("Sid")).toList();

        assertThat(TemplateJson.statementsOfRole(TEMPLATE, role)).extracting(statement -> statement.get("Sid"))
                .containsExactlyInAnyOrderElementsOf(hubSids);
        assertThat(TemplateJson.statement(TEMPLATE, role, "CreateStandardAccessEntries").get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("eks:accessEntryType", "STANDARD")));
        assertThat(TemplateJson.statement(TEMPLATE, role, "AssociateAllowedPoliciesOnly").get("Condition"))
                .isEqualTo(TemplateJson.statement(TestApps.FULL.hub(),
                        logicalId(TestApps.FULL.stacks().hub().grantProcessor().role()),
                        "AssociateAllowedPoliciesOnly").get("Condition"));
    }

    @Test
    void createClusterEvents_areForwardedToTheHubsDefaultBusWithADeadLetterQueue() {
        TEMPLATE.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Map.of("source", List.of("aws.eks"), "detail-type", List.of("AWS API Call via CloudTrail"),
                        "detail", Map.of("eventSource", List.of("eks.amazonaws.com"), "eventName", List.of("CreateCluster"))),
                "Targets", List.of(Match.objectLike(Map.of(
                        "DeadLetterConfig", Map.of("Arn", arn(STACK.failedForwards())))))));
        assertThat(TEMPLATE.findResources("AWS::Events::Rule").toString())
                .contains(":events:", ":" + TestApps.HUB_ACCOUNT + ":event-bus/default");
    }
}
