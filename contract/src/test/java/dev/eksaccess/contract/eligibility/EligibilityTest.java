package dev.eksaccess.contract.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example document (events/eligibility/example.json) decides requests as docs/authorization.md says. */
class EligibilityTest {

    static final String PAYMENTS_CI = "arn:aws:iam::111122223333:role/teams/payments-ci";
    static final String PAYMENTS_DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";
    static final String SRE = "arn:aws:iam::111122223333:role/platform/sre";
    static final String SRE_LEAD = "arn:aws:iam::111122223333:role/platform/sre-lead";
    static final String BREAK_GLASS = "arn:aws:iam::111122223333:role/platform/break-glass";
    static final String STRANGER = "arn:aws:iam::111122223333:role/someone-else";
    static final AccessQuestion.Cluster PAYMENTS_PROD = new AccessQuestion.Cluster(
            "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod", "payments-prod", "111122223333", "eu-west-1",
            Optional.of(Map.of("environment", "prod")));

    private final Eligibility eligibility;

    EligibilityTest() throws IOException {
        eligibility = new Eligibility(EligibilityDocument.parse(EligibilityDocumentTest.example()));
    }

    private static AccessQuestion grant(String sender, String principal, String policy, List<String> namespaces,
                                        Duration duration) {
        return new AccessQuestion(sender, AccessQuestion.Kind.GRANT, PAYMENTS_PROD, principal, policy,
                namespaces.isEmpty(), namespaces, List.of(), null, duration);
    }

    private static AccessQuestion viewGrant(String sender, String principal, String... namespaces) {
        return grant(sender, principal, "AmazonEKSViewPolicy", List.of(namespaces), Duration.ofHours(8));
    }

    @Test
    void aSelfServiceGrantWithinTheRule_isAllowedAtOnce() {
        assertThat(eligibility.decide(viewGrant(PAYMENTS_CI, PAYMENTS_DEV, "payments", "payments-batch")))
                .isEqualTo(new Verdict.Allowed("payments-self-service", false, Optional.empty()));
    }

    @Test
    void aSenderNoRuleNames_isDenied() {
        assertThat(eligibility.decide(viewGrant(STRANGER, STRANGER, "payments")))
                .isEqualTo(new Verdict.Denied("sender " + STRANGER + " is named by no eligibility rule"));
    }

    @Test
    void aRequestOutsideEveryRuleOfTheSender_isDenied_withEachRulesReason() {
        assertThat(eligibility.decide(viewGrant(PAYMENTS_CI, STRANGER, "payments")))
                .isInstanceOfSatisfying(Verdict.Denied.class, denied -> assertThat(denied.reason())
                        .contains("rule 'payments-self-service': principal " + STRANGER + " is not the sender itself"));
        assertThat(eligibility.decide(grant(PAYMENTS_CI, PAYMENTS_DEV, "AmazonEKSAdminPolicy", List.of("payments"),
                Duration.ofHours(1)))).isInstanceOfSatisfying(Verdict.Denied.class, denied -> assertThat(
                        denied.reason()).contains("policy AmazonEKSAdminPolicy is not one of"));
        assertThat(eligibility.decide(viewGrant(PAYMENTS_CI, PAYMENTS_DEV, "billing")))
                .isInstanceOfSatisfying(Verdict.Denied.class, denied -> assertThat(denied.reason())
                        .contains("namespace billing is not within [payments, payments-*]"));
        assertThat(eligibility.decide(viewGrant(PAYMENTS_CI, PAYMENTS_DEV)))
                .isInstanceOfSatisfying(Verdict.Denied.class, denied -> assertThat(denied.reason())
                        .contains("cluster scope is not allowed"));
    }

