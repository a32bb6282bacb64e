package dev.eksaccess.delivery;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testing.AccessFixture;
import dev.eksaccess.testing.RepoFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {

    private final AccessFixture f = new AccessFixture();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final InvocationLog log = new FunctionLog("grant-processor", f.clock, logs::add).begin("req-1");
    private final BatchProcessor batch = new BatchProcessor(f.parser, f.processor(), delays::put, 4);
    private final List<InboundMessage> messages = new ArrayList<>();

    @AfterEach
    void close() {
        batch.close();
        waiting.close();
    }

    private String add(String body, int receiveCount) {
        MessageMeta meta = f.meta();
        meta = new MessageMeta(meta.messageId(), meta.sentAt(), meta.senderId(), receiveCount);
        messages.add(new InboundMessage(body, meta, "receipt-" + meta.messageId()));
        return meta.messageId();
    }

    // ---- a bootstrap waiting for its cluster (BootstrapWaits) ----

    private static final String BOOTSTRAP_ID = "bootstrap:" + dev.eksaccess.testing.FakeRegistry.EVENT_ID;
    private final List<String> copies = new CopyOnWriteArrayList<>();
    private final BootstrapWaits waits = (request, delay) -> {
        copies.add(request.requestId() + " after " + delay);
        return "copy-" + copies.size();
    };
    private final BatchProcessor waiting = new BatchProcessor(f.parser, f.processor(), delays::put, waits, 2);

    private String addAs(String senderId, int receiveCount) {
        MessageMeta meta = f.meta(senderId);
        meta = new MessageMeta(meta.messageId(), meta.sentAt(), meta.senderId(), receiveCount);
        messages.add(new InboundMessage(RepoFiles.request("bootstrap.json"), meta, "receipt-" + meta.messageId()));
        return meta.messageId();
    }

    @Test
    void bootstrapOfACreatingCluster_isSentAgainAfterAFixedDelay_andItsMessageIsDone_whateverItsReceiveCount() {
        f.cluster.status = ClusterState.CREATING;
        String first = addAs(TestSenders.CLUSTER_CREATION_SENDER, 1);
        String late = addAs(TestSenders.GRANT_PROCESSOR_SENDER, 7);

        List<String> failed = waiting.process(messages, log);

        assertThat(failed).isEmpty();
        assertThat(delays).isEmpty();
        assertThat(copies).containsExactly(BOOTSTRAP_ID + " after PT30S", BOOTSTRAP_ID + " after PT30S");
        assertThat(logs).anySatisfy(l -> assertThat(l).contains("\"messageId\":\"" + first + "\"",
                "\"outcome\":\"failed-transient\"", "cluster is CREATING; waiting for ACTIVE; checked again in 30 s "
                        + "by message copy-1", "\"continuedAs\":\"copy-1\""));
        assertThat(logs).anySatisfy(l -> assertThat(l).contains("\"messageId\":\"" + late + "\"", "copy-2"));
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.PENDING);
    }

    @Test
    void theProcessorsOwnCopy_bootstrapsTheClusterOnceActive() {
        String copy = addAs(TestSenders.GRANT_PROCESSOR_SENDER, 1);

        assertThat(waiting.process(messages, log)).isEmpty();

        assertThat(copies).isEmpty();
        assertThat(f.cluster.policies(ADMIN)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.DONE);
        assertThat(logs).anySatisfy(l -> assertThat(l).contains(copy, "\"outcome\":\"applied\""));
    }

    @Test
    void aCopyThatCannotBeSent_keepsTheMessage_retriedWithTheBackoff() {
        f.cluster.status = ClusterState.CREATING;
        BatchProcessor unsendable = new BatchProcessor(f.parser, f.processor(), delays::put, (request, delay) -> {
            throw new IllegalStateException("SQS unavailable");
        }, 2);
        String id = addAs(TestSenders.CLUSTER_CREATION_SENDER, 2);

        List<String> failed = unsendable.process(messages, log);
        unsendable.close();

        assertThat(failed).containsExactly(id);
        assertThat(delays).containsExactly(Map.entry("receipt-" + id, Duration.ofMinutes(1)));
        assertThat(logs).anySatisfy(l -> assertThat(l).contains("\"level\":\"WARN\"",
                "\"outcome\":\"bootstrap-resend-failed\"", "SQS unavailable"));
        assertThat(logs).noneMatch(l -> l.contains("continuedAs"));
    }

    @Test
    void aClusterStillCreatingAtTheDeadline_endsBlocked_withAnErrorLine_andIsNotSentAgain() {
        f.cluster.status = ClusterState.CREATING;
        f.clock.set(Instant.parse("2026-11-28T09:00:00Z").plus(dev.eksaccess.engine.AccessEngine.BOOTSTRAP_DEADLINE));
        addAs(TestSenders.GRANT_PROCESSOR_SENDER, 1);

        assertThat(waiting.process(messages, log)).isEmpty();

        assertThat(copies).isEmpty();
        assertThat(f.registry.find(CLUSTER.arn()).orElseThrow().bootstrapStatus()).isEqualTo(BootstrapStatus.BLOCKED);
        assertThat(logs).singleElement().asString().contains("\"level\":\"ERROR\"", "\"outcome\":\"rejected\"",
                "\"errorType\":\"BootstrapDeadlineExceeded\"", "deadline of 120 minutes");
    }

    @Test
    void aThrottledBootstrap_isRetriedWithTheBackoff_notSentAgain() {
        f.eks.failNext(new EksTransientException("Rate exceeded"));
        String id = addAs(TestSenders.CLUSTER_CREATION_SENDER, 1);

        assertThat(waiting.process(messages, log)).containsExactly(id);

        assertThat(copies).isEmpty();
        assertThat(delays).containsExactly(Map.entry("receipt-" + id, Duration.ofSeconds(30)));
    }

    @Test
    void onlyTransientFailuresAreReported_rejectionsAndMalformedJsonAreAcknowledged() {
        String malformed = add(RepoFiles.request("invalid-malformed-json.json"), 1);
        String applied = add(RepoFiles.request("grant-cluster-view.json"), 1);
        String unknownCluster = add(grant("arn:aws:iam::111122223333:role/x", "AmazonEKSViewPolicy")
                .replace("payments-prod", "gone"), 1);

        List<String> failed = batch.process(messages, log);

        assertThat(failed).isEmpty();
        assertThat(f.ledger.all()).extracting(AuditRecord::requestId)
                .containsExactlyInAnyOrder(malformed, applied, unknownCluster);
        assertThat(logs).anySatisfy(l -> assertThat(l).contains("\"requestId\":\"" + malformed + "\"",
                "\"outcome\":\"rejected\"", "\"reason\":\"message: is not valid JSON"));
    }

    @Test
    void transientFailure_isReported_andDelayedByItsReceiveCount() {
        f.eks.failNext(new EksTransientException("Rate exceeded"));
        String throttled = add(grant(DEV, "AmazonEKSViewPolicy"), 3);

        List<String> failed = batch.process(messages, log);

        assertThat(failed).containsExactly(throttled);
        assertThat(delays).containsExactly(Map.entry("receipt-" + throttled, Duration.ofMinutes(2)));
    }

    @Test
    void laterMessagesForTheSamePrincipal_areHeldBackAfterATransientFailure_soOrderHolds() {
        f.eks.failNext(new EksTransientException("Rate exceeded"));
        String grant = add(grant(DEV, "AmazonEKSViewPolicy"), 1);
        String revoke = add(revoke(DEV, "AmazonEKSViewPolicy", ""), 1);

        List<String> failed = batch.process(messages, log);

        assertThat(failed).containsExactly(grant, revoke);
        assertThat(f.eks.calls).hasSize(1);
        assertThat(logs).anySatisfy(l -> assertThat(l).contains(revoke, "held back to keep order"));
    }

    @Test
    void messagesForTheSamePrincipal_runInBatchOrder() {
        add(grant(DEV, "AmazonEKSViewPolicy"), 1);
        add(revoke(DEV, "AmazonEKSViewPolicy", ""), 1);
        add(grant(DEV, "AmazonEKSEditPolicy"), 1);

        assertThat(batch.process(messages, log)).isEmpty();

        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(EDIT_ARN);
    }

    @Test
    void messagesForDifferentPrincipals_runConcurrently() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        java.util.concurrent.atomic.AtomicBoolean waitedInVain = new java.util.concurrent.atomic.AtomicBoolean();
        BatchProcessor concurrent = new BatchProcessor(f.parser, f.processor(), delays::put, 4);
        // Each group waits until the other has started: this completes only if they run at the same time.
        f.eks.onCall(call -> {
            if (call.startsWith("describeCluster")) {
                bothStarted.countDown();
                try {
                    if (!bothStarted.await(5, TimeUnit.SECONDS)) {
                        waitedInVain.set(true);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        add(grant(DEV, "AmazonEKSViewPolicy"), 1);
        add(grant("arn:aws:iam::111122223333:role/other", "AmazonEKSViewPolicy"), 1);

        List<String> failed = concurrent.process(messages, log);
        concurrent.close();

        assertThat(failed).isEmpty();
        assertThat(waitedInVain).isFalse();
    }

    @Test
    void unexpectedFailure_isRetriedNotAcknowledged_andLoggedAsAnError() {
        BatchProcessor broken = new BatchProcessor(f.parser, new RequestProcessor(f.engine(), new BrokenLedger(),
                f.states, f.leases, f.clock, TestSenders.control(f.engine(), f.pending, f.outcomes, f.clock)), delays::put, 2);
        String id = add(grant(DEV, "AmazonEKSViewPolicy"), 1);

        assertThat(broken.process(messages, log)).containsExactly(id);
        broken.close();
        assertThat(logs).singleElement().asString().contains("\"level\":\"ERROR\"",
                "\"outcome\":\"failed-transient\",\"reason\":\"unexpected IllegalStateException: ledger down\","
                        + "\"errorType\":\"IllegalStateException\"");
    }

    @Test
    void leaseHeldByAnotherInvocation_isRetriedAfterAShortDelay_andSoIsItsHeldBackSuccessor() {
        Instant now = f.clock.instant();
        f.leases.tryAcquire(CLUSTER.arn(), DEV, "other-invocation", now, now.plus(PrincipalLeases.DURATION));
        String waiting = add(grant(DEV, "AmazonEKSViewPolicy"), 2);
        String heldBack = add(revoke(DEV, "AmazonEKSViewPolicy", ""), 1);

        List<String> failed = batch.process(messages, log);

        assertThat(failed).containsExactly(waiting, heldBack);
        assertThat(delays).containsExactlyInAnyOrderEntriesOf(Map.of("receipt-" + waiting, Duration.ofSeconds(10),
                "receipt-" + heldBack, Duration.ofSeconds(5)));
        assertThat(f.eks.calls).isEmpty();
    }

    @Test
    void logLines_carryTheEnvelope_thenTheirOwnFieldsInAFixedOrder() {
        f.eks.failNext(new EksTransientException("Rate exceeded"));
        String throttled = add(grant(DEV, "AmazonEKSViewPolicy"), 2);
        String rejected = add(revoke(DEV, "AmazonEKSViewPolicy", ",\"a b\":1"), 1);
        BatchProcessor undelayable = new BatchProcessor(f.parser, f.processor(), (receipt, delay) -> {
            throw new IllegalStateException((String) null);
        }, 1);

        undelayable.process(messages, log);
        undelayable.close();

        String envelope = "{\"timestamp\":\"2026-11-28T10:00:00.000Z\",\"level\":\"WARN\","
                + "\"function\":\"grant-processor\",\"awsRequestId\":\"req-1\",\"coldStart\":true,";
        assertThat(logs).containsExactly(
                envelope + "\"messageId\":\"" + throttled + "\",\"requestId\":\"" + throttled + "\","
                        + "\"outcome\":\"failed-transient\",\"reason\":\"EKS: Rate exceeded\","
                        + "\"clusterArn\":\"" + CLUSTER.arn() + "\",\"principalArn\":\"" + DEV + "\","
                        + "\"receiveCount\":2}",
                envelope + "\"messageId\":\"" + throttled + "\",\"requestId\":\"" + throttled + "\","
                        + "\"outcome\":\"retry-delay-failed\",\"reason\":\"the retry delay could not be set (null); "
                        + "the message comes back after the queue's visibility timeout instead\","
                        + "\"errorType\":\"IllegalStateException\",\"receiveCount\":2}",
                envelope + "\"messageId\":\"" + rejected + "\",\"requestId\":\"" + rejected + "\","
                        + "\"outcome\":\"rejected\",\"reason\":\"\\\"a b\\\": unknown field\","
                        + "\"clusterArn\":\"" + CLUSTER.arn() + "\",\"principalArn\":\"" + DEV + "\","
                        + "\"receiveCount\":1}");
    }

    @Test
    void contentionBackoff_growsFrom5SecondsAndIsCappedAtTheLeaseDuration() {
        assertThat(RetryScheduler.contentionBackoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(RetryScheduler.contentionBackoff(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(RetryScheduler.contentionBackoff(5)).isEqualTo(Duration.ofSeconds(80));
        assertThat(RetryScheduler.contentionBackoff(6)).isEqualTo(PrincipalLeases.DURATION);
        assertThat(RetryScheduler.contentionBackoff(100)).isEqualTo(PrincipalLeases.DURATION);
    }

    @Test
    void backoff_growsFrom30SecondsAndIsCappedAt15Minutes() {
        assertThat(RetryScheduler.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryScheduler.backoff(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RetryScheduler.backoff(5)).isEqualTo(Duration.ofMinutes(8));
        assertThat(RetryScheduler.backoff(6)).isEqualTo(Duration.ofMinutes(15));
        assertThat(RetryScheduler.backoff(100)).isEqualTo(Duration.ofMinutes(15));
    }

    private static final class BrokenLedger implements AuditLedger {
        @Override
        public java.util.Optional<AuditRecord> find(String clusterArn, String senderKey, String requestId) {
            throw new IllegalStateException("ledger down");
        }

        @Override
        public boolean record(AuditRecord record) {
            throw new IllegalStateException("ledger down");
        }

        @Override
        public java.util.List<AuditRecord> findByRequestId(String requestId) {
            throw new IllegalStateException("ledger down");
        }

        @Override
        public void recordDuplicate(AuditRecord record) {
            throw new IllegalStateException("ledger down");
        }
    }
}
