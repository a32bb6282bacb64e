package dev.eksaccess.handler;

import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testsupport.EventSourceMappingPoller;
import dev.eksaccess.testsupport.SenderIdentities;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Step-by-step driving of the grant processor from a queue, for tests that assert between receives: one
 * {@link EventSourceMappingPoller} round at a time (batches, attributes, deletes and redrive as Lambda's SQS event
 * source mapping does them), with sending in the same place. Every message carries the {@code SenderId} of the
 * declared sender that sent it ({@link SenderIdentities}), as SQS sets it.
 */
final class SqsLambdaPoller {

    private final String queueUrl;
    private final EventSourceMappingPoller poller;
    private final SenderIdentities.Sender defaultSender;

    /**
     * @param sqs           the backend's client, for receiving and deleting
     * @param defaultSender who sends with {@link #send(String)}
     */
    SqsLambdaPoller(SqsClient sqs, String queueUrl, GrantRequestHandler handler, SenderIdentities senders,
                    SenderIdentities.Sender defaultSender) {
        this.queueUrl = queueUrl;
        this.defaultSender = defaultSender;
        this.poller = new EventSourceMappingPoller(sqs, queueUrl, handler, GrantQueueSettings.BATCH_SIZE, Duration.ZERO,
                () -> new FakeLambdaContext("111122223333"), senders);
    }

    /** One receive-invoke-delete round; returns the ids reported as failed (empty when nothing was received). */
    List<String> pollOnce() {
        EventSourceMappingPoller.Invocation invocation = poller.pollOnce(Duration.ofSeconds(1));
        return invocation == null ? List.of() : invocation.failedIds();
    }

    /** Sends {@code body} as the default sender and processes everything in the queue once. */
    List<String> sendAndPoll(String body) {
        send(body);
        return pollOnce();
    }

    /** Sends {@code body} as {@code sender} and processes everything in the queue once. */
    List<String> sendAndPoll(SenderIdentities.Sender sender, String body) {
        send(sender, body);
        return pollOnce();
    }

    /** Sends as the default sender; returns the message id. */
    String send(String body) {
        return send(defaultSender, body);
    }

    String send(SenderIdentities.Sender sender, String body) {
        return sender.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body)).messageId();
    }
}
