package dev.eksaccess.aws;

import dev.eksaccess.delivery.RetryScheduler;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Delays a failed message's next delivery with ChangeMessageVisibility on its receipt handle. */
public final class SqsRetryScheduler implements RetryScheduler {

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;

    public SqsRetryScheduler(SqsClient sqs, String queueUrl) {
        this(() -> sqs, queueUrl);
    }

    /**
     * With the client asked for only when a message is retried (e.g. {@link AwsClients#sqsOnFirstUse()}): most
     * invocations retry nothing, so the grant processor's cold start need not build an SQS client.
     */
    public SqsRetryScheduler(Supplier<SqsClient> sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void retryAfter(String receiptHandle, Duration delay) {
        sqs.get().changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle)
                .visibilityTimeout((int) delay.toSeconds()));
    }
}
