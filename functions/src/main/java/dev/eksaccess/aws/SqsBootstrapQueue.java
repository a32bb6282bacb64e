package dev.eksaccess.aws;

import dev.eksaccess.creation.BootstrapQueue;
import dev.eksaccess.delivery.BootstrapWaits;
import dev.eksaccess.request.BootstrapRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends bootstrap requests to the grant queue. On a FIFO queue the cluster ARN (hashed when too long) is the message group (one cluster's
 * changes in order) and the request id the deduplication id, so SQS itself drops a resend within its five-minute
 * window; on a standard queue the grant processor's request-id check does that job.
 *
 * <p>The grant processor sends with it too, a bootstrap that waits for its cluster ({@link BootstrapWaits}), with a
 * delay. Only on a standard queue: a FIFO queue takes no per-message delay, so there the send fails and the message
 * waits with the retry backoff instead.
 */
public final class SqsBootstrapQueue implements BootstrapQueue, BootstrapWaits {

    private static final int MAX_GROUP_ID = 128;

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;

    public SqsBootstrapQueue(SqsClient sqs, String queueUrl) {
        this(() -> sqs, queueUrl);
    }

    /** With the client asked for only when a message is sent (the grant processor's, built on first use). */
    public SqsBootstrapQueue(Supplier<SqsClient> sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(BootstrapRequest request) {
        SendMessageRequest.Builder message = SendMessageRequest.builder().queueUrl(queueUrl).messageBody(request.toJson());
        if (isFifo()) {
            message.messageGroupId(messageGroupId(request.clusterArn())).messageDeduplicationId(request.requestId());
        }
        sqs.get().sendMessage(message.build());
    }

    @Override
    public String sendLater(BootstrapRequest request, Duration delay) {
        if (isFifo()) {
            throw new UnsupportedOperationException("a FIFO queue takes no per-message delay");
        }
        return sqs.get().sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(request.toJson())
                .delaySeconds((int) delay.toSeconds()).build()).messageId();
    }

    private boolean isFifo() {
        return queueUrl.endsWith(".fifo");
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
