package dev.eksaccess.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** How the tracker turns the processor's batches and log lines into the report's requests. */
class RequestTrackerTest {

    private final RequestTracker tracker = new RequestTracker();
    private final List<String> passedOn = new ArrayList<>();
    private final Consumer<String> log = tracker.processorLog(passedOn::add);

    @Test
    void lastLoggedOutcomeWins_andReceivesAreCounted() {
        deliver("m-1", "{\"action\":\"bootstrap\",\"requestedBy\":\"cluster-creation\"}");
        log.accept("{\"messageId\":\"m-1\",\"requestId\":\"b-1\",\"outcome\":\"failed-transient\",\"reason\":\"CREATING\"}");
        deliver("m-1", "{\"action\":\"bootstrap\",\"requestedBy\":\"cluster-creation\"}");
        log.accept("{\"messageId\":\"m-1\",\"requestId\":\"b-1\",\"outcome\":\"applied\",\"reason\":\"done\"}");

        assertThat(tracker.requests(Set.of())).containsExactly(
                new Report.Request("m-1", "b-1", "bootstrap", "applied", "done", 2, "sent by cluster-creation"));
        assertThat(passedOn).hasSize(2);
    }

    @Test
    void transientFailureOnTheDeadLetterQueue_isDeadLettered() {
        tracker.sentFrom("m-2", "events/requests/grant.json");
        deliver("m-2", "{\"action\":\"grant\"}");
        log.accept("{\"messageId\":\"m-2\",\"requestId\":\"g-2\",\"outcome\":\"failed-transient\",\"reason\":\"throttled\"}");

        Report.Request request = tracker.requests(Set.of("m-2")).getFirst();

        assertThat(request.outcome()).isEqualTo("dead-lettered");
        assertThat(request.reason()).isEqualTo("moved to the dead-letter queue after 1 receive; last attempt: throttled");
        assertThat(request.source()).isEqualTo("events/requests/grant.json");
    }

    @Test
    void bodyThatIsNotJson_hasNoAction_andLinesWithoutAMessageOutcomeAreIgnored() {
        deliver("m-3", "not json");
        log.accept("{\"level\":\"ERROR\",\"outcome\":\"error\",\"reason\":\"batch failed\"}");
        log.accept("{\"messageId\":\"m-3\",\"requestId\":\"m-3\",\"outcome\":\"rejected\",\"reason\":\"not JSON\"}");
        log.accept("{\"messageId\":\"m-3\",\"requestId\":\"m-3\",\"outcome\":\"retry-delay-failed\","
                + "\"reason\":\"the retry delay could not be set\"}");

        assertThat(tracker.requests(Set.of())).containsExactly(
                new Report.Request("m-3", "m-3", null, "rejected", "not JSON", 1, null));
    }

    private void deliver(String messageId, String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(messageId);
        message.setBody(body);
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        tracker.observe((e, context) -> new SQSBatchResponse(List.of())).handleRequest(event, null);
    }
}
