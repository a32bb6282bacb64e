package dev.eksaccess.aws;

import dev.eksaccess.delivery.RestoreQueue;
import dev.eksaccess.request.RestoreRequest;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends restore requests to the grant queue. On a FIFO queue the cluster ARN (hashed when too long, as
 * {@link SqsBootstrapQueue} does) is the message group and the request id, one per CloudTrail event, the
 * deduplication id; on a standard queue the grant processor's request-id check drops a second copy.
 */
public final class SqsRestoreQueue implements RestoreQueue {

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;

    public SqsRestoreQueue(SqsClient sqs, String queueUrl) {
        this(() -> sqs, queueUrl);
    }

    /** With the client asked for only when a restore is sent: most changes are not restored. */
    public SqsRestoreQueue(Supplier<SqsClient> sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(RestoreRequest request) {
        SendMessageRequest.Builder message = SendMessageRequest.builder().queueUrl(queueUrl)
                .messageBody(request.toJson());
        if (queueUrl.endsWith(".fifo")) {
            message.messageGroupId(SqsBootstrapQueue.messageGroupId(request.cluster().arn()))
                    .messageDeduplicationId(request.requestId());
        }
        sqs.get().sendMessage(message.build());
    }
}
