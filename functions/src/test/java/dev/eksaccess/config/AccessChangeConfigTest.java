package dev.eksaccess.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the access-change function reads its restore settings (docs/drift.md, "Repair"). */
class AccessChangeConfigTest {

    private static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/111122223333/eks-access-grants";
    private static final String RESTORE_RULE = """
            {"version": 1, "rules": [{"id": "payments-restore", "description": "payments CI",
              "senders": ["arn:aws:iam::111122223333:role/teams/payments-ci"],
              "clusters": {"names": ["payments-*"]},
              "principals": {"patterns": ["arn:aws:iam::111122223333:role/teams/payments-*"]},
              "policies": ["AmazonEKSViewPolicy"], "scopes": {"namespaces": ["payments"]},
              "maxDuration": "PT12H", "drift": "restore"}]}""";

    private static Map<String, String> base() {
        Map<String, String> variables = new HashMap<>();
        variables.put("LEDGER_TABLE", "ledger");
        variables.put("REGISTRY_TABLE", "registry");
        variables.put("GRANT_PROCESSOR_ROLE_ARN", "arn:aws:iam::111122223333:role/eks-access/grant-processor");
        return variables;
    }

    @Test
    void withTheGrantQueue_restoresGoThere_withTheRulesAndTheDeploymentsRestoreClusters() {
        Map<String, String> variables = base();
        variables.put("GRANT_QUEUE_URL", QUEUE);
        variables.put("ELIGIBILITY_FILE", DeploymentFiles.write(RESTORE_RULE));
        variables.put("DEPLOYMENT_FILE", DeploymentFiles.write("""
                {"version": 1, "adminPrincipals": [], "allowedPolicies": ["AmazonEKSViewPolicy"], "memberAccounts": [],
                 "driftRestoreClusters": ["prod-*"]}"""));

        AccessChangeConfig.Restore restore = AccessChangeConfig.from(new Environment(variables)).restore().orElseThrow();

        assertThat(restore.grantQueueUrl()).isEqualTo(QUEUE);
        assertThat(restore.restoreClusters()).containsExactly("prod-*");
        assertThat(restore.eligibility().orElseThrow().rule("payments-restore")).isPresent();
    }

    @Test
    void withoutTheGrantQueue_andNothingAskingForRestores_theFunctionOnlyReports() {
        assertThat(AccessChangeConfig.from(new Environment(base())).restore()).isEmpty();
    }

    @Test
    void withoutTheGrantQueue_aRuleAskingForRestores_stopsTheStart_namingTheRule() {
        Map<String, String> variables = base();
        variables.put("ELIGIBILITY_FILE", DeploymentFiles.write(RESTORE_RULE));

        assertThatThrownBy(() -> AccessChangeConfig.from(new Environment(variables)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("GRANT_QUEUE_URL is not set, but eligibility rule 'payments-restore' asks for "
                        + "drift: restore; restores go to the grant queue, expected ");
    }

    @Test
    void withoutTheGrantQueue_restoreClusters_stopTheStart() {
        Map<String, String> variables = base();
        variables.put("DEPLOYMENT_FILE", DeploymentFiles.write("""
                {"version": 1, "adminPrincipals": [], "allowedPolicies": ["AmazonEKSViewPolicy"], "memberAccounts": [],
                 "driftRestoreClusters": ["prod-*"]}"""));

        assertThatThrownBy(() -> AccessChangeConfig.from(new Environment(variables)))
                .hasMessageStartingWith("GRANT_QUEUE_URL is not set, but the deployment file's driftRestoreClusters "
                        + "asks for drift: restore");
    }

    @Test
    void aMalformedGrantQueueUrl_isNamed() {
        Map<String, String> variables = base();
        variables.put("GRANT_QUEUE_URL", "not a url");

        assertThatThrownBy(() -> AccessChangeConfig.from(new Environment(variables)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GRANT_QUEUE_URL");
    }
}
