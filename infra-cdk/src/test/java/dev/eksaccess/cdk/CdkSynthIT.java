package dev.eksaccess.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.contract.DeploymentSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code npx cdk synth} through the real CDK CLI, cdk.json and cdk-app.sh, as a deployer runs it: after
 * {@code ./mvnw package} (this runs in the integration-test phase, so the functions' jar and the app's class path
 * exist), without AWS credentials.
 */
class CdkSynthIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    @Test
    void cdkSynth_producesTheHubAndSpokeTemplatesFromCommandLineContext() throws Exception {
        Path out = MODULE.resolve("target/cdk-it.out");
        Result result = cdk("synth", "-q", "-o", out.toString(),
                "-c", "adminPrincipals=arn:aws:iam::111122223333:role/platform/Admin=AmazonEKSClusterAdminPolicy",
                "-c", "allowAuthModeSwitch=true",
                "-c", "crossAccountRoleName=eks-access/HubAccess",
                "-c", "crossAccountExternalId=eks-access-hub-111122223333",
                "-c", "hubAccount=111122223333",
                "-c", "hubRoleArn=arn:aws:iam::111122223333:role/EksAccess-GrantProcessorRole",
                "-c", "eligibility=" + TestApps.ELIGIBILITY);

        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode hub = new ObjectMapper().readTree(out.resolve(EksAccessApp.HUB_STACK + ".template.json").toFile());
        assertThat(hub.findValuesAsText("Handler")).containsExactlyInAnyOrder(EksAccessStack.CLUSTER_CREATED_HANDLER,
                EksAccessStack.GRANT_REQUEST_HANDLER, EksAccessStack.EXPIRY_SWEEP_HANDLER,
                EksAccessStack.ACCESS_CHANGE_HANDLER, EksAccessStack.RECONCILER_HANDLER, EksAccessStack.ADOPTION_HANDLER);
        // Admin principals are in the deployment settings file, not in the template's environment variables.
        assertThat(hub.toString()).doesNotContain("arn:aws:iam::111122223333:role/platform/Admin");
        assertThat(out.resolve(EksAccessApp.SPOKE_STACK + ".template.json")).exists();
        assertThat(hub.findValue("Resources").findValues("Type")).extracting(JsonNode::asText)
                .filteredOn(type -> type.equals("AWS::Lambda::LayerVersion")).hasSize(2);
        // The layer's staged asset holds the document exactly as validated, where ELIGIBILITY_FILE expects it.
        try (var files = Files.list(out)) {
            assertThat(files.filter(dir -> dir.getFileName().toString().startsWith("asset."))
                    .map(dir -> dir.resolve(EligibilityFile.FILE_IN_LAYER)).filter(Files::isRegularFile)
                    .map(CdkSynthIT::text)).containsExactly(text(MODULE.resolve(TestApps.ELIGIBILITY)));
        }
        // And the deployment settings file holds the admin principal, as the functions' parser reads it.
        try (var files = Files.list(out)) {
            assertThat(files.filter(dir -> dir.getFileName().toString().startsWith("asset."))
                    .map(dir -> dir.resolve(DeploymentSettings.FILE_IN_LAYER)).filter(Files::isRegularFile)
                    .map(file -> DeploymentSettings.parse(text(file)).adminPrincipals()))
                    .containsExactly(List.of(new DeploymentSettings.Admin("arn:aws:iam::111122223333:role/platform/Admin",
                            "AmazonEKSClusterAdminPolicy")));
        }
        // The functions' real jar was staged as the asset, not a stand-in.
        try (var files = Files.list(out)) {
            assertThat(files.filter(file -> file.getFileName().toString().startsWith("asset."))
                    .mapToLong(CdkSynthIT::size).max().orElse(0)).isGreaterThan(1_000_000L);
        }
    }

    @Test
    void cdkSynth_failsWithTheContextKeyWhenConfigurationIsInvalid() throws Exception {
        Result result = cdk("synth", "-q", "-o", MODULE.resolve("target/cdk-it-invalid.out").toString(),
                "-c", "adminPrincipals=arn:aws:sts::111122223333:assumed-role/Admin/jane",
                "-c", "eligibility=no-such-eligibility.json");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("context eligibility: 'no-such-eligibility.json' is not a file");
        assertThat(result.output()).contains("context adminPrincipals[0]: 'arn:aws:sts::111122223333:assumed-role/Admin/jane'"
                + " is an STS assumed-role session ARN; send the IAM role ARN with its path instead")
                .doesNotContain("at dev.eksaccess");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result cdk(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("npx", "--no-install", "cdk"));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile("cdk-synth", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(MODULE.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // The app needs Java 21+; the default `java` on the PATH may be older, this JVM is not.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("CDK_OUTDIR");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("cdk synth did not finish within 5 minutes; output:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.isDirectory(file) ? 0 : Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
