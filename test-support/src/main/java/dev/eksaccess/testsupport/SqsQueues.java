package dev.eksaccess.testsupport;

import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Creates queues the way the CDK app does, so tests run against the same queue semantics as production. */
public final class SqsQueues {

    private SqsQueues() {
    }

    /**
     * Creates {@code name} and {@code name-dlq}, with a redrive policy moving a message to the dead-letter queue once
     * it has been received {@code maxReceiveCount} times without being deleted.
     *
     * @param visibilityTimeout how long a received message stays hidden; whole seconds, 0 to 12 hours
     */
    public static QueuePair createWithDeadLetterQueue(SqsClient sqs, String name, int maxReceiveCount,
            Duration visibilityTimeout) {
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new IllegalArgumentException("maxReceiveCount must be 1..1000, was " + maxReceiveCount);
        }
        String deadLetterQueueUrl = sqs.createQueue(request -> request.queueName(name + "-dlq")).queueUrl();
        String deadLetterQueueArn = arnOf(sqs, deadLetterQueueUrl);
        String redrivePolicy = "{\"deadLetterTargetArn\":\"" + deadLetterQueueArn + "\",\"maxReceiveCount\":\""
                + maxReceiveCount + "\"}";
        String queueUrl = sqs.createQueue(request -> request.queueName(name).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, redrivePolicy,
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibilityTimeout.toSeconds())))).queueUrl();
        return new QueuePair(queueUrl, arnOf(sqs, queueUrl), deadLetterQueueUrl, deadLetterQueueArn, maxReceiveCount);
    }

    /** The ARN of the queue at {@code queueUrl}, which redrive policies and event-source mappings refer to. */
    public static String arnOf(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
