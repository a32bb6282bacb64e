package dev.eksaccess.aws;

import dev.eksaccess.delivery.GrantQueue;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Sends messages to the grant queue. */
public final class SqsGrantQueue implements GrantQueue {

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;

    public SqsGrantQueue(SqsClient sqs, String queueUrl) {
        this(() -> sqs, queueUrl);
    }

    /**
     * With the client asked for only when a message is sent (e.g. {@link AwsClients#sqsOnFirstUse()}): most runs of
     * the expiry sweep find nothing due, so its cold start need not build an SQS client.
     */
    public SqsGrantQueue(Supplier<SqsClient> sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(String messageBody) {
        sqs.get().sendMessage(r -> r.queueUrl(queueUrl).messageBody(messageBody));
    }
}
