package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.access.GrantState;
import dev.eksaccess.access.testing.FakeGrantStates;
import dev.eksaccess.access.testing.MutableClock;
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
}
