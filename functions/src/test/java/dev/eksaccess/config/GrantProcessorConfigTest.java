package dev.eksaccess.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.eligibility.EligibilityRule;
import dev.eksaccess.engine.AdminGrant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrantProcessorConfigTest {

    /** The documented example, which the functions module's tests read from the repository's events/. */
    private static final Path EXAMPLE_DOCUMENT = Path.of("..", "events", "eligibility", "example.json");

    private final Map<String, String> env = new HashMap<>(Map.of(
            "LEDGER_TABLE", "ledger",
            "REGISTRY_TABLE", "registry",
            "GRANT_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/111122223333/grant-queue"));

    @Test
    void defaults_applyWhenOnlyTheRequiredSettingsAreGiven() {
        GrantProcessorConfig config = GrantProcessorConfig.from(new Environment(env));

        assertThat(config.homeAccountId()).isEqualTo("111122223333");
        assertThat(config.allowedPolicies()).isEqualTo(AccessPolicies.DEFAULT_ALLOWED);
        assertThat(config.maxGrantDuration()).isEqualTo(Duration.ofDays(7));
        assertThat(config.admins()).isEmpty();
        assertThat(config.crossAccountRoleName()).isEmpty();
        assertThat(config.creatorAdmin()).isFalse();
        assertThat(config.allowAuthModeSwitch()).isFalse();
        assertThat(config.driftRestoreWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(config.internalSenders().driftFunctionRoleArn()).isEmpty();
    }

    @Test
    void everySetting_isRead() {
        env.putAll(Map.of("DEPLOYMENT_FILE", DeploymentFiles.write("""
                        {"version": 1,
                         "adminPrincipals": [{"principalArn": "arn:aws:iam::111122223333:role/admin",
                                              "policy": "AmazonEKSClusterAdminPolicy"}],
                         "allowedPolicies": ["AmazonEKSViewPolicy",
                                             "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"],
                         "memberAccounts": ["222233334444"], "driftRestoreWindow": "PT30M"}"""),
                "DRIFT_FUNCTION_ROLE_ARN", "arn:aws:iam::111122223333:role/eks-access/access-changes",
                "CREATOR_ADMIN", "true", "ALLOW_AUTH_MODE_SWITCH", "TRUE",
                "CROSS_ACCOUNT_ROLE_NAME", "platform/eks-access",
                "MAX_GRANT_DURATION", "PT12H"));

        GrantProcessorConfig config = GrantProcessorConfig.from(new Environment(env));

        assertThat(config.admins()).extracting(AdminGrant::principalArn)
                .containsExactly("arn:aws:iam::111122223333:role/admin");
        assertThat(config.creatorAdmin()).isTrue();
        assertThat(config.allowAuthModeSwitch()).isTrue();
        assertThat(config.crossAccountRoleName()).contains("platform/eks-access");
        assertThat(config.allowedPolicies()).containsExactly("AmazonEKSViewPolicy", "AmazonEKSEditPolicy");
        assertThat(config.crossAccount().memberAccounts()).containsExactly("222233334444");
        assertThat(config.requestRules("eu-west-1").maxGrantDuration()).isEqualTo(Duration.ofHours(12));
        assertThat(config.driftRestoreWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.internalSenders().driftFunctionRoleArn())
                .contains("arn:aws:iam::111122223333:role/eks-access/access-changes");
    }

    @Test
    void missingOrMalformedValues_stopStartUpNamingTheVariable() {
        env.remove("LEDGER_TABLE");
        assertThatThrownBy(() -> GrantProcessorConfig.from(new Environment(env)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("LEDGER_TABLE is not set");
        env.put("LEDGER_TABLE", "ledger");

        env.put("GRANT_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/grant-queue");
        assertThatThrownBy(() -> GrantProcessorConfig.from(new Environment(env))).hasMessageStartingWith("GRANT_QUEUE_URL");
        env.put("GRANT_QUEUE_URL", "http://localhost:9324/000000000000/q");


        env.put("MAX_GRANT_DURATION", "7 days");
        assertThatThrownBy(() -> GrantProcessorConfig.from(new Environment(env))).hasMessageStartingWith("MAX_GRANT_DURATION");
        env.remove("MAX_GRANT_DURATION");

        env.put("CROSS_ACCOUNT_ROLE_NAME", "arn:aws:iam::1:role/x");
        assertThatThrownBy(() -> GrantProcessorConfig.from(new Environment(env)))
                .hasMessageStartingWith("CROSS_ACCOUNT_ROLE_NAME");
    }

    @Test
    void queueUrlAndRoleName_areRefusedByBothFunctionsAlike() {
        Map<String, String> creation = new HashMap<>(Map.of("REGISTRY_TABLE", "registry"));
        for (Map.Entry<String, String> bad : Map.of(
                "GRANT_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/grant-queue",
                "CROSS_ACCOUNT_ROLE_NAME", "/platform/eks-access").entrySet()) {
            Map<String, String> processorEnv = new HashMap<>(env);
            processorEnv.put(bad.getKey(), bad.getValue());
            Map<String, String> creationEnv = new HashMap<>(creation);
            creationEnv.put("GRANT_QUEUE_URL", env.get("GRANT_QUEUE_URL"));
            creationEnv.put(bad.getKey(), bad.getValue());

            String processor = catchThrowableOfType(ConfigException.class,
                    () -> GrantProcessorConfig.from(new Environment(processorEnv))).getMessage();
            String clusterCreation = catchThrowableOfType(ConfigException.class,
                    () -> ClusterCreationConfig.from(new Environment(creationEnv))).getMessage();

            assertThat(processor).startsWith(bad.getKey() + " has an invalid value '" + bad.getValue() + "'")
                    .isEqualTo(clusterCreation);
        }
    }

    @Test
    void eligibilityFile_isReadWithTheSharedParser() {
        env.put("ELIGIBILITY_FILE", EXAMPLE_DOCUMENT.toString());

        GrantProcessorConfig config = GrantProcessorConfig.from(new Environment(env));

        assertThat(config.eligibility()).hasValueSatisfying(document -> assertThat(document.rules())
                .extracting(EligibilityRule::id)
                .containsExactly("payments-self-service", "sre-admin-with-approval", "break-glass"));
    }

    @Test
    void noEligibilityFile_meansNoDocument() {
        assertThat(GrantProcessorConfig.from(new Environment(env)).eligibility()).isEmpty();
    }

    @Test
    void eligibilityFileWithProblems_stopsStartUpNamingTheVariableTheFileAndEveryProblem(@TempDir Path temp)
            throws IOException {
        // Cluster admin without approval, and a field the format does not know: two problems, both reported.
        Path file = temp.resolve("eligibility.json");
        Files.writeString(file, Files.readString(EXAMPLE_DOCUMENT)
                .replace("\"approval\": {", "\"approvalx\": {"));
        env.put("ELIGIBILITY_FILE", file.toString());

        assertThatThrownBy(() -> GrantProcessorConfig.from(new Environment(env)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ELIGIBILITY_FILE names " + file + ", an eligibility document with 2 problems")
                .hasMessageContaining("$.rules[1]: grants AmazonEKSClusterAdminPolicy without approval")
                .hasMessageContaining("$.rules[1].approvalx: unknown field");
    }

    @Test
    void missingEligibilityFile_stopsStartUpNamingTheVariableAndTheFile(@TempDir Path temp) {
        Path missing = temp.resolve("nowhere.json");
        env.put("ELIGIBILITY_FILE", missing.toString());

        assertThatThrownBy(() -> GrantProcessorConfig.from(new Environment(env)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ELIGIBILITY_FILE has an invalid value '" + missing + "': the file cannot be read")
                .hasMessageContaining("NoSuchFileException");
    }
}
