package dev.eksaccess.contract.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Migration rules ({@code "migration": true}) allow migrate requests and nothing else; no other rule allows one. */
class MigrationEligibilityTest {

    static final String MIGRATOR = "arn:aws:iam::111122223333:role/platform/aws-auth-migrator";
    static final String PAYMENTS_CI = "arn:aws:iam::111122223333:role/teams/payments-ci";
    static final String NODE_ROLE =
            "arn:aws:iam::111122223333:role/eksctl-demo-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F";
    static final String PLATFORM_ADMIN = "arn:aws:iam::111122223333:role/platform-admin";
    static final String DEPLOYER = "arn:aws:iam::111122223333:role/teams/payments/payments-deployer";
    static final AccessQuestion.Cluster DEMO = new AccessQuestion.Cluster(
            "arn:aws:eks:eu-west-1:111122223333:cluster/demo", "demo", "111122223333", "eu-west-1", Optional.empty());
    static final AccessQuestion.Cluster PAYMENTS = new AccessQuestion.Cluster(
            "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod", "payments-prod", "111122223333", "eu-west-1",
            Optional.empty());

    private final Eligibility eligibility;

    MigrationEligibilityTest() throws IOException {
        eligibility = new Eligibility(EligibilityDocument.parse(Files.readString(sample())));
    }

