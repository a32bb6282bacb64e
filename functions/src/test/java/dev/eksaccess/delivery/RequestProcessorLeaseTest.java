package dev.eksaccess.delivery;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.testing.AccessFixture;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Requests for one cluster and principal processed by concurrent invocations (two {@link RequestProcessor}s sharing
 * the ledger, grant states, leases and EKS, as Lambda instances share DynamoDB and EKS): the lease keeps them apart.
 */
class RequestProcessorLeaseTest {

    private static final String T0 = ",\"requestedAt\":\"2026-11-28T09:00:00Z\"";

    private final AccessFixture f = new AccessFixture();
    /** Two invocations of the processor. */
    private final RequestProcessor first = f.processor();
    private final RequestProcessor second = f.processor();

    private MessageResult send(RequestProcessor processor, String body) {
        MessageMeta meta = f.meta();
        return processor.process(f.parser.parse(body, meta), meta);
    }

    @Test
    void leaseHeldByAnotherInvocation_isRetriedShortly_withoutAnyEksCallOrRecord() {
        Instant now = f.clock.instant();
        f.leases.tryAcquire(CLUSTER.arn(), DEV, "other-invocation", now, now.plus(PrincipalLeases.DURATION));

        MessageResult result = send(first, grant(DEV, "AmazonEKSViewPolicy"));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(result.contended()).isTrue();
        assertThat(result.reason()).contains("another invocation is processing a request for the same cluster");
        assertThat(f.eks.calls).isEmpty();
        assertThat(f.ledger.history).isEmpty();
        assertThat(f.leases.holder(CLUSTER.arn(), DEV)).isEqualTo("other-invocation");
    }

