package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.arn;
import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.SessionIdentity;
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
     * Only the hub's grant processor, only with the external id, and only naming who asked: an AssumeRole without a
     * source identity of the functions' form matches no statement.
     */
    @Test
    void role_hasTheConfiguredNameAndTrustsOnlyTheHubsGrantProcessorWithTheExternalId_requiringASourceIdentity() {
        TEMPLATE.hasResourceProperties("AWS::IAM::Role", Map.of(
                "RoleName", "HubAccess",
                "Path", "/eks-access/"));
        List<Map<String, Object>> trust = trustStatements(TEMPLATE);
        assertThat(trust).isNotEmpty().allSatisfy(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(statement.get("Principal")).isEqualTo(Map.of("AWS", TestApps.HUB_ROLE));
            assertThat(statement.get("Condition")).isEqualTo(Map.of(
                    "StringEquals", Map.of("sts:ExternalId", TestApps.EXTERNAL_ID),
                    "StringLike", Map.of("sts:SourceIdentity", List.of("*.????????", "eks-access.*"))));
        }).flatExtracting(statement -> asList(statement.get("Action")))
                .containsExactlyInAnyOrder("sts:AssumeRole", "sts:SetSourceIdentity");
        assertThat(SessionIdentity.TRUST_PATTERNS).containsExactly("*.????????", "eks-access.*");
    }

    /**
     * The cluster-creation function's own role: named after the grant processor's, trusted only by the hub's
     * cluster-creation role with the external id and its function's source identity, and only DescribeCluster, only
     * on this account's clusters, only in such a session.
     */
    @Test
    void readerRole_isTrustedOnlyByTheHubsClusterCreationRole_andMayOnlyDescribeThisAccountsClusters() {
        TEMPLATE.hasResourceProperties("AWS::IAM::Role", Map.of(
                "RoleName", "HubAccess-reader",
                "Path", "/eks-access/"));
        assertThat(trustStatements(TEMPLATE, "HubAccess-reader")).hasSize(2).allSatisfy(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(statement.get("Principal")).isEqualTo(Map.of("AWS", TestApps.HUB_CREATION_ROLE));
            assertThat(statement.get("Condition")).isEqualTo(Map.of(
                    "StringEquals", Map.of("sts:ExternalId", TestApps.EXTERNAL_ID),
                    "StringLike", Map.of("sts:SourceIdentity", List.of("eks-access.cluster-creation"))));
        }).flatExtracting(statement -> asList(statement.get("Action")))
                .containsExactlyInAnyOrder("sts:AssumeRole", "sts:SetSourceIdentity");

        List<Map<String, Object>> permissions = TemplateJson.statementsOfRole(TEMPLATE,
                logicalId(STACK.clusterReaderRole().orElseThrow()));
        assertThat(permissions).singleElement().satisfies(statement -> {
            assertThat(asList(statement.get("Action"))).containsExactly("eks:DescribeCluster");
            assertThat(statement.get("Condition")).isEqualTo(Map.of("StringEquals",
                    Map.of("aws:SourceIdentity", "eks-access.cluster-creation")));
            assertThat(asList(statement.get("Resource"))).singleElement().asString()
                    .contains(":eks:", "{Ref=AWS::Region}", "{Ref=AWS::AccountId}", ":cluster/*");
        });
        // the grant processor's role trusts nobody else
        assertThat(trustStatements(TEMPLATE)).extracting(s -> s.get("Principal"))
                .containsOnly(Map.of("AWS", TestApps.HUB_ROLE));
    }

    /**
     * With hubAdoptionRoleArn (docs/adopt.md), the reader role also trusts the hub's adoption role, for source identity
     * eks-access.adoption only, and lets exactly those sessions list clusters and look up CloudTrail's history.
     */
    @Test
    void readerRole_withTheHubsAdoptionRole_trustsItForAdoptionSessionsOnly_whichAloneMayListAndLookUp() {
        String adoptionRole = "arn:aws:iam::" + TestApps.HUB_ACCOUNT + ":role/EksAccess-AdoptionRole-ABC";
        Map<String, Object> context = new java.util.LinkedHashMap<>(TestApps.fullContext());
        context.put("hubAdoptionRoleArn", adoptionRole);
        TestApps.Synthesized app = TestApps.synthesize(context);

        assertThat(trustStatements(app.spoke(), "HubAccess-reader")).hasSize(4)
                .filteredOn(statement -> statement.get("Principal").equals(Map.of("AWS", adoptionRole)))
                .hasSize(2).allSatisfy(statement -> assertThat(statement.get("Condition")).isEqualTo(Map.of(
                        "StringEquals", Map.of("sts:ExternalId", TestApps.EXTERNAL_ID),
                        "StringLike", Map.of("sts:SourceIdentity", List.of("eks-access.adoption")))));
        List<Map<String, Object>> permissions = TemplateJson.statementsOfRole(app.spoke(),
                logicalId(app.stacks().spoke().orElseThrow().clusterReaderRole().orElseThrow()));
        assertThat(permissions).hasSize(2);
        assertThat(permissions).filteredOn(statement -> "AdoptExistingClusters".equals(statement.get("Sid")))
                .singleElement().satisfies(statement -> {
                    assertThat(asList(statement.get("Action")))
                            .containsExactly("eks:ListClusters", "cloudtrail:LookupEvents");
                    assertThat(statement.get("Condition")).isEqualTo(Map.of("StringEquals",
                            Map.of("aws:SourceIdentity", "eks-access.adoption")));
                });
        assertThat(permissions).filteredOn(statement -> "VerifyCreatedClusters".equals(statement.get("Sid")))
                .singleElement().satisfies(statement -> assertThat(statement.get("Condition")).isEqualTo(Map.of(
                        "StringEquals", Map.of("aws:SourceIdentity",
                                List.of("eks-access.cluster-creation", "eks-access.adoption")))));
    }

    /** The trust policy statements of the spoke's role for the hub's grant processor. */
    static List<Map<String, Object>> trustStatements(Template template) {
        return trustStatements(template, "HubAccess");
    }

    /** The trust policy statements of the spoke's role of that name. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> trustStatements(Template template, String roleName) {
        Map<String, Map<String, Object>> roles = template.findResources("AWS::IAM::Role",
                Map.of("Properties", Map.of("RoleName", roleName)));
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
