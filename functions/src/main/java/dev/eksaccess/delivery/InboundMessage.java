package dev.eksaccess.delivery;

import dev.eksaccess.request.MessageMeta;
import java.util.Objects;

/** One queue message as the batch processor sees it, free of Lambda and SQS types. */
public record InboundMessage(String body, MessageMeta meta, String receiptHandle) {

    public InboundMessage {
        Objects.requireNonNull(meta, "meta");
    }

    public String messageId() {
        return meta.messageId();
    }
}
