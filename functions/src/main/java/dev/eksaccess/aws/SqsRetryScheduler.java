package dev.eksaccess.aws;

import dev.eksaccess.access.RetryScheduler;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Delays a failed message's next delivery with ChangeMessageVisibility on its receipt handle. */
public final class SqsRetryScheduler implements RetryScheduler {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsRetryScheduler(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void retryAfter(String receiptHandle, Duration delay) {
        sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle)
                .visibilityTimeout((int) delay.toSeconds()));
    }
}
