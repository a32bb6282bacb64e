package dev.eksaccess.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.engine.AdminGrant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterCreationConfigTest {

    private static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/111122223333/eks-access-grants";

    private static Map<String, String> minimal() {
        Map<String, String> variables = new HashMap<>();
        variables.put("REGISTRY_TABLE", "eks-access-registry");
        variables.put("GRANT_QUEUE_URL", QUEUE);
        return variables;
    }

    private static ClusterCreationConfig read(Map<String, String> variables) {
        return ClusterCreationConfig.from(new Environment(variables));
    }

    @Test
    void minimalEnvironment_givesTheSafeDefaults() {
        ClusterCreationConfig config = read(minimal());

        assertThat(config).isEqualTo(new ClusterCreationConfig("eks-access-registry", QUEUE, List.of(), false, false,
                Optional.empty()));
    }

    @Test
    void everySetting_isRead() {
        Map<String, String> variables = minimal();
        variables.put("DEPLOYMENT_FILE", DeploymentFiles.withAdmins("arn:aws:iam::111122223333:role/platform/EksAdmin, "
                + "arn:aws:iam::111122223333:role/Auditor=AmazonEKSAdminViewPolicy"));
        variables.put("CREATOR_ADMIN", "TRUE");
        variables.put("ALLOW_AUTH_MODE_SWITCH", "true");
        variables.put("CROSS_ACCOUNT_ROLE_NAME", "platform/eks-access-bootstrap");

        ClusterCreationConfig config = read(variables);

        assertThat(config.adminGrants()).containsExactly(
                new AdminGrant("arn:aws:iam::111122223333:role/platform/EksAdmin", "AmazonEKSClusterAdminPolicy"),
                new AdminGrant("arn:aws:iam::111122223333:role/Auditor", "AmazonEKSAdminViewPolicy"));
        assertThat(config.adminPrincipalArns()).containsExactly("arn:aws:iam::111122223333:role/platform/EksAdmin",
                "arn:aws:iam::111122223333:role/Auditor");
        assertThat(config.creatorAdmin()).isTrue();
        assertThat(config.allowAuthModeSwitch()).isTrue();
        assertThat(config.crossAccountRoleName()).contains("platform/eks-access-bootstrap");
    }

    @Test
    void missingTable_namesTheVariable() {
        Map<String, String> variables = minimal();
        variables.remove("REGISTRY_TABLE");

        assertThatThrownBy(() -> read(variables)).isInstanceOf(ConfigException.class)
                .hasMessage("REGISTRY_TABLE is not set; expected name of the DynamoDB cluster registry table");
    }

    @Test
    void malformedTable_namesTheVariable() {
        Map<String, String> variables = minimal();
        variables.put("REGISTRY_TABLE", "registry table");

        assertThatThrownBy(() -> read(variables)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("REGISTRY_TABLE has an invalid value 'registry table'");
    }

    @Test
    void missingQueueUrl_namesTheVariable() {
        Map<String, String> variables = minimal();
        variables.remove("GRANT_QUEUE_URL");

        assertThatThrownBy(() -> read(variables)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("GRANT_QUEUE_URL is not set");
    }

    @Test
    void queueNameInsteadOfUrl_namesTheVariable() {
        Map<String, String> variables = minimal();
        variables.put("GRANT_QUEUE_URL", "eks-access-grants");

        assertThatThrownBy(() -> read(variables)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("GRANT_QUEUE_URL has an invalid value 'eks-access-grants'")
                .hasMessageContaining("not an http(s) queue URL");
    }

    @Test
    void malformedFlag_namesTheVariable() {
        Map<String, String> variables = minimal();
        variables.put("ALLOW_AUTH_MODE_SWITCH", "yes");

        assertThatThrownBy(() -> read(variables)).isInstanceOf(ConfigException.class)
                .hasMessage("ALLOW_AUTH_MODE_SWITCH has an invalid value 'yes'; expected true or false (default false)");
    }

    @Test
    void roleArnInsteadOfRoleName_namesTheVariable() {
        Map<String, String> variables = minimal();
        variables.put("CROSS_ACCOUNT_ROLE_NAME", "arn:aws:iam::444455556666:role/eks-access");

        assertThatThrownBy(() -> read(variables)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CROSS_ACCOUNT_ROLE_NAME has an invalid value 'arn:aws:iam::444455556666:role/eks-access'");
    }

    @Test
    void stsSessionAsAdmin_inTheDeploymentFile_namesTheVariableTheFileAndThePath() {
        Map<String, String> variables = minimal();
        String file = DeploymentFiles.write("""
                {"version": 1, "adminPrincipals": [{"principalArn":
                  "arn:aws:sts::111122223333:assumed-role/EksAdmin/jane", "policy": "AmazonEKSClusterAdminPolicy"}],
                 "allowedPolicies": ["AmazonEKSViewPolicy"], "memberAccounts": []}""");
        variables.put("DEPLOYMENT_FILE", file);

        assertThatThrownBy(() -> read(variables)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DEPLOYMENT_FILE names " + file + ", a deployment settings file with 1 problem: "
                        + "$.adminPrincipals[0].principalArn: 'arn:aws:sts::111122223333:assumed-role/EksAdmin/jane'"
                        + " is not an IAM role or user ARN that EKS accepts");
    }

    @Test
    void unreadableDeploymentFile_namesTheVariableAndTheFile() {
        Map<String, String> variables = minimal();
        variables.put("DEPLOYMENT_FILE", "/nowhere/deployment.json");

        assertThatThrownBy(() -> read(variables)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DEPLOYMENT_FILE has an invalid value '/nowhere/deployment.json': the file"
                        + " cannot be read")
                .hasMessageContaining("NoSuchFileException");
    }
}
