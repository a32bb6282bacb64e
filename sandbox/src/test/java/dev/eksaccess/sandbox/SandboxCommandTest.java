package dev.eksaccess.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command refuses before it starts any emulator. */
class SandboxCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void missingFile_isRefusedByNameWithoutRunningAnything() throws IOException {
        Path good = Files.writeString(dir.resolve("grant.json"), "{\"action\":\"grant\"}");
        Path missing = dir.resolve("no-such-request.json");

        int status = run(good.toString(), missing.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("cannot play " + missing + " does not exist");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void directory_isRefusedWithAHint() {
        int status = run(dir.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains(dir + " is a directory; give the files in it instead");
    }

    @Test
    void unreadableFile_isRefused() throws IOException {
        Path locked = Files.writeString(dir.resolve("locked.json"), "{}");
        assumeTrue(locked.toFile().setReadable(false) && !Files.isReadable(locked),
                "every file is readable to this user (root), so a permission refusal cannot be provoked");

        int status = run(locked.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains(locked + " is not readable (permission denied)");
    }

    @Test
    void bytesThatAreNotUtf8_areRefusedBecauseSqsBodiesAreText() throws IOException {
        Path binary = Files.write(dir.resolve("blob.bin"), new byte[] {(byte) 0xC3, (byte) 0x28, 0x41});

        int status = run(binary.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains(binary + " is not UTF-8 text");
    }

    @Test
    void emptyFile_isRefusedBecauseSqsRefusesAnEmptyBody() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.json"), "");

        int status = run(empty.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains(empty + " is empty; SQS refuses an empty message body");
    }

    @Test
    void awsAuthConfigMapThatNamesNoCluster_isRefusedNamingTheAnnotation() throws IOException {
        Path awsAuth = Files.writeString(dir.resolve("aws-auth.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n    []\n");

        int status = run(awsAuth.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains(awsAuth + " is an aws-auth ConfigMap that names no cluster: add the annotation "
                + "metadata.annotations.eks-access.dev/cluster: CLUSTER_NAME");
    }

    @Test
    void awsAuthConfigMapWhoseDataIsNotText_isRefused() throws IOException {
        Path awsAuth = Files.writeString(dir.resolve("aws-auth.yaml"), "kind: ConfigMap\nmetadata:\n  name: aws-auth\n"
                + "  annotations:\n    eks-access.dev/cluster: legacy\ndata:\n  mapRoles:\n    - rolearn: x\n");

        int status = run(awsAuth.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("whose data.mapRoles is not text");
    }

    @Test
    void adminThatIsNotAnIamPrincipal_isRefusedNamingTheOption() {
        int status = run("--admin", "arn:aws:sts::111122223333:assumed-role/admin/alice");

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("--admin arn:aws:sts::111122223333:assumed-role/admin/alice")
                .contains("is not an IAM role or user ARN");
    }

    @Test
    void unknownOption_isAUsageError() {
        int status = run("--no-such-option");

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void negativeDelay_isRefusedNamingTheOption() {
        int status = run("--retry-delay", "PT-1S");

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("--retry-delay must not be negative, was PT-1S");
    }

    @Test
    void durationThatIsNotIso8601_isAUsageError() {
        int status = run("--cluster-delay", "5s");

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("--cluster-delay").contains("5s");
    }

    @Test
    void senderThatIsNotAnIamRoleOrUser_isRefusedNamingTheOption() throws IOException {
        Path grant = Files.writeString(dir.resolve("grant.json"), "{\"action\":\"grant\"}");

        int status = run("--sender", "arn:aws:sts::111122223333:assumed-role/team/alice", grant.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("--sender arn:aws:sts::111122223333:assumed-role/team/alice: not an IAM role or "
                + "user ARN");
    }

    @Test
    void senderThatNoFileFollows_isRefused() throws IOException {
        Path grant = Files.writeString(dir.resolve("grant.json"), "{\"action\":\"grant\"}");

        int status = run(grant.toString(), "--sender", "arn:aws:iam::111122223333:role/sandbox/approver");

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("--sender arn:aws:iam::111122223333:role/sandbox/approver is followed by no file");
    }

    @Test
    void eligibilityDocumentWithProblems_isRefusedNamingEachProblem() throws IOException {
        Path grant = Files.writeString(dir.resolve("grant.json"), "{\"action\":\"grant\"}");
        Path document = Files.writeString(dir.resolve("eligibility.json"), """
                {"version": 1, "rules": [{"id": "admins", "senders": ["arn:aws:iam::111122223333:role/team"],
                  "clusters": {"names": ["*"]}, "principals": {"self": true},
                  "policies": ["AmazonEKSClusterAdminPolicy"], "scopes": {"cluster": true}}]}
                """);

        int status = run("--eligibility", document.toString(), grant.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("--eligibility " + document + " is not a valid eligibility document")
                .contains("$.rules[0]");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anEksAccessFile_isACommandLine_commentsAside_splitAtWhiteSpace() throws IOException {
        Path file = Files.writeString(dir.resolve("apply.cli"), """
                # why this step
                eks-access migrate --cluster legacy-batch   --apply

                """);

        InputFile read = InputFile.read(file);

        assertThat(read).isInstanceOfSatisfying(InputFile.CliCommand.class, command -> {
            assertThat(command.args()).containsExactly("migrate", "--cluster", "legacy-batch", "--apply");
            assertThat(command.commandLine()).isEqualTo("eks-access migrate --cluster legacy-batch --apply");
        });
        assertThat(InputFile.read(Files.writeString(dir.resolve("body.json"), "eks-access-like text, not a command")))
                .as("only a line that starts with 'eks-access ' is a command").isInstanceOf(InputFile.Message.class);
    }

    @Test
    void anEksAccessFileWithTwoCommands_isRefusedBeforeAnythingStarts() throws IOException {
        Path file = Files.writeString(dir.resolve("two.cli"), "eks-access adopt --plan\neks-access adopt\n");

        int status = run(file.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains(file + " holds 2 lines that are not comments; an eks-access file holds one command");
    }

    @Test
    void existing_takesOnlyAnEvent() throws IOException {
        Path grant = Files.writeString(dir.resolve("grant.json"), "{\"action\":\"grant\"}");

        int status = run("--existing", grant.toString());

        assertThat(status).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains(grant + " is not an EventBridge event; --existing takes the CloudTrail CreateCluster"
                + " event of a cluster that existed before");
    }

    @Test
    void scenario_isEitherNamedOrFilesAreGiven_andMustExist() throws IOException {
        Path grant = Files.writeString(dir.resolve("grant.json"), "{\"action\":\"grant\"}");

        assertThat(run("--scenario", "legacy", grant.toString())).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("--scenario legacy plays its own files; give either FILEs or --scenario");
        assertThat(run("--scenario", "no-such-scenario")).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("events/scenarios/no-such-scenario was not found");
        assertThat(run("--scenario", "../demo")).isEqualTo(SandboxCommand.BAD_INPUT);
        assertThat(err()).contains("is no scenario name");
    }

    @Test
    void theLegacyScenario_existsBeforeAnything_thenAdoptsAndMigratesAsTheMigrationRole() {
        DemoScenario.Scenario legacy = DemoScenario.load("legacy");

        assertThat(legacy.allowAuthModeSwitch()).isTrue();
        assertThat(legacy.plays()).extracting(play -> play.file().getFileName().toString())
                .containsExactly("config-map-mode.json", "01-adopt-plan.cli", "02-adopt.cli", "legacy-batch.yaml",
                        "03-migrate-apply.cli", "04-migrate-compare.cli");
        assertThat(legacy.plays().getFirst().existing()).isTrue();
        assertThat(legacy.plays().subList(1, legacy.plays().size())).allSatisfy(play -> {
            assertThat(play.existing()).isFalse();
            assertThat(play.sender()).isEqualTo("arn:aws:iam::111122223333:role/platform/aws-auth-migrator");
        });
        assertThat(DemoScenario.load("demo").allowAuthModeSwitch()).isFalse();
    }

    private int run(String... args) {
        return SandboxCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
