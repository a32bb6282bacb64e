package dev.eksaccess.authz;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PendingApprovalTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String LEAD = "arn:aws:iam::111122223333:role/platform/sre-lead";
    static final String SECURITY = "arn:aws:iam::111122223333:role/security/on-call";

    private final PendingApproval twoNeeded = PendingApproval.of("CHG-1", "sre-admin", "arn:aws:iam::111122223333:role/sre",
            "arn:aws:iam::111122223333:role/sre", 2, NOW.plusSeconds(3600));

    @Test
    void approvalsFromDifferentApprovers_addUp_untilEnough() {
        PendingApproval.Decision first = twoNeeded.approve(LEAD, Optional.empty(), NOW);
        assertThat(first).isInstanceOfSatisfying(PendingApproval.Decision.StillPending.class,
                pending -> assertThat(pending.pending().missing()).isEqualTo(1));

        PendingApproval afterFirst = ((PendingApproval.Decision.StillPending) first).pending();
        assertThat(afterFirst.approve(SECURITY, Optional.empty(), NOW))
                .isInstanceOfSatisfying(PendingApproval.Decision.Approved.class,
                        approved -> assertThat(approved.pending().approvedBy()).containsExactly(LEAD, SECURITY));
    }

    @Test
    void theSameApproverTwice_countsOnce() {
        PendingApproval afterFirst = ((PendingApproval.Decision.StillPending) twoNeeded.approve(LEAD, Optional.empty(),
                NOW)).pending();

        assertThat(afterFirst.approve(LEAD, Optional.empty(), NOW)).isInstanceOfSatisfying(
                PendingApproval.Decision.Refused.class, refused -> assertThat(refused.reason())
                        .contains("approved request CHG-1 already; 1 more approval needed from others"));
    }

    @Test
    void anApproverTheRulesRefuse_changesNothing() {
        assertThat(twoNeeded.approve(LEAD, Optional.of("nobody approves their own request"), NOW))
                .isEqualTo(new PendingApproval.Decision.Refused("nobody approves their own request"));
        assertThat(twoNeeded.deny(LEAD, Optional.of("not an approver"), NOW))
                .isEqualTo(new PendingApproval.Decision.Refused("not an approver"));
    }

    @Test
    void anExpiredRequest_canNeitherBeApprovedNorDenied() {
        Instant late = NOW.plusSeconds(3600);

        assertThat(twoNeeded.isExpired(late)).isTrue();
        assertThat(twoNeeded.approve(LEAD, Optional.empty(), late)).isInstanceOfSatisfying(
                PendingApproval.Decision.Refused.class, refused -> assertThat(refused.reason()).contains("expired"));
        assertThat(twoNeeded.deny(LEAD, Optional.empty(), late)).isInstanceOf(PendingApproval.Decision.Refused.class);
    }

    @Test
    void oneDenial_endsTheRequest() {
        assertThat(twoNeeded.deny(SECURITY, Optional.empty(), NOW))
                .isEqualTo(new PendingApproval.Decision.Denied(twoNeeded, SECURITY));
    }

    @Test
    void approvers_keepTheirOrder_withoutRepeats() {
        PendingApproval withRepeats = new PendingApproval("r", "rule", "a", "b", 3, List.of(LEAD, SECURITY, LEAD),
                NOW);
        assertThat(withRepeats.approvedBy()).containsExactly(LEAD, SECURITY);
        assertThat(withRepeats.missing()).isEqualTo(1);
    }
}
