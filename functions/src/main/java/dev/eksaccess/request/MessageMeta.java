package dev.eksaccess.request;

import java.time.Instant;
import java.util.Objects;

/**
 * What the queue says about a message, independent of SQS types.
 *
 * @param messageId    the queue's message id: the default request id
 * @param sentAt       when the message was sent: the default {@code requestedAt}
 * @param senderId     who sent it (SQS {@code SenderId}), for audit; may be null
 * @param receiveCount how often it has been received, for growing retry delays
 */
public record MessageMeta(String messageId, Instant sentAt, String senderId, int receiveCount) {

    public MessageMeta {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
