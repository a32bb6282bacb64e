package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.testing.FakeGrantStates;
import dev.eksaccess.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpirySweepHandlerTest {

    @Test
    void sweep_queuesARevokeForEachExpiredGrant_andLogsTheCount() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
        FakeGrantStates states = new FakeGrantStates();
        states.save(new GrantState("arn:aws:eks:eu-west-1:111122223333:cluster/c", "arn:aws:iam::111122223333:user/u",
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", true, clock.instant(), "g1",
                clock.instant().plus(Duration.ofMinutes(5))));
        List<String> sent = new ArrayList<>();
        List<String> logs = new ArrayList<>();
        ExpirySweepHandler handler = new ExpirySweepHandler(states, sent::add, clock, logs::add);

        String before = handler.handleRequest(null, null);
        clock.advance(Duration.ofMinutes(5));
        String after = handler.handleRequest(null, null);

        assertThat(before).contains("\"revocationsQueued\":0");
        assertThat(after).contains("\"revocationsQueued\":1");
        assertThat(sent).singleElement().asString().contains("\"action\":\"revoke\"", "\"requestedBy\":\"expiry-sweep\"",
                "\"accessPolicy\":\"AmazonEKSViewPolicy\"");
        assertThat(logs).hasSize(2);
    }

    @Test
    void priming_plansTheRevokeOfARepresentativeGrant_withoutTouchingAnyPort() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
        FakeGrantStates states = new FakeGrantStates();
        GrantState due = new GrantState("arn:aws:eks:eu-west-1:111122223333:cluster/c",
                "arn:aws:iam::111122223333:user/u", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", true,
                clock.instant().minus(Duration.ofHours(2)), "g1", clock.instant().minus(Duration.ofHours(1)));
        states.save(due);
        List<String> sent = new ArrayList<>();
        List<String> logs = new ArrayList<>();
        ExpirySweepHandler handler = new ExpirySweepHandler(states, sent::add, clock, logs::add);

        handler.beforeCheckpoint(null);
        List<String> primed = handler.prime();

        assertThat(sent).as("priming must not queue anything on the real queue").isEmpty();
        assertThat(logs).isEmpty();
        assertThat(states.findExpired(clock.instant(), 10)).as("the real store's due grant is left as it was")
                .containsExactly(due);
        assertThat(primed).singleElement().asString().contains("\"action\":\"revoke\"",
                "\"clusterArn\":\"arn:aws:eks:us-east-1:000000000000:cluster/priming\"",
                "\"principalArn\":\"arn:aws:iam::000000000000:role/priming\"",
                "\"requestedBy\":\"expiry-sweep\"");
    }
}