    @Test
    void aWiderNamespacePattern_thanTheRules_isDenied() {
        assertThat(eligibility.decide(viewGrant(PAYMENTS_CI, PAYMENTS_DEV, "pay*"))).isInstanceOf(Verdict.Denied.class);
        assertThat(eligibility.decide(viewGrant(PAYMENTS_CI, PAYMENTS_DEV, "*"))).isInstanceOf(Verdict.Denied.class);
        assertThat(eligibility.decide(viewGrant(PAYMENTS_CI, PAYMENTS_DEV, "payments-team-*")))
                .isInstanceOf(Verdict.Allowed.class);
    }

    @Test
    void controlPlaneNamespaces_needARuleThatNamesThemLiterally() {
        EligibilityDocument everywhere = EligibilityDocument.parse(EligibilityDocumentTest.oneRule(
                EligibilityDocumentTest.VIEW_RULE.replace("\"scopes\":{\"cluster\":true}",
                        "\"scopes\":{\"namespaces\":[\"*\", \"kube-public\"]}")));
        Eligibility rules = new Eligibility(everywhere);
        String sender = EligibilityDocumentTest.SENDER;

        assertThat(rules.decide(viewGrant(sender, sender, "kube-system"))).isInstanceOfSatisfying(Verdict.Denied.class,
                denied -> assertThat(denied.reason()).contains("reaches kube-system, which a rule must name literally"));
        assertThat(rules.decide(viewGrant(sender, sender, "k*"))).isInstanceOf(Verdict.Denied.class);
        assertThat(rules.decide(viewGrant(sender, sender, "kube-public"))).isInstanceOf(Verdict.Allowed.class);
        assertThat(rules.decide(viewGrant(sender, sender, "apps"))).isInstanceOf(Verdict.Allowed.class);
    }

    @Test
    void groupsUsernameAndDuration_mustBeWithinTheRule() {
        AccessQuestion withGroup = new AccessQuestion(PAYMENTS_CI, AccessQuestion.Kind.GRANT, PAYMENTS_PROD,
                PAYMENTS_DEV, "AmazonEKSViewPolicy", false, List.of("payments"), List.of("payments-readers"), null,
                Duration.ofHours(1));
        assertThat(eligibility.decide(withGroup)).isInstanceOf(Verdict.Allowed.class);

        AccessQuestion otherGroup = new AccessQuestion(PAYMENTS_CI, AccessQuestion.Kind.GRANT, PAYMENTS_PROD,
                PAYMENTS_DEV, "AmazonEKSViewPolicy", false, List.of("payments"), List.of("cluster-admins"), null,
                Duration.ofHours(1));
        assertThat(eligibility.decide(otherGroup)).isInstanceOfSatisfying(Verdict.Denied.class,
                denied -> assertThat(denied.reason()).contains("Kubernetes group cluster-admins is not one of"));

        AccessQuestion username = new AccessQuestion(PAYMENTS_CI, AccessQuestion.Kind.GRANT, PAYMENTS_PROD,
                PAYMENTS_DEV, "AmazonEKSViewPolicy", false, List.of("payments"), List.of(), "alice",
                Duration.ofHours(1));
        assertThat(eligibility.decide(username)).isInstanceOfSatisfying(Verdict.Denied.class,
                denied -> assertThat(denied.reason()).contains("username alice matches none of []"));

        assertThat(eligibility.decide(grant(PAYMENTS_CI, PAYMENTS_DEV, "AmazonEKSViewPolicy", List.of("payments"),
                Duration.ofHours(13)))).isInstanceOfSatisfying(Verdict.Denied.class,
                        denied -> assertThat(denied.reason()).contains("duration PT13H is longer than PT12H"));
        assertThat(eligibility.decide(grant(PAYMENTS_CI, PAYMENTS_DEV, "AmazonEKSViewPolicy", List.of("payments"),
                null))).isInstanceOfSatisfying(Verdict.Denied.class,
                        denied -> assertThat(denied.reason()).contains("a permanent grant is not allowed"));
    }

