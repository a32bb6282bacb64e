package dev.eksaccess.delivery;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.testing.AccessFixture;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.testing.TestSenders;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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
    void refusedRequest_takesNoLease_costsOneLedgerReadAndOneRecord_whileAnAllowedOneIsLeased() {
        // A sender flooding the queue with requests no rule allows: each is decided before any lease (flood benchmark)
        java.util.List<String> leased = new java.util.ArrayList<>();
        PrincipalLeases counting = new PrincipalLeases() {
            @Override
            public boolean tryAcquire(String clusterArn, String subject, String holder, Instant now, Instant until) {
                leased.add(subject);
                return f.leases.tryAcquire(clusterArn, subject, holder, now, until);
            }

            @Override
            public boolean release(String clusterArn, String subject, String holder) {
                return f.leases.release(clusterArn, subject, holder);
            }
        };
        RequestProcessor processor = new RequestProcessor(f.engine(), f.ledger, f.states, counting, f.clock,
                TestSenders.control(f.engine(), f.pending, f.outcomes, f.clock));

        MessageResult refused = send(processor, grant(DEV, "AmazonEKSClusterAdminPolicy"));

        assertThat(refused.outcome()).as(refused.reason()).isEqualTo(Outcome.REJECTED);
        assertThat(refused.reason()).startsWith("not allowed: ");
        assertThat(leased).isEmpty();
        assertThat(f.eks.calls).isEmpty();
        assertThat(f.ledger.history).hasSize(1);

        MessageResult allowed = send(processor, grant(DEV, "AmazonEKSViewPolicy"));

        assertThat(allowed.outcome()).as(allowed.reason()).isEqualTo(Outcome.APPLIED);
        assertThat(leased).containsExactly(DEV);
    }

    @Test
    void refusedRequest_isRejectedAtOnce_evenWhileItsPrincipalsLeaseIsHeld() {
        Instant now = f.clock.instant();
        f.leases.tryAcquire(CLUSTER.arn(), DEV, "other-invocation", now, now.plus(PrincipalLeases.DURATION));

        MessageResult refused = send(first, grant(DEV, "AmazonEKSClusterAdminPolicy"));

        assertThat(refused.outcome()).as(refused.reason()).isEqualTo(Outcome.REJECTED);
        assertThat(f.leases.holder(CLUSTER.arn(), DEV)).isEqualTo("other-invocation");
    }

    @Test
    void refusedRequest_sentTwice_isRecordedOnce_thenIgnoredAsADuplicate() {
        String body = grant(DEV, "AmazonEKSClusterAdminPolicy", "{\"type\":\"cluster\"}", ",\"requestId\":\"r-refused\"");

        assertThat(send(first, body).outcome()).isEqualTo(Outcome.REJECTED);
        MessageResult again = send(second, body);

        assertThat(again.outcome()).as(again.reason()).isEqualTo(Outcome.IGNORED);
        assertThat(again.reason()).contains("duplicate of request r-refused, already rejected");
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

    /** One thread per task: the common pool may have a single thread on a small machine, and a task here blocks. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void concurrentRevokesOfTheLastTwoClusterAdmins_areSerializedPerCluster_andTheSecondIsRefused() throws Exception {
        // GIVEN two team principals holding cluster admin at cluster scope, and nobody else (the creator lost it)
        String ops = "arn:aws:iam::111122223333:role/ops";
        Map<String, String> managed = Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE);
        f.cluster.withEntry(DEV, "STANDARD", managed, CLUSTER_ADMIN_ARN)
                .withEntry(ops, "STANDARD", managed, CLUSTER_ADMIN_ARN);
        f.eks.disassociateAccessPolicy(CLUSTER, CREATOR, CLUSTER_ADMIN_ARN);
        // AND a revoke of DEV's admin paused inside its EKS work, on one thread, before its "last admin" check
        Paused paused = pauseFirstDescribeCluster();
        CompletableFuture<MessageResult> revokeDev = CompletableFuture.supplyAsync(() -> sendAsSweep(first,
                revokeAsSweep(DEV, CLUSTER_ADMIN_ARN)), threads);
        paused.awaitInside();
        f.eks.calls.clear();

        // WHEN another invocation, on another thread, revokes OPS's admin meanwhile
        String revokeOps = revokeAsSweep(ops, CLUSTER_ADMIN_ARN);
        MessageResult whileDevRuns = CompletableFuture.supplyAsync(() -> sendAsSweep(second, revokeOps), threads)
                .get(5, TimeUnit.SECONDS);

        // THEN it waits for the cluster's admin-removal lease (its own principal's lease was free), touching nothing
        assertThat(whileDevRuns.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(whileDevRuns.contended()).isTrue();
        assertThat(whileDevRuns.reason()).contains("may remove an admin-class policy on the same cluster");
        assertThat(f.eks.calls).isEmpty();
        paused.resume();
        MessageResult dev = revokeDev.get(5, TimeUnit.SECONDS);
        assertThat(dev.outcome()).as(dev.reason()).isEqualTo(Outcome.APPLIED);
        // AND its retry, after DEV's revoke, finds OPS the last admin and is refused: one admin is left, not none
        MessageResult retried = sendAsSweep(second, revokeOps);
        assertThat(retried.outcome()).as(retried.reason()).isEqualTo(Outcome.REJECTED);
        assertThat(retried.reason()).contains(ops + " is the last one holding AmazonEKSClusterAdminPolicy");
        assertThat(f.cluster.policies(ops)).containsEntry(CLUSTER_ADMIN_ARN, AccessScope.cluster());
        assertThat(f.leases.holder(CLUSTER.arn(), RequestProcessor.ADMIN_REMOVAL_SUBJECT)).isNull();
    }

    @Test
    void revokeOfANonAdminPolicy_doesNotWaitForAnAdminRemovalOnTheCluster() throws Exception {
        Instant now = f.clock.instant();
        f.leases.tryAcquire(CLUSTER.arn(), RequestProcessor.ADMIN_REMOVAL_SUBJECT, "admin-revoke", now,
                now.plus(PrincipalLeases.DURATION));
        send(first, grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", T0));

        MessageResult view = send(second, revoke(DEV, "AmazonEKSViewPolicy",
                ",\"requestedAt\":\"2026-11-28T09:05:00Z\""));
        MessageResult all = send(second, revoke(DEV, null, ",\"requestedAt\":\"2026-11-28T09:06:00Z\""));

        assertThat(view.outcome()).as(view.reason()).isEqualTo(Outcome.APPLIED);
        assertThat(all.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(all.contended()).as("a revoke of everything may include an admin-class policy").isTrue();
    }

    @Test
    void mayRemoveAdminClass_coversRevokesOfAdminClassPolicies_revokesOfEverything_andNarrowingGrants() {
        assertThat(RequestProcessor.mayRemoveAdminClass(f.request(revoke(DEV, "AmazonEKSClusterAdminPolicy", ""))))
                .isTrue();
        assertThat(RequestProcessor.mayRemoveAdminClass(f.request(revoke(DEV, "AmazonEKSAdminPolicy", "")))).isTrue();
        assertThat(RequestProcessor.mayRemoveAdminClass(f.request(revoke(DEV, null, "")))).isTrue();
        assertThat(RequestProcessor.mayRemoveAdminClass(f.request(grant(DEV, "AmazonEKSClusterAdminPolicy",
                "{\"type\":\"namespace\",\"namespaces\":[\"payments\"]}", "")))).isTrue();
        assertThat(RequestProcessor.mayRemoveAdminClass(f.request(revoke(DEV, "AmazonEKSViewPolicy", "")))).isFalse();
        assertThat(RequestProcessor.mayRemoveAdminClass(f.request(grant(DEV, "AmazonEKSClusterAdminPolicy"))))
                .isFalse();
        assertThat(RequestProcessor.mayRemoveAdminClass(f.request(grant(DEV, "AmazonEKSViewPolicy",
                "{\"type\":\"namespace\",\"namespaces\":[\"payments\"]}", "")))).isFalse();
    }

    /** The expiry sweep's revoke of {@code policyArn}, as it queues it (an internal sender, allowed every policy). */
    private MessageResult sendAsSweep(RequestProcessor processor, String body) {
        MessageMeta meta = f.meta(TestSenders.EXPIRY_SWEEP_SENDER);
        return processor.process(f.parser.parse(body, meta), meta);
    }

    private static String revokeAsSweep(String principal, String policyArn) {
        GrantState expired = new GrantState(CLUSTER.arn(), principal, policyArn, true,
                Instant.parse("2026-11-28T08:00:00Z"), "g-" + principal.hashCode(), Instant.parse("2026-11-28T09:00:00Z"));
        return ExpirySweep.revocationOf(expired).orElseThrow().toJson();
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
