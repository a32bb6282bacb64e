package dev.eksaccess.testsupport;

/**
 * A queue and the dead-letter queue its redrive policy moves messages to.
 *
 * @param queueUrl URL of the work queue
 * @param queueArn ARN of the work queue
 * @param deadLetterQueueUrl URL of the dead-letter queue
 * @param deadLetterQueueArn ARN of the dead-letter queue
 * @param maxReceiveCount receives after which a message moves to the dead-letter queue
 */
public record QueuePair(String queueUrl, String queueArn, String deadLetterQueueUrl, String deadLetterQueueArn,
        int maxReceiveCount) {
}
