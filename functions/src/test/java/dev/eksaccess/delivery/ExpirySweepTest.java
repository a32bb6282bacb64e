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
}
