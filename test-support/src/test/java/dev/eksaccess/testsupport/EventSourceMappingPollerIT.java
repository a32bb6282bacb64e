package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The event-source-mapping poller against ElasticMQ: batches, attributes, partial failures and redrive, with a
 * handler that fails the messages a test chooses.
 */
@ExtendWith(EmulatedAws.class)
class EventSourceMappingPollerIT {

    private static final Duration VISIBILITY = Duration.ofSeconds(1);

    private final AwsBackend aws;

    EventSourceMappingPollerIT(AwsBackend aws) {
        this.aws = aws;
    }

    @Test
    void pollOnce_deletesProcessedMessagesAndKeepsTheReportedFailures() {
        QueuePair queue = queue(3);
        send(queue, "ok-1", "fail", "ok-2");
        RecordingHandler handler = new RecordingHandler(body -> body.equals("fail"));

        EventSourceMappingPoller.Invocation invocation = poller(queue, handler, 10).pollOnce(Duration.ofSeconds(1));

        assertThat(invocation.outcome()).isEqualTo(EventSourceMappingPoller.Outcome.PARTIAL_FAILURE);
        assertThat(invocation.messageIds()).hasSize(3);
        assertThat(invocation.failedIds()).containsExactly(handler.idOf("fail"));
        assertThat(receiveAll(queue.queueUrl(), Duration.ofSeconds(3))).extracting(Message::body)
                .containsExactly("fail");
    }

    @Test
    void records_carryTheAttributesLambdaDelivers() {
        QueuePair queue = queue(3);
        send(queue, "hello");
        RecordingHandler handler = new RecordingHandler(body -> false);

        poller(queue, handler, 10).pollOnce(Duration.ofSeconds(1));

        SQSEvent.SQSMessage record = handler.records.getFirst();
        assertThat(record.getBody()).isEqualTo("hello");
        assertThat(record.getReceiptHandle()).isNotBlank();
        assertThat(record.getMd5OfBody()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(record.getEventSource()).isEqualTo("aws:sqs");
        assertThat(record.getEventSourceArn()).isEqualTo(queue.queueArn());
        assertThat(record.getAwsRegion()).isEqualTo(aws.region().id());
        assertThat(record.getAttributes()).containsEntry("ApproximateReceiveCount", "1")
                .containsKeys("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp");
        assertThat(Long.parseLong(record.getAttributes().get("SentTimestamp")))
                .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(queueIsEmpty(queue)).isTrue();
    }

    @Test
    void drain_redrivesAMessageThatKeepsFailingToTheDeadLetterQueue() {
        QueuePair queue = queue(2);
        send(queue, "ok", "poison");
        RecordingHandler handler = new RecordingHandler(body -> body.equals("poison"));

        poller(queue, handler, 10).drain(Duration.ofSeconds(30));

        assertThat(handler.receiveCountsOf("poison")).containsExactly("1", "2");
        assertThat(handler.receiveCountsOf("ok")).containsExactly("1");
        assertThat(receiveAll(queue.deadLetterQueueUrl(), Duration.ofSeconds(2))).extracting(Message::body)
                .containsExactly("poison");
    }

    @Test
    void handlerException_failsTheWholeBatchSoEveryMessageComesBack() {
        QueuePair queue = queue(3);
        send(queue, "a", "b");
        int[] calls = {0};
        RecordingHandler recording = new RecordingHandler(body -> false);
        RequestHandler<SQSEvent, SQSBatchResponse> throwingOnce = (event, context) -> {
            recording.handleRequest(event, context);
            if (calls[0]++ == 0) {
                throw new IllegalStateException("boom");
            }
            return new SQSBatchResponse(List.of());
        };
        EventSourceMappingPoller poller = poller(queue, throwingOnce, 10);

        EventSourceMappingPoller.Invocation first = poller.pollOnce(Duration.ofSeconds(1));
        poller.drain(Duration.ofSeconds(30));

        assertThat(first.outcome()).isEqualTo(EventSourceMappingPoller.Outcome.BATCH_FAILURE);
        assertThat(first.error()).contains("IllegalStateException: boom");
        assertThat(first.failedIds()).hasSize(2);
        assertThat(recording.receiveCountsOf("a")).containsExactly("1", "2");
        assertThat(recording.receiveCountsOf("b")).containsExactly("1", "2");
    }

    @Test
    void failureNamingNoMessageOfTheBatch_failsTheWholeBatch() {
        QueuePair queue = queue(3);
        send(queue, "a");
        RequestHandler<SQSEvent, SQSBatchResponse> wrongId = (event, context) ->
                new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("not-a-message-id")));

        EventSourceMappingPoller.Invocation invocation = poller(queue, wrongId, 10).pollOnce(Duration.ofSeconds(1));

        assertThat(invocation.outcome()).isEqualTo(EventSourceMappingPoller.Outcome.BATCH_FAILURE);
        assertThat(invocation.error()).contains("not-a-message-id");
        assertThat(receiveAll(queue.queueUrl(), Duration.ofSeconds(3))).extracting(Message::body).containsExactly("a");
    }

    @Test
    void pollOnce_neverHandsMoreThanTheBatchSize() {
        QueuePair queue = queue(3);
        send(queue, "1", "2", "3", "4", "5", "6", "7");
        RecordingHandler handler = new RecordingHandler(body -> false);
        EventSourceMappingPoller poller = poller(queue, handler, 3);

        List<EventSourceMappingPoller.Invocation> invocations = poller.drain(Duration.ofSeconds(30));

        assertThat(invocations).allSatisfy(invocation -> assertThat(invocation.messageIds()).hasSizeLessThanOrEqualTo(3));
        assertThat(handler.records).extracting(SQSEvent.SQSMessage::getBody)
                .containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7");
    }

    private QueuePair queue(int maxReceiveCount) {
        return SqsQueues.createWithDeadLetterQueue(aws.sqs(), UniqueNames.unique("esm"), maxReceiveCount, VISIBILITY);
    }

    private EventSourceMappingPoller poller(QueuePair queue, RequestHandler<SQSEvent, SQSBatchResponse> handler,
            int batchSize) {
        return new EventSourceMappingPoller(aws.sqs(), queue.queueUrl(), handler, batchSize, Duration.ofMillis(300),
                () -> new LocalLambdaContext(LocalLambdaContext.functionArn("us-east-1", "111122223333", "test"),
                        line -> { }));
    }

    private void send(QueuePair queue, String... bodies) {
        for (String body : bodies) {
            aws.sqs().sendMessage(request -> request.queueUrl(queue.queueUrl()).messageBody(body));
        }
    }

    private boolean queueIsEmpty(QueuePair queue) {
        return aws.sqs().receiveMessage(request -> request.queueUrl(queue.queueUrl()).waitTimeSeconds(2))
                .messages().isEmpty();
    }

    /** Everything that becomes visible on the queue within {@code within}. */
    private List<Message> receiveAll(String queueUrl, Duration within) {
        List<Message> received = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            received.addAll(aws.sqs().receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(60).waitTimeSeconds(1)).messages());
        }
        return received;
    }
}
