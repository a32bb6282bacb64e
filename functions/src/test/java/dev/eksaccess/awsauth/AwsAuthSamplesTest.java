package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every sample in {@code events/aws-auth/} migrates to the plan pinned here, mapping by mapping: verdict, principal
 * (path restored), entry type, username, groups and cluster-scope policies, and for what does not migrate, why.
 */
public class AwsAuthSamplesTest {

    private static final String ACCOUNT = "arn:aws:iam::111122223333:";

    private final MigrationPlanner planner = new MigrationPlanner(SampleRoles.load());

    @Test
    void everySampleIsPinnedHere() throws IOException {
        try (Stream<Path> files = Files.list(SampleRoles.samples())) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted())
                    .containsExactly("broken-indentation.yaml", "broken-typo.yaml", "eksctl.yaml", "fargate.yaml",
                            "hand-edited.yaml", "map-accounts.yaml", "node-roles.yaml", "sso.yaml", "terraform.yaml");
        }
    }

    @Test
    void eksctl() throws Exception {
        MigrationPlan plan = plan("eksctl.yaml");
        assertThat(plan.resourceVersion()).contains("1843");
        assertThat(lines(plan)).containsExactly(
                "mapRoles[0] (line 1) MIGRATE EC2_LINUX " + ACCOUNT
                        + "role/eksctl-demo-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F username=- groups=[] policies=[]",
                "mapRoles[1] (line 6) MIGRATE STANDARD " + ACCOUNT
                        + "role/platform-admin username=admin groups=[] policies=[AmazonEKSClusterAdminPolicy]",
                "mapUsers[0] (line 1) MIGRATE STANDARD " + ACCOUNT
                        + "user/alice username=alice groups=[] policies=[AmazonEKSClusterAdminPolicy]");
        assertThat(plan.complete()).isTrue();
    }

    @Test
    void terraform() throws Exception {
        MigrationPlan plan = plan("terraform.yaml");
        assertThat(lines(plan)).containsExactly(
                "mapRoles[0] (line 1) MIGRATE EC2_LINUX " + ACCOUNT
                        + "role/default-eks-node-group-20240101000000000000000001 username=- groups=[] policies=[]",
                "mapRoles[1] (line 6) MIGRATE STANDARD " + ACCOUNT
                        + "role/developers username=developer:{{SessionName}} groups=[dev-team, view-only] policies=[]",
                "mapUsers[0] (line 1) MIGRATE STANDARD " + ACCOUNT
                        + "user/ops/bob username=bob groups=[ops] policies=[]");
    }

    @Test
    void handEdited() throws Exception {
        MigrationPlan plan = plan("hand-edited.yaml");
        assertThat(lines(plan)).containsExactly(
                "mapRoles[0] (line 1) MIGRATE STANDARD " + ACCOUNT
                        + "role/teams/payments/payments-deployer username=payments:{{SessionName}} "
                        + "groups=[payments-edit] policies=[]",
                "mapRoles[1] (line 5) NOT_MIGRATABLE " + ACCOUNT + "role/teams/search/search-admin",
                "mapRoles[2] (line 9) NOT_MIGRATABLE " + ACCOUNT + "role/ci-runner",
                "mapRoles[3] (line 13) NOT_MIGRATABLE " + ACCOUNT + "role/oncall",
                "mapRoles[4] (line 17) NOT_MIGRATABLE " + ACCOUNT + "role/legacy-jenkins",
                "mapRoles[5] (line 21) MIGRATE STANDARD " + ACCOUNT
                        + "role/auditor username=auditor-111122223333 groups=[] policies=[]",
                "mapRoles[6] (line 24) MIGRATE STANDARD " + ACCOUNT + "role/reader username=- groups=[] policies=[]",
                "mapRoles[7] (line 25) MIGRATE STANDARD " + ACCOUNT
                        + "role/ci/ci-runner username=ci groups=[ci-deploy] policies=[]",
                "mapRoles[8] (line 29) NOT_MIGRATABLE " + ACCOUNT + "role/breakglass");
        assertReasons(plan, Map.of(
                1, "never matches a role ARN that includes a path",
                2, "superseded by mapRoles[7] (line 25)",
                3, "colon before {{SessionName}}",
                4, "IAM has no role legacy-jenkins in account 111122223333",
                8, "refuse usernames starting with 'system:'"));
        assertThat(plan.mappings().get(0).explanation())
                .contains("role path restored from IAM: " + ACCOUNT + "role/teams/payments/payments-deployer");
        assertThat(plan.mappings().get(6).explanation()).contains("no username in aws-auth");
        assertThat(plan.complete()).isFalse();
    }

    @Test
    void nodeRoles() throws Exception {
        MigrationPlan plan = plan("node-roles.yaml");
        assertThat(lines(plan)).containsExactly(
                "mapRoles[0] (line 1) MIGRATE EC2_LINUX " + ACCOUNT
                        + "role/linux-nodes username=- groups=[] policies=[]",
                "mapRoles[1] (line 6) NOT_MIGRATABLE EC2_WINDOWS " + ACCOUNT
                        + "role/windows-nodes username=- groups=[] policies=[]",
                "mapRoles[2] (line 12) NOT_MIGRATABLE " + ACCOUNT + "role/gpu-nodes",
                "mapRoles[3] (line 18) NOT_MIGRATABLE " + ACCOUNT + "role/custom-nodes",
                "mapRoles[4] (line 23) NOT_MIGRATABLE " + ACCOUNT + "role/half-node");
        assertReasons(plan, Map.of(
                1, "--type EC2_WINDOWS",
                2, "extra groups gpu-operators would be lost",
                3, "this node mapping uses node:{{SessionName}}",
                4, "groups starting with 'system:' (system:nodes)"));
    }

    @Test
    void fargate() throws Exception {
        MigrationPlan plan = plan("fargate.yaml");
        assertThat(lines(plan)).containsExactly(
                "mapRoles[0] (line 1) NOT_MIGRATABLE FARGATE_LINUX " + ACCOUNT
                        + "role/AmazonEKSFargatePodExecutionRole username=- groups=[] policies=[]",
                "mapRoles[1] (line 7) MIGRATE EC2_LINUX " + ACCOUNT
                        + "role/managed-nodes username=- groups=[] policies=[]");
        assertThat(plan.mappings().get(0).explanation()).contains("Fargate pod execution role").contains("--type FARGATE_LINUX");
    }

    @Test
    void sso() throws Exception {
        MigrationPlan plan = plan("sso.yaml");
        assertThat(lines(plan)).containsExactly(
                "mapRoles[0] (line 1) MIGRATE STANDARD " + ACCOUNT + "role/aws-reserved/sso.amazonaws.com/"
                        + "AWSReservedSSO_AdministratorAccess_0123456789abcdef username=sso-admin:{{SessionName}} "
                        + "groups=[] policies=[AmazonEKSClusterAdminPolicy]",
                "mapRoles[1] (line 5) MIGRATE STANDARD " + ACCOUNT + "role/aws-reserved/sso.amazonaws.com/eu-west-1/"
                        + "AWSReservedSSO_ReadOnly_fedcba9876543210 username=sso-readonly:{{SessionName}} "
                        + "groups=[view] policies=[]",
                "mapRoles[2] (line 9) NOT_MIGRATABLE " + ACCOUNT + "role/aws-reserved/sso.amazonaws.com/"
                        + "AWSReservedSSO_PowerUser_00112233aabbccdd");
    }

    @Test
    void mapAccounts() throws Exception {
        MigrationPlan plan = plan("map-accounts.yaml");
        assertThat(lines(plan)).containsExactly(
                "mapRoles[0] (line 1) UNRESOLVED arn:aws:iam::444455556666:role/partner-deployer",
                "mapAccounts[0] (line 1) NOT_MIGRATABLE 444455556666",
                "mapAccounts[1] (line 2) NOT_MIGRATABLE 777788889999");
        assertReasons(plan, Map.of(
                0, "no access to IAM in account 444455556666",
                1, "every IAM user and role of account 444455556666"));
    }

    @Test
    void brokenIndentation_isReportedWithItsLine_neverGuessed() {
        assertThatThrownBy(() -> plan("broken-indentation.yaml"))
                .isInstanceOf(BrokenAwsAuthException.class)
                .hasMessageStartingWith("aws-auth is broken at mapRoles, line 6, column 2 of data.mapRoles: "
                        + "not valid YAML: expected <block end>, but found '<block mapping start>'");
    }

    @Test
    void brokenTypo_namesTheUnknownKeyAndItsLine() {
        assertThatThrownBy(() -> plan("broken-typo.yaml"))
                .isInstanceOf(BrokenAwsAuthException.class)
                .hasMessage("aws-auth is broken at mapRoles[0].grups, line 3, column 3 of data.mapRoles: unknown key "
                        + "'grups'; an entry has only groups, rolearn, username");
    }

    private MigrationPlan plan(String sample) throws BrokenAwsAuthException {
        return planner.plan(AwsAuthParser.parseConfigMap(SampleRoles.sample(sample)));
    }

    /** One line per mapping: where, verdict, and the entry (when there is one). */
    public static List<String> lines(MigrationPlan plan) {
        return plan.mappings().stream().map(m -> m.source() + " " + m.verdict() + " " + m.entry()
                .map(e -> e.type() + " " + e.principalArn() + " username=" + e.username().orElse("-")
                        + " groups=" + e.kubernetesGroups() + " policies=" + e.clusterPolicies())
                .orElse(m.subject())).toList();
    }

    /** Each mapping named (by index) explains itself with at least that fragment. */
    private static void assertReasons(MigrationPlan plan, Map<Integer, String> fragments) {
        fragments.forEach((index, fragment) -> assertThat(plan.mappings().get(index).explanation())
                .as("explanation of %s", plan.mappings().get(index).source()).contains(fragment));
    }
}
