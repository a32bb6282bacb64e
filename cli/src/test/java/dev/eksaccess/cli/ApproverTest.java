package dev.eksaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who counts as whom when pending matches the caller against the ARNs in the ledger. */
class ApproverTest {

    static final String LEAD = "arn:aws:iam::111122223333:role/platform/sre-lead";

    @Test
    void aRoleSession_isItsRole_whateverTheRolesPath() {
        Approver session = Approver.of("arn:aws:sts::111122223333:assumed-role/sre-lead/bob@example.com").orElseThrow();

        assertThat(session.is(LEAD)).isTrue();
        assertThat(session.is("arn:aws:iam::111122223333:role/sre-lead")).isTrue();
        assertThat(session.is("arn:aws:iam::111122223333:role/a/b/c/sre-lead")).isTrue();
    }

    @Test
    void aRole_isNoOtherRole_account_partition_orUser() {
        Approver session = Approver.of("arn:aws:sts::111122223333:assumed-role/sre-lead/bob").orElseThrow();

        assertThat(session.is("arn:aws:iam::111122223333:role/platform/sre-lead-2")).isFalse();
        assertThat(session.is("arn:aws:iam::111122223333:role/platform/SRE-Lead")).as("names compare as written")
                .isFalse();
        assertThat(session.is("arn:aws:iam::444455556666:role/platform/sre-lead")).isFalse();
        assertThat(session.is("arn:aws-cn:iam::111122223333:role/platform/sre-lead")).isFalse();
        assertThat(session.is("arn:aws:iam::111122223333:user/sre-lead")).isFalse();
        assertThat(session.is(null)).isFalse();
    }

    @Test
    void aRoleArn_matchesItsSessions_andItself() {
        Approver role = Approver.of(LEAD).orElseThrow();

        assertThat(role.is(LEAD)).isTrue();
        assertThat(role.is("arn:aws:sts::111122223333:assumed-role/sre-lead/anyone")).isTrue();
    }

    @Test
    void aUser_matchesItsOwnArnExactly() {
        Approver carol = Approver.of("arn:aws:iam::111122223333:user/auditors/carol").orElseThrow();

        assertThat(carol.is("arn:aws:iam::111122223333:user/auditors/carol")).isTrue();
        assertThat(carol.is("arn:aws:iam::111122223333:user/carol")).as("another path is another ARN").isFalse();
        assertThat(carol.is("arn:aws:iam::111122223333:role/auditors/carol")).isFalse();
    }

    @Test
    void identitiesNoApproverListCanName_areNoApprovers() {
        assertThat(Approver.of("arn:aws:iam::111122223333:root")).isEmpty();
        assertThat(Approver.of("arn:aws:sts::111122223333:federated-user/bob")).isEmpty();
        assertThat(Approver.of("sre-lead")).isEmpty();
        assertThat(Approver.of(null)).isEmpty();
    }
}