    @Test
    void anAdminGrant_needsApprovalByTheRulesApprovers() {
        Verdict verdict = eligibility.decide(grant(SRE, SRE, "AmazonEKSClusterAdminPolicy", List.of(),
                Duration.ofHours(4)));

        assertThat(verdict).isEqualTo(new Verdict.NeedsApproval("sre-admin-with-approval",
                List.of(SRE_LEAD, "arn:aws:iam::111122223333:role/security/on-call"), 1, Duration.ofHours(2)));
    }

    @Test
    void rulesSelectingByTag_doNotMatch_whenTheClusterHasOtherTagsOrNoneAreKnown() {
        AccessQuestion.Cluster dev = new AccessQuestion.Cluster(PAYMENTS_PROD.arn(), PAYMENTS_PROD.name(),
                PAYMENTS_PROD.account(), PAYMENTS_PROD.region(), Optional.of(Map.of("environment", "dev")));
        AccessQuestion.Cluster unknown = new AccessQuestion.Cluster(PAYMENTS_PROD.arn(), PAYMENTS_PROD.name(),
                PAYMENTS_PROD.account(), PAYMENTS_PROD.region(), Optional.empty());

        assertThat(eligibility.needsTags(SRE)).isTrue();
        assertThat(eligibility.needsTags(PAYMENTS_CI)).isFalse();
        assertThat(eligibility.decide(new AccessQuestion(SRE, AccessQuestion.Kind.GRANT, dev, SRE,
                "AmazonEKSClusterAdminPolicy", true, List.of(), List.of(), null, Duration.ofHours(1))))
                .isInstanceOfSatisfying(Verdict.Denied.class, denied -> assertThat(denied.reason())
                        .contains("cluster tag environment=dev, the rule wants one of [prod, staging]"));
        assertThat(eligibility.decide(new AccessQuestion(SRE, AccessQuestion.Kind.GRANT, unknown, SRE,
                "AmazonEKSClusterAdminPolicy", true, List.of(), List.of(), null, Duration.ofHours(1))))
                .isInstanceOfSatisfying(Verdict.Denied.class, denied -> assertThat(denied.reason())
                        .contains("the cluster's tags are not known"));
    }

    /**
     * Found by EligibilityParserPropertyTest: the tag selectors were kept in a {@code Map.copyOf}, whose order changes
     * with every JVM start, so two function instances named different tags as the reason for one refusal.
     */
    @Test
    void aRefusal_namesTheFirstTagSelectorInDocumentOrder_inEveryJvm() {
        List<String> keys = List.of("team", "environment", "cost-center", "tier", "owner", "app", "zone", "service");
        String tags = String.join(",", keys.stream().map(key -> "\"" + key + "\":[\"x\"]").toList());
        EligibilityDocument document = EligibilityDocument.parse(EligibilityDocumentTest.oneRule(
                EligibilityDocumentTest.withField(EligibilityDocumentTest.VIEW_RULE, "\"clusters\":{\"tags\":{" + tags
                        + "}}")));
        String sender = EligibilityDocumentTest.SENDER;
        AccessQuestion.Cluster untagged = new AccessQuestion.Cluster(PAYMENTS_PROD.arn(), PAYMENTS_PROD.name(),
                PAYMENTS_PROD.account(), PAYMENTS_PROD.region(), Optional.of(Map.of()));

        assertThat(document.rules().get(0).clusters().tags().keySet()).containsExactlyElementsOf(keys);
        assertThat(new Eligibility(document).decide(new AccessQuestion(sender, AccessQuestion.Kind.GRANT, untagged,
                sender, "AmazonEKSViewPolicy", true, List.of(), List.of(), null, Duration.ofHours(1))))
                .isInstanceOfSatisfying(Verdict.Denied.class, denied -> assertThat(denied.reason())
                        .contains("rule 'r': cluster tag team is not set"));
    }

    @Test
    void breakGlass_isAllowedAtOnce_andSaysSo() {
        assertThat(eligibility.decide(grant(BREAK_GLASS, BREAK_GLASS, "AmazonEKSClusterAdminPolicy", List.of(),
                Duration.ofMinutes(30)))).isEqualTo(new Verdict.Allowed("break-glass", true, Optional.empty()));
    }