    static Path sample() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("events/eligibility"))) {
            dir = dir.getParent();
        }
        return dir.resolve("events/eligibility/migration.json");
    }

    private static AccessQuestion migrate(String sender, AccessQuestion.Cluster cluster, String principal,
                                          String policy, List<String> groups, String username) {
        return new AccessQuestion(sender, AccessQuestion.Kind.MIGRATE, cluster, principal, policy, policy != null,
                List.of(), groups, username, null);
    }

    @Test
    void theSampleDocument_hasMigrationRules_atClusterScope() {
        EligibilityRule rule = eligibility.document().rule("migrate-eksctl-demo").orElseThrow();
        assertThat(rule.migration()).isTrue();
        assertThat(rule.scopes()).isEqualTo(new EligibilityRule.Scopes(true, List.of()));
        assertThat(eligibility.document().rule("platform-view").orElseThrow().migration()).isFalse();
    }

    @Test
    void aMigrateWithinAMigrationRule_isAllowed() {
        assertThat(eligibility.decide(migrate(MIGRATOR, DEMO, PLATFORM_ADMIN, "AmazonEKSClusterAdminPolicy",
                List.of(), "admin"))).isEqualTo(new Verdict.Allowed("migrate-eksctl-demo", false, Optional.empty()));
        assertThat(eligibility.decide(migrate(MIGRATOR, DEMO, NODE_ROLE, null, List.of(), null)))
                .isEqualTo(new Verdict.Allowed("migrate-eksctl-demo", false, Optional.empty()));
        assertThat(eligibility.decide(migrate(MIGRATOR, PAYMENTS, DEPLOYER, null, List.of("payments-deployers"),
                "payments:{{SessionName}}")))
                .isEqualTo(new Verdict.Allowed("migrate-team-groups", false, Optional.empty()));
    }

    @Test
    void aMigrateOutsideTheMigrationRules_isDenied_withEachRulesReason() {
        assertThat(eligibility.decide(migrate(MIGRATOR, DEMO, DEPLOYER, "AmazonEKSClusterAdminPolicy", List.of(),
                null))).isInstanceOfSatisfying(Verdict.Denied.class, denied -> assertThat(denied.reason())
                .contains("rule 'migrate-eksctl-demo': principal " + DEPLOYER)
                .contains("rule 'migrate-team-groups': cluster name demo matches none of [payments-*]"));
        assertThat(eligibility.decide(migrate(MIGRATOR, PAYMENTS, DEPLOYER, null, List.of("cluster-operators"),
                null))).isInstanceOfSatisfying(Verdict.Denied.class, denied -> assertThat(denied.reason())
                .contains("Kubernetes group cluster-operators is not one of"));
    }

    @Test
    void aGrantRulesSender_cannotMigrate_andAMigrationRule_allowsNoGrant() {
        assertThat(eligibility.decide(migrate(PAYMENTS_CI, DEMO, PAYMENTS_CI, null, List.of(), null)))
                .isEqualTo(new Verdict.Denied("sender " + PAYMENTS_CI + " is named by no migration rule "
                        + "(\"migration\": true); grant rules never allow a migrate"));
        AccessQuestion adminGrant = new AccessQuestion(MIGRATOR, AccessQuestion.Kind.GRANT, DEMO, PLATFORM_ADMIN,
                "AmazonEKSClusterAdminPolicy", true, List.of(), List.of(), null, Duration.ofHours(1));
        assertThat(eligibility.decide(adminGrant)).isInstanceOfSatisfying(Verdict.Denied.class, denied ->
                assertThat(denied.reason()).contains("rule 'platform-view': principal " + PLATFORM_ADMIN)
                        .doesNotContain("migrate-eksctl-demo"));
    }

    private static final String MIGRATION_RULE = "\"id\":\"m\",\"senders\":[\"" + MIGRATOR + "\"],"
            + "\"clusters\":{\"names\":[\"*\"]},\"migration\":true";

    @Test
    void aMigrationRule_hasNoScopesDurationApprovalOrBreakGlass_andOnlyThePlannersPolicy() {
        assertThatThrownBy(() -> EligibilityDocument.parse(EligibilityDocumentTest.oneRule(MIGRATION_RULE
                + ",\"principals\":{\"arns\":[\"" + PLATFORM_ADMIN + "\"]},\"scopes\":{\"cluster\":true},"
                + "\"maxDuration\":\"PT1H\",\"breakGlass\":true,\"policies\":[\"AmazonEKSEditPolicy\"]")))
                .isInstanceOfSatisfying(EligibilityDocumentException.class, e -> assertThat(e.getMessage())
                        .contains("$.rules[0].scopes: a migration rule has no scopes")
                        .contains("$.rules[0].maxDuration: a migration rule has no maxDuration")
                        .contains("$.rules[0].breakGlass: a migration rule has no breakGlass")
                        .contains("$.rules[0].policies: 'AmazonEKSEditPolicy' is not a policy a migration produces"));
    }

    @Test
    void aMigrationRuleGivingClusterAdmin_namesItsPrincipalsByExactArn() {
        assertThatThrownBy(() -> EligibilityDocument.parse(EligibilityDocumentTest.oneRule(MIGRATION_RULE
                + ",\"principals\":{\"patterns\":[\"arn:aws:iam::111122223333:role/*\"]},"
                + "\"policies\":[\"AmazonEKSClusterAdminPolicy\"]")))
                .isInstanceOfSatisfying(EligibilityDocumentException.class, e -> assertThat(e.getMessage())
                        .contains("$.rules[0].principals: a migration rule that allows AmazonEKSClusterAdminPolicy "
                                + "names its principals by exact ARN"));
        assertThat(EligibilityDocument.parse(EligibilityDocumentTest.oneRule(MIGRATION_RULE
                + ",\"principals\":{\"patterns\":[\"arn:aws:iam::111122223333:role/*\"]}")).rules().get(0).policies())
                .isEmpty();
    }

    @Test
    void aGrantRule_stillNeedsPoliciesAndScopes() {
        assertThatThrownBy(() -> EligibilityDocument.parse(EligibilityDocumentTest.oneRule("\"id\":\"g\","
                + "\"senders\":[\"" + MIGRATOR + "\"],\"clusters\":{\"names\":[\"*\"]},\"principals\":{\"self\":true}")))
                .isInstanceOfSatisfying(EligibilityDocumentException.class, e -> assertThat(e.getMessage())
                        .contains("$.rules[0].policies").contains("$.rules[0].scopes"));
    }
}
