package dev.eksaccess.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeploymentSettingsTest {

    private static final String ADMIN = "arn:aws:iam::111122223333:role/platform/EksAdmin";
    private static final String VIEWER = "arn:aws:iam::111122223333:user/auditor";

    @Test
    void whatSynthWrites_theFunctionsReadBack() {
        DeploymentSettings written = new DeploymentSettings(
                List.of(new DeploymentSettings.Admin(ADMIN, "AmazonEKSClusterAdminPolicy"),
                        new DeploymentSettings.Admin(VIEWER, "AmazonEKSAdminViewPolicy")),
                List.of("AmazonEKSViewPolicy", "AmazonEKSEditPolicy"), List.of("222233334444", "444455556666"),
                Optional.of("o-a1b2c3d4e5"), List.of("payments-*", "arn:aws:eks:eu-west-1:111122223333:cluster/*"),
                java.time.Duration.ofMinutes(30));

        assertThat(DeploymentSettings.parse(written.toJson())).isEqualTo(written);
        assertThat(DeploymentSettings.parse(DeploymentSettings.defaults().toJson()))
                .isEqualTo(DeploymentSettings.defaults());
    }

    @Test
    void policies_mayBeArns_andAreKeptAsShortNames() {
        DeploymentSettings settings = DeploymentSettings.parse("""
                {"version": 1,
                 "adminPrincipals": [{"principalArn": "%s",
                   "policy": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"}],
                 "allowedPolicies": ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                   "AmazonEKSViewPolicy"],
                 "memberAccounts": []}""".formatted(ADMIN));

        assertThat(settings.adminPrincipals()).containsExactly(
                new DeploymentSettings.Admin(ADMIN, "AmazonEKSAdminViewPolicy"));
        assertThat(settings.allowedPolicies()).containsExactly("AmazonEKSViewPolicy");
        assertThat(settings.memberOrganization()).isEmpty();
    }

    @Test
    void driftRestoreClusters_defaultsToNone_andEachBadPatternIsNamedWithItsPath() {
        assertThat(DeploymentSettings.parse("""
                {"version": 1, "adminPrincipals": [], "allowedPolicies": ["AmazonEKSViewPolicy"],
                 "memberAccounts": []}""").driftRestoreClusters()).isEmpty();
        assertThat(DeploymentSettings.defaults().driftRestoreWindow()).isEqualTo(java.time.Duration.ofHours(1));

        DeploymentSettings.Invalid invalid = catchThrowableOfType(DeploymentSettings.Invalid.class,
                () -> DeploymentSettings.parse("""
                        {"version": 1, "adminPrincipals": [], "allowedPolicies": ["AmazonEKSViewPolicy"],
                         "memberAccounts": [],
                         "driftRestoreClusters": ["prod-*", "prod-*", "arn:aws:iam::111122223333:role/x", "a b", 7],
                         "driftRestoreWindow": "P2D"}"""));

        assertThat(invalid.problems()).containsExactly(
                "$.driftRestoreClusters[1]: 'prod-*' is listed twice",
                "$.driftRestoreClusters[2]: 'arn:aws:iam::111122223333:role/x' is not an EKS cluster ARN pattern "
                        + "(arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME, * for any run of characters)",
                "$.driftRestoreClusters[3]: 'a b' is not a cluster name pattern (letters, digits, - and _, * for any "
                        + "run of characters, at most 100) nor a cluster ARN pattern (arn:…)",
                "$.driftRestoreClusters[4]: must be a non-empty string",
                "$.driftRestoreWindow: 'P2D' is not an ISO-8601 duration of more than zero and at most PT24H (such as "
                        + "PT1H or PT30M)");
    }

    @Test
    void everyProblem_isNamedWithItsPath() {
        DeploymentSettings.Invalid invalid = catchThrowableOfType(DeploymentSettings.Invalid.class,
                () -> DeploymentSettings.parse("""
                        {"version": 2, "extra": true,
                         "adminPrincipals": [{"principalArn": "arn:aws:sts::111122223333:assumed-role/EksAdmin/jane",
                           "policy": "AmazonEKSClusterAdminPolicy"},
                           {"principalArn": "%s", "policy": "arn:aws:iam::aws:policy/AdministratorAccess"},
                           {"principalArn": "%s", "policy": "AmazonEKSViewPolicy"},
                           {"principalArn": "%s", "policy": "AmazonEKSViewPolicy"},
                           "%s"],
                         "allowedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                         "memberAccounts": ["1234", "222233334444", "222233334444"],
                         "memberOrganization": "org-1"}""".formatted(ADMIN, VIEWER, VIEWER, ADMIN)));

        assertThat(invalid.problems()).containsExactly(
                "$.extra: unknown field",
                "$.version: must be 1, the format this code reads (found 2)",
                "$.adminPrincipals[0].principalArn: 'arn:aws:sts::111122223333:assumed-role/EksAdmin/jane' is not an"
                        + " IAM role or user ARN that EKS accepts: it "
                        + IamPrincipal.problemWith("arn:aws:sts::111122223333:assumed-role/EksAdmin/jane").orElseThrow(),
                "$.adminPrincipals[1].policy: 'arn:aws:iam::aws:policy/AdministratorAccess' is not an EKS access policy name or ARN",
                "$.adminPrincipals[3].principalArn: '" + VIEWER + "' is listed twice",
                "$.adminPrincipals[4]: must be an object {\"principalArn\", \"policy\"}",
                "$.allowedPolicies[0]: 'arn:aws:iam::aws:policy/ReadOnlyAccess' is not an EKS access policy name or ARN",
                "$.memberAccounts[0]: '1234' is not a 12-digit account id",
                "$.memberAccounts[2]: '222233334444' is listed twice",
                "$.memberOrganization: 'org-1' is not an AWS Organizations id (o-…)");
    }

    @Test
    void notJson_orNotAnObject_orMissingLists_areRefused() {
        assertThat(catchThrowableOfType(DeploymentSettings.Invalid.class, () -> DeploymentSettings.parse("{")).problems())
                .singleElement().asString().startsWith("not JSON: ");
        assertThat(catchThrowableOfType(DeploymentSettings.Invalid.class, () -> DeploymentSettings.parse("[]"))
                .problems()).containsExactly("$: must be a JSON object");
        assertThat(catchThrowableOfType(DeploymentSettings.Invalid.class,
                () -> DeploymentSettings.parse("{\"version\": 1}")).problems()).containsExactly(
                "$.adminPrincipals: must be an array", "$.allowedPolicies: must be an array",
                "$.allowedPolicies: must name at least one access policy", "$.memberAccounts: must be an array");
    }
}