    @Test
    void anyPrincipal_mayDropItsOwnAccess_evenWithoutARule() {
        assertThat(eligibility.decide(AccessQuestion.revoke(STRANGER, PAYMENTS_PROD, STRANGER, null)))
                .isEqualTo(new Verdict.Allowed(Eligibility.SELF, false, Optional.empty()));
    }

    @Test
    void aSender_mayRevokeWhatItsRulesWouldLetItGrant_andARevokeOfEverythingIsLimitedToThosePolicies() {
        assertThat(eligibility.decide(AccessQuestion.revoke(PAYMENTS_CI, PAYMENTS_PROD, PAYMENTS_DEV,
                "AmazonEKSEditPolicy"))).isInstanceOf(Verdict.Allowed.class);
        assertThat(eligibility.decide(AccessQuestion.revoke(PAYMENTS_CI, PAYMENTS_PROD, PAYMENTS_DEV,
                "AmazonEKSClusterAdminPolicy"))).isInstanceOf(Verdict.Denied.class);
        assertThat(eligibility.decide(AccessQuestion.revoke(PAYMENTS_CI, PAYMENTS_PROD, STRANGER, null)))
                .isInstanceOf(Verdict.Denied.class);
        assertThat(eligibility.decide(AccessQuestion.revoke(PAYMENTS_CI, PAYMENTS_PROD, PAYMENTS_DEV, null)))
                .isEqualTo(new Verdict.Allowed("payments-self-service", false,
                        Optional.of(List.of("AmazonEKSViewPolicy", "AmazonEKSEditPolicy"))));
    }

    /** Found on review: the verdict once named every rule of the sender, also those that did not match. */
    @Test
    void aRevokeOfEverything_namesOnlyTheRulesThatAllowIt_andOnlyTheirPolicies() {
        String teams = "\"principals\":{\"patterns\":[\"arn:aws:iam::111122223333:role/teams/*\"]}";
        String here = EligibilityDocumentTest.VIEW_RULE.replace("\"principals\":{\"self\":true}", teams);
        String elsewhere = here.replace("\"id\":\"r\"", "\"id\":\"elsewhere\"")
                .replace("\"names\":[\"*\"]", "\"names\":[\"other-*\"]")
                .replace("AmazonEKSViewPolicy", "AmazonEKSEditPolicy");
        Eligibility rules = new Eligibility(EligibilityDocument.parse(
                "{\"version\":1,\"rules\":[{" + here + "},{" + elsewhere + "}]}"));

        assertThat(rules.decide(AccessQuestion.revoke(EligibilityDocumentTest.SENDER, PAYMENTS_PROD, PAYMENTS_DEV,
                null))).isEqualTo(new Verdict.Allowed("r", false, Optional.of(List.of("AmazonEKSViewPolicy"))));
    }

    @Test
    void approvers_mayNotApproveTheirOwnRequest_norAGrantForThemselves_norForAnotherRule() {
        String rule = "sre-admin-with-approval";

        assertThat(eligibility.approvalProblem(SRE_LEAD, rule, SRE, SRE)).isEmpty();
        assertThat(eligibility.approvalProblem(SRE_LEAD, rule, SRE_LEAD, SRE)).contains("nobody approves their own request");
        assertThat(eligibility.approvalProblem(SRE_LEAD, rule, SRE, SRE_LEAD))
                .contains("nobody approves a grant for themselves");
        assertThat(eligibility.approvalProblem(PAYMENTS_CI, rule, SRE, SRE))
                .contains(PAYMENTS_CI + " is not an approver of rule 'sre-admin-with-approval'");
        assertThat(eligibility.approvalProblem(SRE_LEAD, "payments-self-service", SRE, SRE))
                .contains("rule 'payments-self-service' no longer asks for approval in the deployed eligibility document");
    }
}
