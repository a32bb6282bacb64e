package dev.eksaccess.aws;

import dev.eksaccess.creation.BootstrapQueue;
import dev.eksaccess.request.BootstrapRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends bootstrap requests to the grant queue. On a FIFO queue the cluster ARN (hashed when too long) is the message group (one cluster's
 * changes in order) and the request id the deduplication id, so SQS itself drops a resend within its five-minute
 * window; on a standard queue the grant processor's request-id check does that job.
 */
public final class SqsBootstrapQueue implements BootstrapQueue {

    private static final int MAX_GROUP_ID = 128;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsBootstrapQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(BootstrapRequest request) {
        SendMessageRequest.Builder message = SendMessageRequest.builder().queueUrl(queueUrl).messageBody(request.toJson());
        if (queueUrl.endsWith(".fifo")) {
            message.messageGroupId(messageGroupId(request.clusterArn())).messageDeduplicationId(request.requestId());
        }
        sqs.sendMessage(message.build());
    }

    /** The cluster ARN, or its SHA-256 when longer than the 128 characters SQS allows (long cluster names). */
    static String messageGroupId(String clusterArn) {
        if (clusterArn.length() <= MAX_GROUP_ID) {
            return clusterArn;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(clusterArn.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
