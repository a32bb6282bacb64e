package dev.eksaccess.contract.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Recovery rules ({@code "recovery": true}) allow recover requests and nothing else; no other rule allows one. */
class RecoveryEligibilityTest {

    static final String ON_CALL = "arn:aws:iam::111122223333:role/platform/on-call";
    static final String RECOVERY = "arn:aws:iam::111122223333:role/platform/recovery";
    static final String LEAD = "arn:aws:iam::111122223333:role/teams/payments-lead";
    static final String PLATFORM_LEAD = "arn:aws:iam::111122223333:role/platform/lead";
    static final String ADMIN = "AmazonEKSClusterAdminPolicy";
    static final String RULE = "\"id\":\"r\",\"senders\":[\"" + ON_CALL + "\"],\"clusters\":{\"names\":[\"*\"]},"
            + "\"principals\":{\"arns\":[\"" + RECOVERY + "\"]},\"recovery\":true";

    private final Eligibility eligibility;

    RecoveryEligibilityTest() throws IOException {
        eligibility = new Eligibility(EligibilityDocument.parse(Files.readString(
                MigrationEligibilityTest.sample().resolveSibling("recovery.json"))));
    }

    private static AccessQuestion ask(AccessQuestion.Kind kind, String sender, AccessQuestion.Cluster cluster,
                                      String principal, String policy, Duration duration) {
        return new AccessQuestion(sender, kind, cluster, principal, policy, true, List.of(), List.of(), null,
                duration);
    }

    private static AccessQuestion recover(String sender, AccessQuestion.Cluster cluster, String principal,
                                          Duration duration) {
        return ask(AccessQuestion.Kind.RECOVER, sender, cluster, principal, ADMIN, duration);
    }

    @Test
    void aBreakGlassRecoveryRule_allowsARecover_withinItsDuration_asBreakGlass() {
        assertThat(eligibility.decide(recover(ON_CALL, MigrationEligibilityTest.DEMO, RECOVERY, Duration.ofHours(1))))
                .isEqualTo(new Verdict.Allowed("recover-break-glass", true, Optional.empty()));
        assertThat(eligibility.decide(recover(ON_CALL, MigrationEligibilityTest.DEMO, RECOVERY, Duration.ofHours(3))))
                .isInstanceOfSatisfying(Verdict.Denied.class, d -> assertThat(d.reason())
                        .contains("duration PT3H is longer than PT2H"));
        assertThat(eligibility.decide(recover(ON_CALL, MigrationEligibilityTest.DEMO, RECOVERY, null)))
                .isInstanceOfSatisfying(Verdict.Denied.class, d -> assertThat(d.reason())
                        .contains("a permanent grant is not allowed"));
    }

    @Test
    void aRecoveryRuleWithApproval_holdsTheRecover_forItsApprovers() {
        assertThat(eligibility.decide(recover(LEAD, MigrationEligibilityTest.PAYMENTS, LEAD, Duration.ofHours(1))))
                .isEqualTo(new Verdict.NeedsApproval("recover-with-approval", List.of(PLATFORM_LEAD), 1,
                        Duration.ofHours(1)));
    }

    @Test
    void aRecoveryRule_allowsNoGrant_andAGrantRule_allowsNoRecover() {
        assertThat(eligibility.decide(ask(AccessQuestion.Kind.GRANT, ON_CALL, MigrationEligibilityTest.DEMO, RECOVERY,
                ADMIN, Duration.ofHours(1)))).isInstanceOfSatisfying(Verdict.Denied.class, d ->
                assertThat(d.reason()).contains("named only by migration or recovery rules"));
        // The lead's grant rule would hold this grant; as a recover only the recovery rule decides, on its terms.
        assertThat(eligibility.decide(ask(AccessQuestion.Kind.GRANT, LEAD, MigrationEligibilityTest.PAYMENTS, LEAD,
                ADMIN, Duration.ofHours(1)))).isInstanceOfSatisfying(Verdict.NeedsApproval.class, n ->
                assertThat(n.ruleId()).isEqualTo("payments-admin"));
        assertThat(eligibility.decide(recover(LEAD, MigrationEligibilityTest.DEMO, LEAD, Duration.ofHours(1))))
                .isInstanceOfSatisfying(Verdict.Denied.class, d -> assertThat(d.reason())
                        .contains("rule 'recover-with-approval'").doesNotContain("payments-admin"));
        assertThat(eligibility.decide(recover(MigrationEligibilityTest.MIGRATOR, MigrationEligibilityTest.DEMO,
                RECOVERY, Duration.ofHours(1)))).isInstanceOf(Verdict.Denied.class);
    }

    @Test
    void aRecoveryRule_allowsNoRevokeOfOthers() {
        assertThat(eligibility.decide(AccessQuestion.revoke(ON_CALL, MigrationEligibilityTest.DEMO, RECOVERY, ADMIN)))
                .isInstanceOf(Verdict.Denied.class);
    }

    @Test
    void aRecoveryRule_isClusterAdminAtClusterScope_timeBound_andDecidedBySomeone() {
        assertThatThrownBy(() -> EligibilityDocument.parse(EligibilityDocumentTest.oneRule(RULE
                + ",\"policies\":[\"AmazonEKSClusterAdminPolicy\",\"AmazonEKSViewPolicy\"],"
                + "\"scopes\":{\"cluster\":true,\"namespaces\":[\"default\"]},\"usernames\":[\"x\"],"
                + "\"approval\":{\"approvers\":[\"" + ON_CALL + "\"]}")))
                .isInstanceOfSatisfying(EligibilityDocumentException.class, e -> assertThat(e.getMessage())
                        .contains("$.rules[0].policies: a recovery rule names exactly AmazonEKSClusterAdminPolicy")
                        .contains("$.rules[0].scopes: a recovery rule is at cluster scope only")
                        .contains("$.rules[0].maxDuration: is required for a recovery rule")
                        .contains("$.rules[0].usernames: a recovery rule sets no usernames"));
        assertThatThrownBy(() -> EligibilityDocument.parse(EligibilityDocumentTest.oneRule(RULE
                + ",\"policies\":[\"AmazonEKSClusterAdminPolicy\"],\"scopes\":{\"cluster\":true},"
                + "\"maxDuration\":\"PT1H\"")))
                .isInstanceOfSatisfying(EligibilityDocumentException.class, e -> assertThat(e.getMessage())
                        .contains("a recovery rule needs approval or \"breakGlass\": true"));
        assertThatThrownBy(() -> EligibilityDocument.parse(EligibilityDocumentTest.oneRule(RULE
                + ",\"policies\":[\"AmazonEKSClusterAdminPolicy\"],\"migration\":true")))
                .isInstanceOfSatisfying(EligibilityDocumentException.class, e -> assertThat(e.getMessage())
                        .contains("a recovery rule or a migration rule, not both"));
        assertThat(EligibilityDocument.parse(EligibilityDocumentTest.oneRule(RULE
                + ",\"policies\":[\"AmazonEKSClusterAdminPolicy\"],\"scopes\":{\"cluster\":true},"
                + "\"maxDuration\":\"PT1H\",\"breakGlass\":true")).rules().get(0).recovery()).isTrue();
    }
}
