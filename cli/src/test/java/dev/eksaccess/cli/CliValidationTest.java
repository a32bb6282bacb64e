package dev.eksaccess.cli;

import static dev.eksaccess.cli.CliDryRunTest.CLUSTER_ARN;
import static dev.eksaccess.cli.CliDryRunTest.DEV;
import static dev.eksaccess.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests the grant processor would reject are refused before sending, with its own reasons, every problem listed,
 * each with the flag to fix, exit code 3, and nothing on stdout.
 */
class CliValidationTest {

    /** A valid grant's flags, with {@code extra} added or replacing the defaults. */
    private static CliHarness.Run grant(String... extra) {
        List<String> given = List.of(extra);
        List<String> args = new ArrayList<>(List.of("grant", "--dry-run"));
        Map.of("--cluster", CLUSTER_ARN, "--principal", DEV, "--policy", "AmazonEKSViewPolicy").forEach((flag, value) -> {
            if (!given.contains(flag)) {
                args.addAll(List.of(flag, value));
            }
        });
        args.addAll(given);
        return run(args.toArray(String[]::new));
    }

    private static void assertRejected(CliHarness.Run result) {
        assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("eks-access: the ").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void systemGroup_isRefused() {
        CliHarness.Run result = grant("--group", "system:masters");

        assertRejected(result);
        assertThat(result.err()).contains("--group (kubernetesGroups): 'system:masters': groups starting with "
                + "system: are reserved");
    }

    @Test
    void stsSessionArn_isRefusedWithTheHintToSendTheRoleArnWithItsPath() {
        CliHarness.Run result = grant("--principal",
                "arn:aws:sts::111122223333:assumed-role/payments-dev/alice@example.com");

        assertRejected(result);
        assertThat(result.err()).contains("--principal (principalArn): is an STS assumed-role session ARN; send "
                + "the IAM role ARN with its path instead")
                .contains("aws iam get-role --role-name payments-dev");
    }

    @Test
    void policyOutsideTheAllowedSet_isRefused_andTheAllowedSetCanBeOverridden() {
        CliHarness.Run unknown = grant("--policy", "AmazonEKSSuperPolicy");
        CliHarness.Run notAllowed = grant("--policy", "AmazonEKSClusterAdminPolicy",
                "--allowed-policies", "AmazonEKSViewPolicy,AmazonEKSEditPolicy");

        assertRejected(unknown);
        assertThat(unknown.err()).contains("--policy (accessPolicy): 'AmazonEKSSuperPolicy' is not allowed; "
                + "allowed: AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy, AmazonEKSEditPolicy, "
                + "AmazonEKSViewPolicy, AmazonEKSAdminViewPolicy");
        assertRejected(notAllowed);
        assertThat(notAllowed.err()).contains("'AmazonEKSClusterAdminPolicy' is not allowed; allowed: "
                + "AmazonEKSViewPolicy, AmazonEKSEditPolicy");
    }

    @Test
    void grantWithoutPolicy_isRefused() {
        CliHarness.Run result = run("grant", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV);

        assertRejected(result);
        assertThat(result.err()).contains("--policy (accessPolicy): is required for grant");
    }

    @Test
    void invalidNamespace_isRefused() {
        CliHarness.Run result = grant("--namespace", "Payments_Prod");

        assertRejected(result);
        assertThat(result.err()).contains("--namespace (accessScope.namespaces): 'Payments_Prod' is not a "
                + "DNS-1123 label");
    }

    @Test
    void durationBeyondTheMaximum_isRefused_andTheMaximumCanBeOverridden() {
        CliHarness.Run tooLong = grant("--duration", "P8D");
        CliHarness.Run beyondOverride = grant("--duration", "PT13H", "--max-grant-duration", "PT12H");

        assertRejected(tooLong);
        assertThat(tooLong.err()).contains("--duration (duration): the expiry 2026-12-06T10:00:00Z is further away "
                + "than the maximum grant duration PT168H");
        assertRejected(beyondOverride);
        assertThat(beyondOverride.err()).contains("maximum grant duration PT12H");
    }

    @Test
    void expiryInThePast_isRefused() {
        CliHarness.Run result = grant("--expires-at", "2026-11-28T09:59:59Z");

        assertRejected(result);
        assertThat(result.err()).contains("--expires-at (expiresAt): the expiry 2026-11-28T09:59:59Z is in the past");
    }

    @Test
    void malformedValues_areRefusedByTheParserWithTheirFlag() {
        CliHarness.Run result = grant("--duration", "8 hours", "--cluster", "arn:aws:eks:eu-west-1:1:cluster/x");

        assertRejected(result);
        assertThat(result.err())
                .contains("--duration (duration): '8 hours' is not an ISO-8601 duration")
                .contains("--cluster (clusterArn): 'arn:aws:eks:eu-west-1:1:cluster/x' is not an EKS cluster ARN");
    }

    @Test
    void everyProblem_isListedAtOnce() {
        CliHarness.Run result = grant("--principal", "arn:aws:sts::111122223333:assumed-role/dev/alice",
                "--policy", "AmazonEKSSuperPolicy", "--namespace", "Bad!", "--group", "system:nodes",
                "--username", "eks:me", "--duration", "PT1H", "--expires-at", "2026-11-28T11:00:00Z");

        assertRejected(result);
        assertThat(result.err()).startsWith("eks-access: the grant request is invalid (6 problems):\n");
        assertThat(result.err().lines().skip(1)).hasSize(6).allMatch(line -> line.startsWith("  --"));
        assertThat(result.err()).contains("--principal", "--policy", "--namespace", "--group", "--username",
                "--duration (duration): give expiresAt or duration, not both");
    }
}