    @Test
    void leaseOfAnotherPrincipal_doesNotHoldThisOneBack() {
        Instant now = f.clock.instant();
        f.leases.tryAcquire(CLUSTER.arn(), ADMIN, "other-invocation", now, now.plus(PrincipalLeases.DURATION));

        MessageResult result = send(first, grant(DEV, "AmazonEKSViewPolicy"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void expiredLeaseOfACrashedHolder_isTakenOver_andReleasedAfterwards() {
        Instant now = f.clock.instant();
        f.leases.tryAcquire(CLUSTER.arn(), DEV, "crashed-invocation", now, now.plus(PrincipalLeases.DURATION));
        f.clock.advance(PrincipalLeases.DURATION);

        MessageResult result = send(first, grant(DEV, "AmazonEKSViewPolicy"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(VIEW_ARN);
        assertThat(f.leases.holder(CLUSTER.arn(), DEV)).isNull();
    }

    @Test
    void lease_isReleasedOnlyByItsHolder() {
        Instant now = f.clock.instant();
        assertThat(f.leases.tryAcquire(CLUSTER.arn(), DEV, "a", now, now.plusSeconds(90))).isTrue();
        assertThat(f.leases.tryAcquire(CLUSTER.arn(), DEV, "b", now.plusSeconds(89), now.plusSeconds(179))).isFalse();

        assertThat(f.leases.release(CLUSTER.arn(), DEV, "b")).isFalse();
        assertThat(f.leases.holder(CLUSTER.arn(), DEV)).isEqualTo("a");
        assertThat(f.leases.release(CLUSTER.arn(), DEV, "a")).isTrue();
        assertThat(f.leases.release(CLUSTER.arn(), DEV, "a")).isFalse();
        assertThat(f.leases.tryAcquire(CLUSTER.arn(), DEV, "b", now, now.plusSeconds(90))).isTrue();
    }

    @Test
    void revokeRunningWhileAnotherInvocationRevokesEverything_isNotRejectedByTheOthersDeletion() throws Exception {
        // GIVEN a principal holding View, and a revoke of View paused inside its EKS work (found by FaultStormIT with
        // three pollers: the other invocation deleted the entry mid-way and this revoke ended "EKS: not found")
        send(first, grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", T0));
        Paused paused = pauseFirstDescribeCluster();
        CompletableFuture<MessageResult> revokeView = CompletableFuture.supplyAsync(() -> send(first,
                revoke(DEV, "AmazonEKSViewPolicy", ",\"requestId\":\"r1\",\"requestedAt\":\"2026-11-28T09:05:00Z\"")));
        paused.awaitInside();
        f.eks.calls.clear();

        // WHEN another invocation gets a newer revoke of everything meanwhile
        String revokeAll = revoke(DEV, null, ",\"requestId\":\"r2\",\"requestedAt\":\"2026-11-28T09:10:00Z\"");
        MessageResult concurrent = send(second, revokeAll);

        // THEN it waits, touching nothing, the paused revoke finishes, and the retry applies after it
        assertThat(concurrent.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(concurrent.contended()).isTrue();
        assertThat(f.eks.calls).isEmpty();
        paused.resume();
        MessageResult view = revokeView.get(5, TimeUnit.SECONDS);
        assertThat(view.outcome()).as(view.reason()).isEqualTo(Outcome.APPLIED);
        assertThat(view.reason()).contains("disassociated " + VIEW_ARN, "deleted the access entry");
        MessageResult retried = send(second, revokeAll);
        assertThat(retried.outcome()).as(retried.reason()).isEqualTo(Outcome.APPLIED);
        assertThat(f.cluster.entry(DEV)).isEmpty();
        assertThat(f.ledger.duplicates).isEmpty();
    }

    @Test
    void copyOfARequestInFlight_waits_andIsCountedOnceAsDuplicateAfterTheOriginalEndsFinal() throws Exception {
        // GIVEN one copy of a grant paused inside its EKS work, about to fail transiently
        String grant = grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"requestId\":\"g1\"" + T0);
        f.eks.failNextCallOf("associateAccessPolicy", new EksTransientException("Rate exceeded"));
        Paused paused = pauseFirstDescribeCluster();
        CompletableFuture<MessageResult> original = CompletableFuture.supplyAsync(() -> send(first, grant));
        paused.awaitInside();

        // WHEN another invocation gets a second copy meanwhile
        MessageResult copy = send(second, grant);

        // THEN the copy waits without any record (before: an "ignored" duplicate record, and a retry all the same)
        assertThat(copy.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(copy.contended()).isTrue();
        assertThat(f.ledger.history).isEmpty();
        paused.resume();
        assertThat(original.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        // AND both copies come back: the first to run applies, the other is then one ignored duplicate
        assertThat(send(second, grant).outcome()).isEqualTo(Outcome.APPLIED);
        MessageResult late = send(first, grant);
        assertThat(late.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(late.retry()).isFalse();
        assertThat(f.ledger.history).extracting(AuditRecord::outcome)
                .containsExactly(Outcome.FAILED_TRANSIENT, Outcome.APPLIED, Outcome.IGNORED);
        assertThat(f.ledger.duplicates).hasSize(1);
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(VIEW_ARN);
    }

    @Test
    void copyOutlivedByItsLease_thatFailsAfterTheTakeoverFinished_endsAsDuplicate_notRetried() throws Exception {
        // GIVEN a copy of a grant stalled beyond its lease, about to fail transiently
        String grant = grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"requestId\":\"g1\"" + T0);
        Paused paused = pauseFirstDescribeCluster();
        CompletableFuture<MessageResult> stalled = CompletableFuture.supplyAsync(() -> send(first, grant));
        paused.awaitInside();
        f.clock.advance(PrincipalLeases.DURATION.plusSeconds(1));

        // WHEN another copy takes the expired lease over and applies, and then the stalled one fails
        assertThat(send(second, grant).outcome()).isEqualTo(Outcome.APPLIED);
        f.eks.failNext(new EksTransientException("Rate exceeded"));
        paused.resume();
        MessageResult result = stalled.get(5, TimeUnit.SECONDS);

        // THEN the applied record stands, and the stalled copy is recorded once as a duplicate and acknowledged
        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.reason()).startsWith("duplicate delivery finished concurrently; this one ended "
                + "failed-transient");
        assertThat(f.ledger.only("g1").outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.ledger.duplicates).singleElement().extracting(AuditRecord::outcome).isEqualTo(Outcome.IGNORED);
    }

    @Test
    void grantThrottledWhileReadingAMissingCluster_isNotPending_soAnOlderGrantIsStillRejected() {
        // GIVEN a newer grant for a cluster that does not exist, throttled on its first read
        String newer = grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"requestId\":\"g2\",\"requestedAt\":\"2026-11-28T09:05:00Z\"").replace("payments-prod", "gone");
        f.eks.failNext(new EksTransientException("Rate exceeded"));
        assertThat(send(first, newer).outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);

        // WHEN an older grant for it comes
        MessageResult older = send(first, grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"requestId\":\"g1\"" + T0).replace("payments-prod", "gone"));

        // THEN it is rejected for what it is, not ignored as stale behind a grant that changed nothing
        assertThat(older.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(older.reason()).contains("does not exist");
    }

    /** Pauses the first thread that calls DescribeCluster until {@link #resume()}; other calls pass. */
    private Paused pauseFirstDescribeCluster() {
        Paused paused = new Paused();
        f.eks.onCall(operation -> {
            if (operation.startsWith("describeCluster") && paused.inside.getCount() > 0) {
                paused.inside.countDown();
                try {
                    if (!paused.resume.await(5, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never resumed");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return paused;
    }

    private static final class Paused {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);

        void awaitInside() throws InterruptedException {
            assertThat(inside.await(5, TimeUnit.SECONDS)).as("paused inside EKS").isTrue();
        }

        void resume() {
            resume.countDown();
        }
    }
}
