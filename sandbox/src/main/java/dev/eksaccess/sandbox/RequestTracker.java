package dev.eksaccess.sandbox;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.delivery.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Follows every grant-queue message through the grant processor: what it was (from the SQS event the processor got)
 * and how each attempt ended (from the JSON line the processor logs per message), so the report can say, per
 * request, its final outcome and how many receives it took.
 */
final class RequestTracker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILED_TRANSIENT = Outcome.FAILED_TRANSIENT.wireName();
    /** The outcomes of a message; the processor's other lines about a message (a failed retry delay) are not one. */
    private static final Set<String> MESSAGE_OUTCOMES = Arrays.stream(Outcome.values()).map(Outcome::wireName)
            .collect(Collectors.toUnmodifiableSet());

    private final Map<String, Tracked> byMessageId = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    /** Wraps the grant processor so that the tracker sees each batch before it does. */
    RequestHandler<SQSEvent, SQSBatchResponse> observe(RequestHandler<SQSEvent, SQSBatchResponse> processor) {
        return (SQSEvent event, Context context) -> {
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                received(message.getMessageId(), message.getBody(),
                        message.getAttributes() == null ? null : message.getAttributes().get("SenderId"));
            }
            return processor.handleRequest(event, context);
        };
    }

    /** The grant processor's log: one JSON line per processed message, with its outcome, among others. */
    Consumer<String> processorLog(Consumer<String> next) {
        return line -> {
            logged(line);
            next.accept(line);
        };
    }

    /** Remembers which file a message was sent from. */
    synchronized void sentFrom(String messageId, String file) {
        sources.put(messageId, file);
    }

    private synchronized void received(String messageId, String body, String senderId) {
        Tracked tracked = byMessageId.computeIfAbsent(messageId, id -> new Tracked(body));
        tracked.receives++;
        tracked.senderId = senderId;
    }

    private synchronized void logged(String line) {
        JsonNode node = parse(line);
        if (node == null || !node.hasNonNull("messageId") || !MESSAGE_OUTCOMES.contains(text(node, "outcome"))) {
            return;
        }
        Tracked tracked = byMessageId.get(node.get("messageId").asText());
        if (tracked != null) {
            tracked.requestId = text(node, "requestId");
            tracked.outcome = text(node, "outcome");
            tracked.reason = text(node, "reason");
        }
    }

    /**
     * Every message the processor received, with its last outcome; one that last failed transiently and is on the
     * dead-letter queue is {@code dead-lettered}.
     *
     * @param senderArns the ARN of each SQS SenderId
     * @param states     where a request (SenderId, request id) stands now, as the outcome events say
     */
    synchronized List<Report.Request> requests(Set<String> deadLetteredIds, Map<String, String> senderArns,
                                               BiFunction<String, String, Optional<String>> states) {
        List<Report.Request> requests = new ArrayList<>();
        byMessageId.forEach((messageId, tracked) -> {
            String outcome = tracked.outcome;
            String reason = tracked.reason;
            if (deadLetteredIds.contains(messageId) && (outcome == null || FAILED_TRANSIENT.equals(outcome))) {
                outcome = "dead-lettered";
                reason = "moved to the dead-letter queue after " + tracked.receives
                        + (tracked.receives == 1 ? " receive" : " receives") + "; last attempt: "
                        + tracked.reason;
            }
            JsonNode body = parse(tracked.body);
            String action = body != null && body.isObject() ? text(body, "action") : null;
            String source = sources.getOrDefault(messageId,
                    body != null && body.isObject() ? "sent by " + text(body, "requestedBy") : null);
            String sender = tracked.senderId == null ? null
                    : senderArns.getOrDefault(tracked.senderId, "unknown (SenderId " + tracked.senderId + ")");
            String state = tracked.requestId == null ? null
                    : states.apply(tracked.senderId, tracked.requestId).orElse(null);
            if (state == null && "dead-lettered".equals(outcome)) {
                state = outcome;
            }
            requests.add(new Report.Request(messageId, tracked.requestId, action, sender, outcome, state, reason,
                    tracked.receives, source));
        });
        return requests;
    }

    private static JsonNode parse(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static final class Tracked {
        private final String body;
        private int receives;
        private String senderId;
        private String requestId;
        private String outcome;
        private String reason;

        Tracked(String body) {
            this.body = body;
        }
    }
}
