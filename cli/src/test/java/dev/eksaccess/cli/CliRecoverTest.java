package dev.eksaccess.cli;

import static dev.eksaccess.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code eks-access recover}: the contract-v1 recover message, checked by the grant processor's parser. */
class CliRecoverTest {

    static final String CLUSTER_ARN = CliDryRunTest.CLUSTER_ARN;
    static final String RECOVERY = "arn:aws:iam::111122223333:role/platform/recovery";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void recover_printsClusterAdminAtClusterScope_untilItsExpiry() throws Exception {
        CliHarness.Run result = run("recover", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", RECOVERY,
                "--duration", "PT1H", "--reason", "INC-4711", "--request-id", "rec-1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(json.readTree(result.out())).isEqualTo(json.readTree("""
                {"action":"recover","clusterArn":"%s","principalArn":"%s",
                 "accessPolicy":"AmazonEKSClusterAdminPolicy","accessScope":{"type":"cluster"},
                 "expiresAt":"2026-11-28T11:00:00Z","requestId":"rec-1","requestedAt":"2026-11-28T10:00:00Z",
                 "requestedBy":"alice","reason":"INC-4711"}""".formatted(CLUSTER_ARN, RECOVERY)));
    }

    @Test
    void recoverWithoutDuration_isRefused_namingTheFlag() {
        CliHarness.Run result = run("recover", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", RECOVERY);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
        assertThat(result.err()).contains("--duration (duration): is required for recover");
        assertThat(result.out()).isEmpty();
    }
}
