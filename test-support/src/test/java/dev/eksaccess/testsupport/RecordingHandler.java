package dev.eksaccess.testsupport;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A Lambda handler for the poller's tests: records every message it is given and fails those {@code fails} picks. */
final class RecordingHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Predicate<String> fails;
    /** Every delivery, in order. */
    final List<SQSEvent.SQSMessage> records = new CopyOnWriteArrayList<>();

    /** @param fails which bodies to report as batch item failures */
    RecordingHandler(Predicate<String> fails) {
        this.fails = fails;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        records.addAll(event.getRecords());
        return new SQSBatchResponse(event.getRecords().stream().filter(record -> fails.test(record.getBody()))
                .map(record -> new SQSBatchResponse.BatchItemFailure(record.getMessageId())).toList());
    }

    /** The message id of the first delivery of {@code body}. */
    String idOf(String body) {
        return records.stream().filter(r -> r.getBody().equals(body)).findFirst().orElseThrow().getMessageId();
    }

    /** The ApproximateReceiveCount of each delivery of {@code body}. */
    List<String> receiveCountsOf(String body) {
        return attributeOf(body, "ApproximateReceiveCount");
    }

    /** The SenderId of each delivery of {@code body}. */
    List<String> senderIdsOf(String body) {
        return attributeOf(body, "SenderId");
    }

    private List<String> attributeOf(String body, String name) {
        return records.stream().filter(r -> r.getBody().equals(body)).map(r -> r.getAttributes().get(name)).toList();
    }
}
