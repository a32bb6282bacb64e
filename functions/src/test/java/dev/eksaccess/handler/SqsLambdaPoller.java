package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Drives a handler from a queue the way Lambda's SQS event source mapping does with ReportBatchItemFailures:
 * receives a batch with its system attributes, invokes the handler, deletes the messages that did not fail and leaves
 * the failed ones to come back (and, after the redrive policy's receives, to move to the dead-letter queue).
 */
final class SqsLambdaPoller {

    private final SqsClient sqs;
    private final String queueUrl;
    private final GrantRequestHandler handler;

    SqsLambdaPoller(SqsClient sqs, String queueUrl, GrantRequestHandler handler) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.handler = handler;
    }

    /** One receive-invoke-delete round; returns the ids reported as failed (empty when nothing was received). */
    List<String> pollOnce() {
        List<Message> received = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (received.isEmpty()) {
            return List.of();
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(received.stream().map(SqsLambdaPoller::toRecord).toList());
        SQSBatchResponse response = handler.handleRequest(event, null);
        Set<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
        for (Message message : received) {
            if (!failed.contains(message.messageId())) {
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return List.copyOf(failed);
    }

    /** Sends {@code body} and processes everything in the queue once. */
    List<String> sendAndPoll(String body) {
        send(body);
        return pollOnce();
    }

    String send(String body) {
        return sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body)).messageId();
    }

    private static SQSEvent.SQSMessage toRecord(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        Map<String, String> attributes = new HashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
        record.setAttributes(attributes);
        record.setEventSource("aws:sqs");
        return record;
    }
}
