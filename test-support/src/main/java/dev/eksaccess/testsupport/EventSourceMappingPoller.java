package dev.eksaccess.testsupport;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Feeds an SQS queue to a Lambda handler the way Lambda's SQS event source mapping does with
 * {@code ReportBatchItemFailures}, for integration tests and the local sandbox:
 * <ul>
 *   <li>receives up to {@code batchSize} messages, gathering for up to {@code maxBatchingWindow} once the first
 *       arrives, with every system attribute (ApproximateReceiveCount, SentTimestamp, SenderId,
 *       ApproximateFirstReceiveTimestamp, ...);</li>
 *   <li>invokes the handler with them as an {@link SQSEvent} (message id, receipt handle, body, MD5, attributes,
 *       event source ARN, region);</li>
 *   <li>deletes the messages the response does not list in {@code batchItemFailures}; a failure naming no message of
 *       the batch, or an exception from the handler, fails the whole batch, and nothing is deleted.</li>
 * </ul>
 * Messages that are not deleted come back when their visibility timeout ends (or the handler's
 * ChangeMessageVisibility), and the queue's own redrive policy moves them to its dead-letter queue after
 * {@code maxReceiveCount} receives, as in AWS.
 *
 * <p>{@code SenderId}: a poller built without a {@link SenderIdentities} registry passes the emulator's value on
 * (ElasticMQ: {@code 127.0.0.1} for every message; LocalStack: an account id). A poller built with one sets, on every
 * delivery of a message, the {@code SenderId} of the declared sender whose credentials sent it, as SQS would, or
 * {@value SenderIdentities#UNDECLARED_SENDER_ID} when no declared sender did.
 */
public final class EventSourceMappingPoller {

    /** SQS returns at most ten messages per receive. */
    private static final int MAX_PER_RECEIVE = 10;
    private static final Duration IDLE_PAUSE = Duration.ofMillis(100);
    private static final List<QueueAttributeName> BACKLOG = List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final int batchSize;
    private final Duration maxBatchingWindow;
    private final Supplier<Context> contexts;
    /** Null: records carry the emulator's SenderId. */
    private final SenderIdentities senders;

    /**
     * @param batchSize         messages per invocation, 1 to 10 (Lambda allows more only with a batching window,
     *                          which this poller does not need)
     * @param maxBatchingWindow how long to keep gathering once a first message arrived; zero for none
     * @param contexts          a Lambda context per invocation
     */
    public EventSourceMappingPoller(SqsClient sqs, String queueUrl, RequestHandler<SQSEvent, SQSBatchResponse> handler,
            int batchSize, Duration maxBatchingWindow, Supplier<Context> contexts) {
        this(sqs, queueUrl, handler, batchSize, maxBatchingWindow, contexts, null);
    }

    /**
     * A poller whose records carry the {@code SenderId} of the sender {@code senders} recorded for each message, as
     * SQS would set it, instead of the emulator's.
     *
     * @param senders the registry the test's senders were declared in; null for the emulator's SenderId
     */
    public EventSourceMappingPoller(SqsClient sqs, String queueUrl, RequestHandler<SQSEvent, SQSBatchResponse> handler,
            int batchSize, Duration maxBatchingWindow, Supplier<Context> contexts, SenderIdentities senders) {
        if (batchSize < 1 || batchSize > MAX_PER_RECEIVE) {
            throw new IllegalArgumentException("batchSize must be 1..10, was " + batchSize);
        }
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.batchSize = batchSize;
        this.maxBatchingWindow = Objects.requireNonNull(maxBatchingWindow, "maxBatchingWindow");
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.senders = senders;
        this.queueArn = SqsQueues.arnOf(sqs, queueUrl);
        String[] arn = queueArn.split(":");
        this.region = arn.length > 3 ? arn[3] : "";
    }

    /** How one invocation went. */
    public enum Outcome {
        /** Every message was processed and deleted. */
        SUCCESS,
        /** The response listed some messages; the others were deleted. */
        PARTIAL_FAILURE,
        /** The handler threw or reported a failure Lambda cannot map to a message: nothing was deleted. */
        BATCH_FAILURE
    }

    /**
     * One invocation of the handler.
     *
     * @param messageIds the batch, in the order the handler received it
     * @param failedIds  messages left on the queue (all of them on a batch failure)
     * @param outcome    how the invocation went
     * @param error      on a batch failure, why; otherwise null
     */
    public record Invocation(List<String> messageIds, List<String> failedIds, Outcome outcome, String error) {
        public Invocation {
            messageIds = List.copyOf(messageIds);
            failedIds = List.copyOf(failedIds);
        }
    }

    /**
     * Receives one batch, waiting up to {@code wait} for a first message, and invokes the handler with it.
     *
     * @return the invocation, or null when no message arrived
     */
    public Invocation pollOnce(Duration wait) {
        List<Message> batch = new ArrayList<>(receive(batchSize, (int) Math.min(20, wait.toSeconds())));
        if (batch.isEmpty()) {
            return null;
        }
        long windowEnds = System.nanoTime() + maxBatchingWindow.toNanos();
        while (batch.size() < batchSize && System.nanoTime() < windowEnds) {
            List<Message> more = receive(batchSize - batch.size(), 0);
            if (more.isEmpty()) {
                pause(IDLE_PAUSE);
            }
            batch.addAll(more);
        }
        return invoke(batch);
    }

    /** Whether the queue holds no message at all: none visible, in flight (awaiting a retry) or delayed. */
    public boolean isDrained() {
        return backlog().values().stream().allMatch(count -> count == 0);
    }

    /**
     * Polls until the queue is drained, retries included, and returns every invocation made.
     *
     * @throws IllegalStateException when messages remain after {@code timeout}, with the queue's counts
     */
    public List<Invocation> drain(Duration timeout) {
        List<Invocation> invocations = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isDrained()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("queue " + queueUrl + " not drained after " + timeout + ": " + backlog());
            }
            Invocation invocation = pollOnce(Duration.ofSeconds(1));
            if (invocation != null) {
                invocations.add(invocation);
            }
        }
        return invocations;
    }

    private Invocation invoke(List<Message> batch) {
        SQSEvent event = new SQSEvent();
        event.setRecords(batch.stream().map(this::toRecord).toList());
        List<String> ids = batch.stream().map(Message::messageId).toList();
        SQSBatchResponse response;
        try {
            response = handler.handleRequest(event, contexts.get());
        } catch (RuntimeException e) {
            return new Invocation(ids, ids, Outcome.BATCH_FAILURE,
                    "the handler threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        List<SQSBatchResponse.BatchItemFailure> failures = response == null || response.getBatchItemFailures() == null
                ? List.of() : response.getBatchItemFailures();
        Set<String> failed = failures.stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> unknown = failed.stream().filter(id -> id == null || !ids.contains(id)).toList();
        if (!unknown.isEmpty()) {
            return new Invocation(ids, ids, Outcome.BATCH_FAILURE,
                    "batchItemFailures names no message of the batch: " + unknown);
        }
        delete(batch.stream().filter(message -> !failed.contains(message.messageId())).toList());
        return new Invocation(ids, List.copyOf(failed), failed.isEmpty() ? Outcome.SUCCESS : Outcome.PARTIAL_FAILURE,
                null);
    }

    private List<Message> receive(int max, int waitSeconds) {
        return sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
    }

    private void delete(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += MAX_PER_RECEIVE) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_PER_RECEIVE));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            var result = sqs.deleteMessageBatch(request -> request.queueUrl(queueUrl).entries(entries));
            if (result.hasFailed() && !result.failed().isEmpty()) {
                throw new IllegalStateException("could not delete processed messages from " + queueUrl + ": "
                        + result.failed());
            }
        }
    }

    private SQSEvent.SQSMessage toRecord(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        Map<String, String> attributes = new LinkedHashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
        if (senders != null) {
            attributes.put(MessageSystemAttributeName.SENDER_ID.toString(), senders.senderIdOf(message.messageId()));
        }
        record.setAttributes(attributes);
        Map<String, SQSEvent.MessageAttribute> messageAttributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            messageAttributes.put(name, attribute);
        });
        record.setMessageAttributes(messageAttributes);
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(region);
        return record;
    }

    private Map<QueueAttributeName, Integer> backlog() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                .attributeNames(BACKLOG)).attributes();
        Map<QueueAttributeName, Integer> counts = new LinkedHashMap<>();
        BACKLOG.forEach(name -> counts.put(name, Integer.parseInt(attributes.getOrDefault(name, "0"))));
        return counts;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }
}
