package dev.eksaccess.aws;

import dev.eksaccess.access.GrantQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Sends messages to the grant queue. */
public final class SqsGrantQueue implements GrantQueue {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsGrantQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(String messageBody) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(messageBody));
    }
}
