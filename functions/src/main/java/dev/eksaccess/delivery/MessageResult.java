package dev.eksaccess.delivery;

import dev.eksaccess.log.Level;
import dev.eksaccess.log.LogEvent;
import dev.eksaccess.request.ParsedMessage;
import java.time.Duration;

/**
 * How one queue message ended; {@link #retry()} tells the handler to report it as a batch item failure.
 *
 * @param contended the message waits for another invocation working on the same cluster and principal: it is
 *                  retried after a short delay, not after the growing backoff meant for EKS and cluster trouble
 * @param errorType what a person must look at, or null: the unexpected exception that failed a message (retried like
 *                  any transient failure), or the configuration error that rejected one (AccessDenied); either way
 *                  the line is logged as an error, which raises the alarm
 * @param waitingForCluster the message is a bootstrap whose cluster is on its way to ACTIVE: it is checked again
 *                  shortly by a copy sent to the queue ({@link BootstrapWaits}), not by the growing backoff
 * @param continuedAs the queue's id of that copy once sent, else null: this message is then done (not retried)
 */
public record MessageResult(String requestId, Outcome outcome, String reason, boolean contended, String errorType,
                            boolean waitingForCluster, String continuedAs) {

    public MessageResult(String requestId, Outcome outcome, String reason, boolean contended, String errorType) {
        this(requestId, outcome, reason, contended, errorType, false, null);
    }

    public MessageResult(String requestId, Outcome outcome, String reason) {
        this(requestId, outcome, reason, false, null);
    }

    public MessageResult(String requestId, Outcome outcome, String reason, boolean contended) {
        this(requestId, outcome, reason, contended, null);
    }

    /** A message that failed on an exception nobody planned for (a ledger outage, a bug): retried, never acknowledged. */
    static MessageResult unexpected(String requestId, RuntimeException e) {
        return new MessageResult(requestId, Outcome.FAILED_TRANSIENT,
                "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), false,
                e.getClass().getSimpleName());
    }

    public boolean retry() {
        return outcome == Outcome.FAILED_TRANSIENT && continuedAs == null;
    }

    /** The same result, marked as a wait for the cluster to become ACTIVE. */
    MessageResult waitForCluster() {
        return new MessageResult(requestId, outcome, reason, contended, errorType, true, null);
    }

    /** The same wait, handed over to the copy {@code messageId} that checks again after {@code delay}. */
    MessageResult continuedAs(String messageId, Duration delay) {
        return new MessageResult(requestId, outcome, reason + "; checked again in " + delay.toSeconds()
                + " s by message " + messageId, contended, errorType, true, messageId);
    }

    /** The log line of {@code message}: how it ended and why, the cluster and principal, the receives so far. */
    LogEvent logEvent(InboundMessage message, ParsedMessage parsed) {
        Level level = errorType != null ? Level.ERROR : switch (outcome) {
            case APPLIED, IGNORED, PENDING_APPROVAL -> Level.INFO;
            case REJECTED, FAILED_TRANSIENT -> Level.WARN;
        };
        return new LogEvent(level, outcome.wireName(), reason, message.messageId(), requestId, json -> {
            if (errorType != null) {
                json.writeStringField("errorType", errorType);
            }
            if (parsed.clusterArn() != null) {
                json.writeStringField("clusterArn", parsed.clusterArn());
            }
            if (parsed.principalArn() != null) {
                json.writeStringField("principalArn", parsed.principalArn());
            }
            json.writeNumberField("receiveCount", message.meta().receiveCount());
            if (continuedAs != null) {
                json.writeStringField("continuedAs", continuedAs);
            }
        });
    }
}
