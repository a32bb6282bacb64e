package dev.eksaccess.cli;

import static dev.eksaccess.cli.CliDryRunTest.CLUSTER_ARN;
import static dev.eksaccess.cli.CliDryRunTest.DEV;
import static dev.eksaccess.cli.CliDryRunTest.QUEUE;
import static dev.eksaccess.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command lines that cannot become a request exit with 2 (picocli's usage code); failed sends with 4. */
class CliUsageTest {

    private static void assertUsageError(CliHarness.Run result, String message) {
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains(message).doesNotContain("\tat ");
    }

    @Test
    void noSubcommand_isAUsageError() {
        assertUsageError(run(), "Missing required subcommand");
    }

    @Test
    void usageErrors_areShort_andPointAtTheHelp() {
        CliHarness.Run result = run("grant", "--cluster", CLUSTER_ARN, "--principal", DEV);

        assertThat(result.err()).isEqualTo("eks-access: no grant queue: give --queue-url or set EKS_ACCESS_QUEUE_URL "
                + "(or --dry-run to only print the request)\nTry 'eks-access grant --help' for more information.\n");
    }

    @Test
    void unknownFlag_andMissingClusterOrPrincipal_areUsageErrors() {
        assertUsageError(run("grant", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV, "--colour", "red"),
                "Unknown options: '--colour', 'red'");
        assertUsageError(run("grant", "--dry-run", "--principal", DEV), "Missing required option: '--cluster");
        assertUsageError(run("revoke", "--dry-run", "--cluster", CLUSTER_ARN, "--policy", "AmazonEKSViewPolicy"),
                "Missing required option: '--principal");
    }

    @Test
    void revoke_needsAPolicyOrAnExplicitAllPolicies_notBoth() {
        assertUsageError(run("revoke", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV),
                "Missing required argument");
        assertUsageError(run("revoke", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--policy", "AmazonEKSViewPolicy", "--all-policies"), "mutually exclusive");
    }

    @Test
    void grantOnlyFlags_areUnknownToRevoke() {
        assertUsageError(run("revoke", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--all-policies", "--namespace", "payments"), "Unknown options: '--namespace'");
    }

    @Test
    void sendingWithoutAQueue_isAUsageError() {
        assertUsageError(run("grant", "--cluster", CLUSTER_ARN, "--principal", DEV, "--policy", "AmazonEKSViewPolicy"),
                "no grant queue: give --queue-url or set EKS_ACCESS_QUEUE_URL");
    }

    @Test
    void clusterNameWithoutAQueue_cannotBeResolved_evenForADryRun() {
        assertUsageError(run("grant", "--dry-run", "--cluster", "payments-prod", "--principal", DEV,
                "--policy", "AmazonEKSViewPolicy"), "--cluster payments-prod is a name");
    }

    @Test
    void malformedQueueUrl_regionMismatch_andBadSettings_areUsageErrors() {
        assertUsageError(run("grant", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV, "--policy",
                "AmazonEKSViewPolicy", "--queue-url", "https://sqs.eu-west-1.amazonaws.com/grants"),
                "--queue-url: 'https://sqs.eu-west-1.amazonaws.com/grants': the path must be /ACCOUNT/QUEUE");
        assertUsageError(run("grant", "--dry-run", "--cluster", "payments-prod", "--principal", DEV, "--policy",
                "AmazonEKSViewPolicy", "--queue-url", QUEUE, "--region", "us-east-1"),
                "--region us-east-1 does not match the queue URL's region eu-west-1");
        assertUsageError(run("grant", "--cluster", CLUSTER_ARN, "--principal", DEV, "--policy",
                "AmazonEKSViewPolicy", "--queue-url", QUEUE, "--endpoint-url", "localhost:4566"),
                "--endpoint-url: 'localhost:4566' is not an http(s) URL");
        assertUsageError(run("grant", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV, "--policy",
                "AmazonEKSViewPolicy", "--allowed-policies", "ViewPolicy!"),
                "--allowed-policies: 'ViewPolicy!' is not an EKS access policy name or ARN");
        assertUsageError(run("grant", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV, "--policy",
                "AmazonEKSViewPolicy", "--max-grant-duration", "a week"), "--max-grant-duration");
    }

    @Test
    void badEnvironmentDefault_isReportedLikeTheFlag() {
        CliContext context = CliHarness.sending(CliHarness.CLOCK,
                Map.of(CliContext.MAX_GRANT_DURATION_VARIABLE, "-PT1H"), CliHarness.NO_SQS);

        assertUsageError(CliHarness.run(context, "grant", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--policy", "AmazonEKSViewPolicy"), "--max-grant-duration must be positive, was PT-1H");
    }

    @Test
    void failedSend_exitsWith4AndSaysWhy() {
        SqsConnector unreachable = (region, endpoint) -> {
            throw CliHarness.noCredentials();
        };
        CliContext context = CliHarness.sending(CliHarness.CLOCK, Map.of(), unreachable);

        CliHarness.Run result = CliHarness.run(context, "grant", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--policy", "AmazonEKSViewPolicy", "--queue-url", QUEUE);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("eks-access: could not send the request to " + QUEUE
                + ": Unable to load credentials from any of the providers in the chain\n");
    }

    @Test
    void help_listsTheFlagsAndExitCodes() {
        CliHarness.Run result = run("grant", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("--cluster=NAME|ARN", "--namespace=NAMESPACE", "--dry-run",
                "3 invalid request");
    }
}
