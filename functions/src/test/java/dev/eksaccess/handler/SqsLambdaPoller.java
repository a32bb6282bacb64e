package dev.eksaccess.handler;

import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testsupport.EventSourceMappingPoller;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Step-by-step driving of the grant processor from a queue, for tests that assert between receives: one
 * {@link EventSourceMappingPoller} round at a time (batches, attributes, deletes and redrive as Lambda's SQS event
 * source mapping does them), with sending in the same place.
 */
final class SqsLambdaPoller {

    private final SqsClient sqs;
    private final String queueUrl;
    private final EventSourceMappingPoller poller;

    SqsLambdaPoller(SqsClient sqs, String queueUrl, GrantRequestHandler handler) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.poller = new EventSourceMappingPoller(sqs, queueUrl, handler, GrantQueueSettings.BATCH_SIZE, Duration.ZERO,
                () -> new FakeLambdaContext("111122223333"));
    }

    /** One receive-invoke-delete round; returns the ids reported as failed (empty when nothing was received). */
    List<String> pollOnce() {
        EventSourceMappingPoller.Invocation invocation = poller.pollOnce(Duration.ofSeconds(1));
        return invocation == null ? List.of() : invocation.failedIds();
    }

    /** Sends {@code body} and processes everything in the queue once. */
    List<String> sendAndPoll(String body) {
        send(body);
        return pollOnce();
    }

    String send(String body) {
        return sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body)).messageId();
    }
}
