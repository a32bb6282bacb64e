package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The SQS behaviour the functions rely on, checked through the real SDK client against a backend. Concrete ITs
 * supply the backend, so every emulator is held to the same expectations.
 */
abstract class SqsBehaviour {

    private static final Duration VISIBILITY = Duration.ofSeconds(1);

    protected abstract AwsBackend backend();

    @Test
    void redrive_movesAMessageToTheDeadLetterQueueAfterMaxReceiveCountReceives() {
        // GIVEN a queue whose redrive policy allows two receives
        SqsClient sqs = backend().sqs();
        QueuePair queues = SqsQueues.createWithDeadLetterQueue(sqs, UniqueNames.unique("grants"), 2, VISIBILITY);
        sqs.sendMessage(send -> send.queueUrl(queues.queueUrl()).messageBody("{\"action\":\"grant\"}"));

        // WHEN a consumer receives it twice and fails both times (makes it visible again at once)
        List<String> receiveCounts = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            Message message = receiveOne(sqs, queues.queueUrl());
            receiveCounts.add(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            sqs.changeMessageVisibility(change -> change.queueUrl(queues.queueUrl())
                    .receiptHandle(message.receiptHandle()).visibilityTimeout(0));
        }

        // THEN the next receive finds the queue empty and the message waits in the dead-letter queue
        assertThat(receiveCounts).containsExactly("1", "2");
        assertThat(sqs.receiveMessage(receive -> receive.queueUrl(queues.queueUrl()).waitTimeSeconds(1))
                .messages()).isEmpty();
        Message deadLetter = receiveOne(sqs, queues.deadLetterQueueUrl());
        assertThat(deadLetter.body()).isEqualTo("{\"action\":\"grant\"}");
        assertThat(queues.deadLetterQueueArn()).endsWith(":" + queueName(queues.deadLetterQueueUrl()))
                .startsWith("arn:aws:sqs:" + backend().region().id() + ":");
    }

    @Test
    void receive_hidesAMessageForTheVisibilityTimeoutThenDeliversItAgain() throws InterruptedException {
        // GIVEN a queue with a one-second visibility timeout and a message on it
        SqsClient sqs = backend().sqs();
        QueuePair queues = SqsQueues.createWithDeadLetterQueue(sqs, UniqueNames.unique("visibility"), 5, VISIBILITY);
        sqs.sendMessage(send -> send.queueUrl(queues.queueUrl()).messageBody("hello"));

        // WHEN it is received and not deleted
        Message first = receiveOne(sqs, queues.queueUrl());

        // THEN it is invisible at once, and delivered again after the timeout
        assertThat(sqs.receiveMessage(receive -> receive.queueUrl(queues.queueUrl())).messages()).isEmpty();
        Thread.sleep(VISIBILITY.plusMillis(200).toMillis());
        Message again = receiveOne(sqs, queues.queueUrl());
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.receiptHandle()).isNotEqualTo(first.receiptHandle());
    }

    @Test
    void receive_returnsMessageAttributesAndTheSenderId() {
        // GIVEN a message sent with a custom attribute
        SqsClient sqs = backend().sqs();
        String queueUrl = sqs.createQueue(create -> create.queueName(UniqueNames.unique("attributes"))).queueUrl();
        sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody("{}").messageAttributes(Map.of(
                "contractVersion", MessageAttributeValue.builder().dataType("String").stringValue("1").build())));

        // WHEN it is received asking for all attributes
        Message message = receiveOne(sqs, queueUrl);

        // THEN the custom attribute and the SenderId system attribute come back
        assertThat(message.messageAttributes().get("contractVersion").stringValue()).isEqualTo("1");
        assertThat(message.attributes().get(MessageSystemAttributeName.SENDER_ID)).isNotBlank();
    }

    @Test
    void receive_deliversABatchOfUpToTenMessages() {
        // GIVEN five messages sent in one batch
        SqsClient sqs = backend().sqs();
        String queueUrl = sqs.createQueue(create -> create.queueName(UniqueNames.unique("batch"))).queueUrl();
        List<SendMessageBatchRequestEntry> entries = IntStream.range(0, 5)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("body-" + i).build())
                .toList();
        assertThat(sqs.sendMessageBatch(batch -> batch.queueUrl(queueUrl).entries(entries)).successful()).hasSize(5);

        // WHEN they are received in batches of ten (SQS may answer with fewer per call)
        List<String> bodies = new ArrayList<>();
        for (int call = 0; call < 10 && bodies.size() < 5; call++) {
            sqs.receiveMessage(receive -> receive.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages().forEach(message -> bodies.add(message.body()));
        }

        // THEN every message arrives exactly once
        assertThat(bodies).containsExactlyInAnyOrder("body-0", "body-1", "body-2", "body-3", "body-4");
    }

    /** Receives exactly one message, waiting briefly, with all system and custom attributes. */
    private static Message receiveOne(SqsClient sqs, String queueUrl) {
        List<Message> messages = sqs.receiveMessage(receive -> receive.queueUrl(queueUrl).maxNumberOfMessages(1)
                .waitTimeSeconds(2)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
        assertThat(messages).as("messages received from %s", queueUrl).hasSize(1);
        return messages.getFirst();
    }

    private static String queueName(String queueUrl) {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }
}
