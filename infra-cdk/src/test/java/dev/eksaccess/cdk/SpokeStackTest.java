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
     * The hub's read-only role: named after the grant processor's, trusted by the hub's cluster-creation role and
     * access-change role only, each with the external id and its own function's source identity; DescribeCluster
     * only for cluster-creation sessions, the list and describe calls of access entries only for access-change
     * sessions, and nothing that changes access. (Mutation: the read statements without the SourceIdentity
     * condition -> this test fails.)
     */
    @Test
    void readerRole_isTrustedOnlyByTheHubsCreationAndAccessChangeRoles_andEachSessionMayOnlyRead() {
        TEMPLATE.hasResourceProperties("AWS::IAM::Role", Map.of(
                "RoleName", "HubAccess-reader",
                "Path", "/eks-access/"));
        Map<Object, String> identityOf = Map.of(
                Map.of("AWS", TestApps.HUB_CREATION_ROLE), "eks-access.cluster-creation",
                Map.of("AWS", TestApps.HUB_ACCESS_CHANGES_ROLE), "eks-access.access-changes");
        assertThat(trustStatements(TEMPLATE, "HubAccess-reader")).filteredOn(statement ->
                        !statement.containsKey("Condition") || !statement.get("Condition").toString()
                                .contains("eks-access.reconciliation")).hasSize(3).allSatisfy(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(identityOf).containsKey(statement.get("Principal"));
            assertThat(statement.get("Condition")).isEqualTo(Map.of(
                    "StringEquals", Map.of("sts:ExternalId", TestApps.EXTERNAL_ID),
                    "StringLike", Map.of("sts:SourceIdentity", List.of(identityOf.get(statement.get("Principal"))))));
        }).flatExtracting(statement -> asList(statement.get("Action")))
                .containsExactlyInAnyOrder("sts:AssumeRole", "sts:SetSourceIdentity", "sts:AssumeRole",
                        "sts:SetSourceIdentity");

        String reader = logicalId(STACK.clusterReaderRole().orElseThrow());
        List<Map<String, Object>> permissions = TemplateJson.statementsOfRole(TEMPLATE, reader);
        assertThat(permissions).filteredOn(statement -> !"ReconcileClusters".equals(statement.get("Sid")))
                .flatExtracting(statement -> asList(statement.get("Action"))).containsExactlyInAnyOrder(
                "eks:DescribeCluster", "eks:ListAccessEntries", "eks:DescribeAccessEntry",
                "eks:ListAssociatedAccessPolicies");
        Map<String, Object> verify = TemplateJson.statement(TEMPLATE, reader, "VerifyCreatedClusters");
        assertThat(verify.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:SourceIdentity", "eks-access.cluster-creation")));
        assertThat(asList(verify.get("Resource"))).singleElement().asString()
                .contains(":eks:", "{Ref=AWS::Region}", "{Ref=AWS::AccountId}", ":cluster/*");
        for (String sid : List.of("ReadClusterAccess", "ReadAccessEntries")) {
            assertThat(TemplateJson.statement(TEMPLATE, reader, sid).get("Condition")).as(sid).isEqualTo(
                    Map.of("StringEquals", Map.of("aws:SourceIdentity", "eks-access.access-changes")));
        }
        // the grant processor's role trusts nobody else
        assertThat(trustStatements(TEMPLATE)).extracting(s -> s.get("Principal"))
                .containsOnly(Map.of("AWS", TestApps.HUB_ROLE));
    }

    /**
     * The hub's reconciliation reads through the same role: its role by name, only in eks-access.reconciliation
     * sessions, and only list and describe calls and IAM reads, only in such sessions.
     */
    @Test
    void readerRole_letsTheHubsReconciliationListAndDescribe_onlyInItsOwnSessions() {
        List<Map<String, Object>> reconciliation = trustStatements(TEMPLATE, "HubAccess-reader").stream()
                .filter(statement -> statement.get("Condition").toString().contains("eks-access.reconciliation"))
                .toList();
        assertThat(reconciliation).hasSize(1).allSatisfy(statement -> {
            assertThat(statement.get("Principal").toString()).contains(TestApps.HUB_ACCOUNT);
            assertThat(statement.get("Condition")).isEqualTo(Map.of(
                    "StringEquals", Map.of("sts:ExternalId", TestApps.EXTERNAL_ID),
                    "StringLike", Map.of("sts:SourceIdentity", List.of("eks-access.reconciliation")),
                    "ArnLike", Map.of("aws:PrincipalArn", SpokeConfig.hubRoleByName(TestApps.HUB_ACCOUNT,
                            "ReconcilerRole"))));
        }).flatExtracting(statement -> asList(statement.get("Action")))
                .containsExactlyInAnyOrder("sts:AssumeRole", "sts:SetSourceIdentity");
        Map<String, Object> reads = TemplateJson.statement(TEMPLATE,
                logicalId(STACK.clusterReaderRole().orElseThrow()), "ReconcileClusters");
        assertThat(asList(reads.get("Action"))).containsExactlyInAnyOrder("eks:DescribeCluster",
                "eks:ListAccessEntries", "eks:DescribeAccessEntry", "eks:ListAssociatedAccessPolicies", "iam:GetRole",
                "iam:GetUser");
        assertThat(reads.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:SourceIdentity", "eks-access.reconciliation")));
    }

    @Test
    void accessChangeEvents_areForwardedToTheHubsDefaultBusWithADeadLetterQueue_withTheContractsPattern() {
        TEMPLATE.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Map.of("source", List.of("aws.eks"), "detail-type", List.of("AWS API Call via CloudTrail"),
                        "detail", Map.of("eventSource", List.of("eks.amazonaws.com"),
                                "eventName", dev.eksaccess.contract.AccessChangeEventPattern.EVENT_NAMES)),
                "Targets", List.of(Match.objectLike(Map.of(
                        "DeadLetterConfig", Map.of("Arn", arn(STACK.failedForwards())))))));
        TEMPLATE.resourceCountIs("AWS::Events::Rule", 2);
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

        assertThat(trustStatements(app.spoke(), "HubAccess-reader")).hasSize(5)
                .filteredOn(statement -> statement.get("Principal").equals(Map.of("AWS", adoptionRole)))
                .hasSize(1).allSatisfy(statement -> assertThat(statement.get("Condition")).isEqualTo(Map.of(
                        "StringEquals", Map.of("sts:ExternalId", TestApps.EXTERNAL_ID),
                        "StringLike", Map.of("sts:SourceIdentity", List.of("eks-access.adoption")))));
        List<Map<String, Object>> permissions = TemplateJson.statementsOfRole(app.spoke(),
                logicalId(app.stacks().spoke().orElseThrow().clusterReaderRole().orElseThrow()));
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
