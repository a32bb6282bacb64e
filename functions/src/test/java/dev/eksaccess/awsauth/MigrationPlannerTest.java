package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.awsauth.PlannedMapping.Verdict;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner's rules one at a time, beyond what the samples show. */
class MigrationPlannerTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/team";
    private static final String USER = "arn:aws:iam::111122223333:user/bob";

    private final MigrationPlanner planner = new MigrationPlanner((account, name) ->
            new RoleDirectory.Lookup.Found("arn:aws:iam::" + account + ":role/" + name));

    @Test
    void aUserWithTheNodeGroups_isNotMigratable_nodeEntriesTakeRolesOnly() {
        PlannedMapping planned = plan("mapUsers", "- userarn: " + USER + "\n  username: system:node:{{EC2PrivateDNSName}}"
                + "\n  groups: [system:bootstrappers, system:nodes]\n");

        assertThat(planned.verdict()).isEqualTo(Verdict.NOT_MIGRATABLE);
        assertThat(planned.entry()).isEmpty();
        assertThat(planned.explanation()).contains("node entry types accept only IAM roles");
    }

    @Test
    void usernames_thatAccessEntriesCannotKeep() {
        assertThat(plan("mapRoles", "- rolearn: " + ROLE + "\n  username: team:{{SessionNameRaw}}\n").explanation())
                .contains("{{SessionNameRaw}}");
        assertThat(plan("mapRoles", "- rolearn: " + ROLE + "\n  username: aws:team\n").explanation())
                .contains("starting with 'aws:'");
        assertThat(plan("mapUsers", "- userarn: " + USER + "\n  username: bob:{{SessionName}}\n").explanation())
                .contains("an IAM user has no session");
        assertThat(plan("mapRoles", "- rolearn: " + ROLE + "\n  username: x:{{SessionName}}:{{AccountID}}\n")
                .entry().orElseThrow().username()).contains("x:{{SessionName}}:111122223333");
    }

    @Test
    void anArnIamDidNotGiveForThatName_isUnresolved_neverUsed() {
        MigrationPlanner confused = new MigrationPlanner((account, name) ->
                new RoleDirectory.Lookup.Found("arn:aws:iam::111122223333:role/other"));

        PlannedMapping planned = confused.plan(parse("mapRoles", "- rolearn: " + ROLE + "\n")).mappings().get(0);

        assertThat(planned.verdict()).isEqualTo(Verdict.UNRESOLVED);
        assertThat(planned.entry()).isEmpty();
    }

    @Test
    void sessionAndServiceLinkedArns_areNotMigratable() {
        assertThat(plan("mapRoles", "- rolearn: arn:aws:sts::111122223333:assumed-role/team/s\n").explanation())
                .contains("STS session ARN");
        assertThat(plan("mapRoles", "- rolearn: " + USER + "\n").explanation()).contains("a user belongs in mapUsers");
    }

    private PlannedMapping plan(String field, String yaml) {
        return planner.plan(parse(field, yaml)).mappings().get(0);
    }

    private static AwsAuth parse(String field, String yaml) {
        try {
            return AwsAuthParser.parseData(Map.of(field, yaml), Optional.empty());
        } catch (BrokenAwsAuthException e) {
            throw new AssertionError(e);
        }
    }
}
