package dev.eksaccess.delivery;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.testing.AccessFixture;
import dev.eksaccess.testing.TestSenders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpirySweepTest {

    private final AccessFixture f = new AccessFixture();
    private final RequestProcessor processor = f.processor();
    private final List<String> queue = new ArrayList<>();
    private final ExpirySweep sweep = new ExpirySweep(f.states, f.pending, queue::add, f.clock);

    private MessageResult send(String body) {
        return sendAs(TestSenders.TEAM_SENDER, body);
    }

    private MessageResult sendAs(String senderId, String body) {
        MessageMeta meta = f.meta(senderId);
        return processor.process(f.parser.parse(body, meta), meta);
    }

    @Test
    void expiredGrant_isRevokedThroughTheQueue_withinAMinuteOfExpiry() {
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"duration\":\"PT1H\""));
        f.clock.advance(Duration.ofMinutes(59));
        assertThat(sweep.sweep()).isZero();

        f.clock.advance(Duration.ofMinutes(1));
        assertThat(sweep.sweep()).isEqualTo(1);
        MessageResult revoked = sendAs(TestSenders.EXPIRY_SWEEP_SENDER, queue.getFirst());

        assertThat(revoked.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.cluster.entry(DEV)).isEmpty();
        AuditRecord record = f.ledger.only(revoked.requestId());
        assertThat(record.requestedBy()).isEqualTo("expiry-sweep");
        assertThat(record.reason()).contains("expired at 2026-11-28T11:00:00Z");
    }

    @Test
    void revocation_isQueuedOnce() {
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"duration\":\"PT1H\""));
        f.clock.advance(Duration.ofHours(2));

        sweep.sweep();
        sweep.sweep();

        assertThat(queue).hasSize(1);
    }

    @Test
    void revokeMessage_isTheSameForTheSameGrant_soARepeatedSendIsADuplicate() {
        GrantState state = new GrantState(CLUSTER.arn(), DEV, VIEW_ARN, true, START, "g1",
                Instant.parse("2026-11-28T11:00:00Z"));

        AccessRequest first = ExpirySweep.revocationOf(state).orElseThrow();
        AccessRequest second = ExpirySweep.revocationOf(state).orElseThrow();

        assertThat(first).isEqualTo(second);
        assertThat(first.requestedAt()).isEqualTo(state.expiresAt());
        assertThat(first.policyName()).isEqualTo("AmazonEKSViewPolicy");
    }

    @Test
    void grantRenewedAfterTheSweepQueuedItsRevoke_winsOverTheLateRevoke() {
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"duration\":\"PT1H\""));
        f.clock.advance(Duration.ofMinutes(61));
        sweep.sweep();
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"duration\":\"PT2H\""));

        MessageResult lateRevoke = sendAs(TestSenders.EXPIRY_SWEEP_SENDER, queue.getFirst());

        assertThat(lateRevoke.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(VIEW_ARN);
        f.clock.advance(Duration.ofHours(2));
        assertThat(sweep.sweep()).isEqualTo(1);
    }

    @Test
    void grantWithoutExpiry_isNeverSwept() {
        send(grant(DEV, "AmazonEKSViewPolicy"));
        f.clock.advance(Duration.ofDays(30));

        assertThat(sweep.sweep()).isZero();
    }

    @Test
    void expiryRevokeRefusedAsTheLastClusterAdmin_keepsTheGrantOverdue_alarms_andIsReportedEveryRun() {
        // GIVEN DEV holds cluster admin until 11:00, granted by eks-access, and nobody else holds it at cluster scope
        seedExpiringGrant(DEV, CLUSTER_ADMIN_ARN);
        f.eks.disassociateAccessPolicy(CLUSTER, CREATOR, CLUSTER_ADMIN_ARN);
        f.clock.advance(Duration.ofMinutes(61));
        assertThat(sweep.sweep()).isEqualTo(1);

        // WHEN the processor gets the sweep's revoke
        MessageResult refused = sendAs(TestSenders.EXPIRY_SWEEP_SENDER, queue.getFirst());

        // THEN it is refused with the reason, as an alarm (ERROR line with an errorType) and a rejected event
        assertThat(refused.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(refused.errorType()).isEqualTo(RequestProcessor.EXPIRY_REVOKE_REFUSED);
        assertThat(refused.reason()).contains("expiry revoke refused", "is the last one holding "
                + "AmazonEKSClusterAdminPolicy", "kept on record as overdue");
        assertThat(f.ledger.only(refused.requestId()).outcomeReason()).contains("overdue");
        assertThat(f.outcomes.statesOf(refused.requestId())).contains("rejected");
        // AND the grant stays: in EKS, in its state, and marked overdue, not queued again but reported every run
        assertThat(f.cluster.policies(DEV)).containsKey(CLUSTER_ADMIN_ARN);
        assertThat(f.states.find(CLUSTER.arn(), DEV, CLUSTER_ADMIN_ARN).orElseThrow().granted()).isTrue();
        assertThat(sweep.sweep()).isZero();
        assertThat(sweep.overdue()).extracting(GrantState::principalArn).containsExactly(DEV);
        assertThat(ExpirySweep.overdueAlarm(sweep.overdue())).hasValueSatisfying(line -> {
            assertThat(line.level()).isEqualTo(dev.eksaccess.log.Level.ERROR);
            assertThat(line.reason()).contains("1 time-bound grant(s) outlived their expiry");
        });
    }

    @Test
    void overdueGrant_leavesTheOverdueListOnceANewerRequestIsApplied() {
        seedExpiringGrant(DEV, CLUSTER_ADMIN_ARN);
        f.eks.disassociateAccessPolicy(CLUSTER, CREATOR, CLUSTER_ADMIN_ARN);
        f.clock.advance(Duration.ofMinutes(61));
        sweep.sweep();
        sendAs(TestSenders.EXPIRY_SWEEP_SENDER, queue.getFirst());
        assertThat(sweep.overdue()).hasSize(1);

        f.states.save(new GrantState(CLUSTER.arn(), DEV, CLUSTER_ADMIN_ARN, false, f.clock.instant(), "operator-revoke",
                null));

        assertThat(sweep.overdue()).isEmpty();
        assertThat(ExpirySweep.overdueAlarm(sweep.overdue())).isEmpty();
    }

    @Test
    void expiryRevokeRejectedForAnotherReason_isNotKeptOverdue() {
        // a cluster being deleted meanwhile: no safety rule is involved
        seedExpiringGrant(DEV, VIEW_ARN);
        f.cluster.status = "DELETING";
        f.clock.advance(Duration.ofMinutes(61));
        sweep.sweep();

        MessageResult rejected = sendAs(TestSenders.EXPIRY_SWEEP_SENDER, queue.getFirst());

        assertThat(rejected.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(rejected.reason()).contains("cluster is DELETING");
        assertThat(rejected.errorType()).isNull();
        assertThat(sweep.overdue()).isEmpty();
    }

    /** A grant of {@code policyArn} that eks-access made for DEV at START, until an hour later. */
    private void seedExpiringGrant(String principal, String policyArn) {
        f.cluster.withEntry(principal, "STANDARD", java.util.Map.of(dev.eksaccess.eks.AccessEntry.MANAGED_BY_TAG,
                dev.eksaccess.eks.AccessEntry.MANAGED_BY_VALUE), policyArn);
        f.states.save(new GrantState(CLUSTER.arn(), principal, policyArn, true, START, "g1",
                START.plus(Duration.ofHours(1))));
    }
}
