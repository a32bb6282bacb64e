package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.testing.FakePendingApprovals;
import dev.eksaccess.testing.FakeGrantStates;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpirySweepHandlerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final FakeGrantStates states = new FakeGrantStates();
    private final List<String> sent = new ArrayList<>();
    private final List<String> logs = new ArrayList<>();

    @Test
    void overdueGrant_raisesTheAlarmEveryRun_untilResolved() {
        GrantState grant = new GrantState("arn:aws:eks:eu-west-1:111122223333:cluster/c",
                "arn:aws:iam::111122223333:user/u", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                true, clock.instant(), "g1", clock.instant().plus(Duration.ofMinutes(5)));
        states.save(grant);
        states.markOverdue(grant, "last cluster admin", clock.instant());
        ExpirySweepHandler handler = new ExpirySweepHandler(states, new FakePendingApprovals(), sent::add, clock, logs::add);

        handler.handleRequest(null, new FakeLambdaContext("111122223333"));
        handler.handleRequest(null, new FakeLambdaContext("111122223333"));

        assertThat(sent).isEmpty();
        assertThat(logs).filteredOn(line -> line.contains("\"level\":\"ERROR\"")).hasSize(2).allSatisfy(line ->
                assertThat(line).contains("\"outcome\":\"overdue\"", "\"errorType\":\"OverdueGrants\"",
                        "\"overdueGrants\":1", "\"principalArn\":\"arn:aws:iam::111122223333:user/u\""));
        states.save(new GrantState(grant.clusterArn(), grant.principalArn(), grant.policyArn(), false,
                clock.instant().plusSeconds(1), "revoke", null));
        logs.clear();
        handler.handleRequest(null, new FakeLambdaContext("111122223333"));
        assertThat(logs).singleElement().asString().contains("\"level\":\"INFO\"");
    }

    @Test
    void sweep_queuesARevokeForEachExpiredGrant_andLogsTheCountInTheEnvelope() {
        states.save(new GrantState("arn:aws:eks:eu-west-1:111122223333:cluster/c", "arn:aws:iam::111122223333:user/u",
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", true, clock.instant(), "g1",
                clock.instant().plus(Duration.ofMinutes(5))));
        ExpirySweepHandler handler = new ExpirySweepHandler(states, new FakePendingApprovals(), sent::add, clock, logs::add);
        FakeLambdaContext first = new FakeLambdaContext("111122223333");
        FakeLambdaContext second = new FakeLambdaContext("111122223333");

        String before = handler.handleRequest(null, first);
        clock.advance(Duration.ofMinutes(5));
        String after = handler.handleRequest(null, second);

        assertThat(sent).singleElement().asString().contains("\"action\":\"revoke\"", "\"requestedBy\":\"expiry-sweep\"",
                "\"accessPolicy\":\"AmazonEKSViewPolicy\"");
        assertThat(logs).containsExactly(before, after);
        assertThat(before).isEqualTo("{\"timestamp\":\"2026-11-28T10:00:00.000Z\",\"level\":\"INFO\","
                + "\"function\":\"expiry-sweep\",\"awsRequestId\":\"" + first.getAwsRequestId() + "\","
                + "\"coldStart\":true,"
                + "\"outcome\":\"swept\",\"reason\":\"no time-bound grant and no wait for approval was due\",\"revocationsQueued\":0}");
        assertThat(after).isEqualTo("{\"timestamp\":\"2026-11-28T10:05:00.000Z\",\"level\":\"INFO\","
                + "\"function\":\"expiry-sweep\",\"awsRequestId\":\"" + second.getAwsRequestId() + "\","
                + "\"coldStart\":false,\"outcome\":\"swept\","
                + "\"reason\":\"1 expired grant(s) or approval wait(s): a revoke or expire message queued for each\",\"revocationsQueued\":1}");
    }

    @Test
    void queueOutage_isLoggedAsAnError_andRethrown_theNextRunBeingTheRetry() {
        states.save(new GrantState("arn:aws:eks:eu-west-1:111122223333:cluster/c", "arn:aws:iam::111122223333:user/u",
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", true, clock.instant(), "g1",
                clock.instant()));
        ExpirySweepHandler handler = new ExpirySweepHandler(states, new FakePendingApprovals(), body -> {
            throw new IllegalStateException("SQS is unavailable (simulated)");
        }, clock, logs::add);

        assertThatThrownBy(() -> handler.handleRequest(null, null)).hasMessageContaining("SQS is unavailable");

        assertThat(logs).containsExactly("{\"timestamp\":\"2026-11-28T10:00:00.000Z\",\"level\":\"ERROR\","
                + "\"function\":\"expiry-sweep\",\"awsRequestId\":null,\"coldStart\":true,\"outcome\":\"error\","
                + "\"reason\":\"SQS is unavailable (simulated)\",\"errorType\":\"IllegalStateException\","
                + "\"retried\":false}");
    }

    @Test
    void priming_plansTheRevokeOfARepresentativeGrant_withoutTouchingAnyPort() {
        GrantState due = new GrantState("arn:aws:eks:eu-west-1:111122223333:cluster/c",
                "arn:aws:iam::111122223333:user/u", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", true,
                clock.instant().minus(Duration.ofHours(2)), "g1", clock.instant().minus(Duration.ofHours(1)));
        states.save(due);
        ExpirySweepHandler handler = new ExpirySweepHandler(states, new FakePendingApprovals(), sent::add, clock, logs::add);

        handler.priming().beforeCheckpoint(null);
        String primed = handler.priming().prime();

        assertThat(sent).as("priming must not queue anything on the real queue").isEmpty();
        assertThat(logs).isEmpty();
        assertThat(states.findExpired(clock.instant(), 10)).as("the real store's due grant is left as it was")
                .containsExactly(due);
        assertThat(primed).contains("\"action\":\"revoke\"",
                "\"clusterArn\":\"arn:aws:eks:us-east-1:000000000000:cluster/priming\"",
                "\"principalArn\":\"arn:aws:iam::000000000000:role/priming\"",
                "\"requestedBy\":\"expiry-sweep\"");
    }
}
