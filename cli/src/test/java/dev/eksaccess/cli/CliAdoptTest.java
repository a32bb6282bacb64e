package dev.eksaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** {@code eks-access adopt}'s usage errors, before anything is invoked. */
class CliAdoptTest {

    private static final LambdaConnector NO_LAMBDA = (region, endpoint) -> {
        throw new AssertionError("this run must not invoke Lambda");
    };

    private static CliHarness.Run run(Map<String, String> environment, String... args) {
        return CliHarness.run(new CliContext(CliHarness.CLOCK, environment, CliHarness.NO_SQS, CliHarness.NO_DYNAMODB,
                CliHarness.NO_STS, ClusterConnector.NONE, NO_LAMBDA), args);
    }

    @Test
    void withoutAFunction_isAUsageError_namingTheStackOutputAndTheVariable() {
        CliHarness.Run run = run(Map.of(), "adopt", "--plan");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("adopt needs the adoption function: give --function-name (the stack output "
                + "AdoptionFunctionName) or set EKS_ACCESS_ADOPTION_FUNCTION");
    }

    @Test
    void anEndpointThatIsNotAnHttpUrl_isAUsageError() {
        CliHarness.Run run = run(Map.of("EKS_ACCESS_ADOPTION_FUNCTION", "adoption"), "adopt", "--region", "eu-west-1",
                "--lambda-endpoint-url", "localhost:9000");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("is not an http(s) URL");
    }

    @Test
    void theRegionOfAFunctionArn_isItsOwn() {
        assertThat(AdoptCommand.regionOfArn("arn:aws:lambda:eu-central-1:111122223333:function:eks-access-Adoption"))
                .contains(Region.EU_CENTRAL_1);
        assertThat(AdoptCommand.regionOfArn("eks-access-Adoption")).isEqualTo(Optional.empty());
    }
}
