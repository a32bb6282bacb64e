package dev.eksaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code eks-access migrate --plan} from sample files: the table, the JSON, and what stops it. */
class CliMigrateTest {

    private static final CliContext CONTEXT = new CliContext(CliHarness.CLOCK, Map.of(), CliHarness.NO_SQS,
            CliHarness.NO_DYNAMODB, CliHarness.NO_STS, MigrateFixture.filesOnly());

    @Test
    void plan_printsOneRowPerMapping_andWhy() {
        CliHarness.Run run = CliHarness.run(CONTEXT, "migrate", "--cluster", "legacy", "--plan", "--region",
                "us-east-1", "--aws-auth-file", MigrateFixture.sample("eksctl.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).isEmpty();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("aws-auth of cluster legacy (resourceVersion 1843): 3 mappings, 3 migrate, "
                + "0 not migratable, 0 unresolved");
        assertThat(lines).filteredOn(line -> line.matches("[#0-9]+ .*")).map(line -> List.of(line.split(" {2,}")))
                .containsExactly(
                        List.of("#", "AWS-AUTH", "VERDICT", "TYPE", "PRINCIPAL", "USERNAME", "GROUPS", "POLICY"),
                        List.of("1", "mapRoles[0] (line 1)", "MIGRATE", "EC2_LINUX", "arn:aws:iam::111122223333:role/"
                                + "eksctl-demo-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F", "(set by EKS)", "-", "-"),
                        List.of("2", "mapRoles[1] (line 6)", "MIGRATE", "STANDARD",
                                "arn:aws:iam::111122223333:role/platform-admin", "admin", "-",
                                "AmazonEKSClusterAdminPolicy (cluster)"),
                        List.of("3", "mapUsers[0] (line 1)", "MIGRATE", "STANDARD",
                                "arn:aws:iam::111122223333:user/alice", "alice", "-",
                                "AmazonEKSClusterAdminPolicy (cluster)"));
        assertThat(lines).contains("1. node role: an EC2_LINUX entry (EKS gives it the node groups and username)",
                "2. system:masters becomes AmazonEKSClusterAdminPolicy at cluster scope; username kept");
        assertThat(lines.getLast()).isEqualTo("Every mapping has an access-entry equivalent.");
    }

    @Test
    void plan_json_namesEveryEntryAndReason() {
        CliHarness.Run run = CliHarness.run(CONTEXT, "migrate", "--cluster", "legacy", "--plan", "--json",
                "--region", "us-east-1", "--aws-auth-file", MigrateFixture.sample("hand-edited.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode plan = JsonOutput.read(run.out());
        assertThat(plan.get("cluster").asText()).isEqualTo("legacy");
        assertThat(plan.get("resourceVersion").asText()).isEqualTo("77");
        assertThat(plan.get("complete").asBoolean()).isFalse();
        assertThat(plan.get("counts").get("MIGRATE").asInt()).isEqualTo(4);
        assertThat(plan.get("counts").get("NOT_MIGRATABLE").asInt()).isEqualTo(5);
        JsonNode first = plan.get("mappings").get(0);
        assertThat(first.get("subject").asText()).isEqualTo("arn:aws:iam::111122223333:role/payments-deployer");
        assertThat(first.get("entry").get("principalArn").asText())
                .isEqualTo("arn:aws:iam::111122223333:role/teams/payments/payments-deployer");
        assertThat(first.get("entry").get("username").asText()).isEqualTo("payments:{{SessionName}}");
        assertThat(first.get("entry").get("kubernetesGroups").get(0).asText()).isEqualTo("payments-edit");
        JsonNode withPath = plan.get("mappings").get(1);
        assertThat(withPath.get("verdict").asText()).isEqualTo("NOT_MIGRATABLE");
        assertThat(withPath.get("entry").isNull()).isTrue();
        assertThat(withPath.get("explanation").asText()).contains("never matches a role ARN that includes a path");
    }

    @Test
    void aBrokenAwsAuth_stopsWithItsPlace_andPlansNothing() {
        CliHarness.Run run = CliHarness.run(CONTEXT, "migrate", "--cluster", "legacy", "--plan", "--region",
                "us-east-1", "--aws-auth-file", MigrateFixture.sample("broken-indentation.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BROKEN_AWS_AUTH);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("eks-access: aws-auth is broken at mapRoles, line 6, column 2 of "
                + "data.mapRoles: not valid YAML").contains("Nothing was planned");
    }

    @Test
    void withoutPlan_orWithABadClusterName_isAUsageError() {
        CliHarness.Run noPlan = CliHarness.run(CONTEXT, "migrate", "--cluster", "legacy", "--region", "us-east-1");
        assertThat(noPlan.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noPlan.err()).contains("say one of --plan, --apply and --compare");
        CliHarness.Run two = CliHarness.run(CONTEXT, "migrate", "--cluster", "legacy", "--plan", "--apply", "--region",
                "us-east-1");
        assertThat(two.exitCode()).isEqualTo(ExitCodes.USAGE);
        CliHarness.Run noQueue = CliHarness.run(CONTEXT, "migrate", "--cluster", "legacy", "--apply", "--region",
                "us-east-1");
        assertThat(noQueue.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noQueue.err()).contains("--apply needs the grant queue: give --queue-url or set "
                + "EKS_ACCESS_QUEUE_URL");

        CliHarness.Run badName = CliHarness.run(CONTEXT, "migrate", "--cluster", "bad name", "--plan", "--region",
                "us-east-1");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.err()).contains("is not an EKS cluster name");
    }
}
