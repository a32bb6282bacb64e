package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.awsauth.AccessComparison.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What aws-auth grants that entries do not, on the samples' plans. */
class AccessComparisonTest {

    private static final String ADMIN = "arn:aws:iam::111122223333:role/platform-admin";
    private static final String NODE =
            "arn:aws:iam::111122223333:role/eksctl-demo-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F";
    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";

    private final MigrationPlanner planner = new MigrationPlanner(SampleRoles.load());

    private MigrationPlan plan(String sample) {
        try {
            return planner.plan(AwsAuthParser.parseConfigMap(SampleRoles.sample(sample)));
        } catch (dev.eksaccess.awsauth.BrokenAwsAuthException e) {
            throw new AssertionError(sample + " is broken", e);
        }
    }

    private static CurrentEntry admin(String principal, String username) {
        return new CurrentEntry(principal, "STANDARD", Optional.of(username), List.of(),
                List.of("AmazonEKSClusterAdminPolicy"));
    }

    private static final CurrentEntry NODE_ENTRY = new CurrentEntry(NODE, "EC2_LINUX",
            Optional.of("system:node:{{EC2PrivateDNSName}}"), List.of("system:nodes"), List.of());

    @Test
    void withoutEntries_everyMigratingMappingIsMissing() {
        AccessComparison.Result result = AccessComparison.compare(plan("eksctl.yaml"), List.of());

        assertThat(result.rows()).extracting(AccessComparison.Row::status).containsOnly(Status.MISSING);
        assertThat(result.rows().get(1).gap()).contains("no access entry for " + ADMIN);
        assertThat(result.migratableCovered()).isFalse();
    }

    @Test
    void theEntriesAMigrationMakes_areEquivalent_andMoreGroupsOrPoliciesDoNotMatter() {
        CurrentEntry wider = new CurrentEntry(ALICE, "STANDARD", Optional.of("alice"), List.of("extra"),
                List.of("AmazonEKSClusterAdminPolicy", "AmazonEKSViewPolicy"));

        AccessComparison.Result result = AccessComparison.compare(plan("eksctl.yaml"),
                List.of(NODE_ENTRY, admin(ADMIN, "admin"), wider));

        assertThat(result.rows()).extracting(AccessComparison.Row::status).containsOnly(Status.EQUIVALENT);
        assertThat(result.complete()).isTrue();
    }

    @Test
    void anEntryLackingAPolicyOrTheUsername_orOfAnotherType_isMissing_sayingWhat() {
        CurrentEntry viewer = new CurrentEntry(ADMIN, "STANDARD", Optional.of("someone"), List.of(),
                List.of("AmazonEKSViewPolicy"));
        CurrentEntry standardNode = new CurrentEntry(NODE, "STANDARD", Optional.empty(), List.of(), List.of());

        AccessComparison.Result result = AccessComparison.compare(plan("eksctl.yaml"),
                List.of(standardNode, viewer, admin(ALICE, "alice")));

        assertThat(result.rows()).extracting(row -> row.status() + " " + row.gap().orElse("")).containsExactly(
                "MISSING the entry is of type STANDARD, not EC2_LINUX",
                "MISSING the entry lacks AmazonEKSClusterAdminPolicy at cluster scope, username admin (it has someone)",
                "EQUIVALENT ");
    }

    @Test
    void mappingsThatDoNotMigrate_remainGrantedByAwsAuthAlone() {
        MigrationPlan plan = plan("map-accounts.yaml");

        AccessComparison.Result result = AccessComparison.compare(plan, List.of());

        assertThat(result.count(Status.NOT_MIGRATABLE)).isEqualTo(plan.mappings().size()
                - plan.count(PlannedMapping.Verdict.MIGRATE));
        assertThat(result.count(Status.NOT_MIGRATABLE)).isPositive();
        assertThat(result.complete()).isFalse();
    }
}
