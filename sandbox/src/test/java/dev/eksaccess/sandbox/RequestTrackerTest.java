package dev.eksaccess.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** How the tracker turns the processor's batches and log lines into the report's requests. */
class RequestTrackerTest {

    private static final String CREATION_ID = "AROACREATION00000001:cluster-creation";
    private static final String CREATION_ROLE = Sandbox.CLUSTER_CREATION_ROLE;
    private static final Map<String, String> SENDERS = Map.of(CREATION_ID, CREATION_ROLE);
    private static final BiFunction<String, String, Optional<String>> NO_STATES = (sender, id) -> Optional.empty();

    private final RequestTracker tracker = new RequestTracker();
    private final List<String> passedOn = new ArrayList<>();
    private final Consumer<String> log = tracker.processorLog(passedOn::add);

    @Test
    void lastLoggedOutcomeWins_andReceivesAreCounted() {
        deliver("m-1", "{\"action\":\"bootstrap\",\"requestedBy\":\"cluster-creation\"}");
        log.accept("{\"messageId\":\"m-1\",\"requestId\":\"b-1\",\"outcome\":\"failed-transient\",\"reason\":\"CREATING\"}");
        deliver("m-1", "{\"action\":\"bootstrap\",\"requestedBy\":\"cluster-creation\"}");
        log.accept("{\"messageId\":\"m-1\",\"requestId\":\"b-1\",\"outcome\":\"applied\",\"reason\":\"done\"}");

        assertThat(tracker.requests(Set.of(), SENDERS, NO_STATES)).containsExactly(
                new Report.Request("m-1", "b-1", "bootstrap", CREATION_ROLE, "applied", null, "done", 2,
                        "sent by cluster-creation"));
        assertThat(passedOn).hasSize(2);
    }

    @Test
    void transientFailureOnTheDeadLetterQueue_isDeadLettered() {
        tracker.sentFrom("m-2", "events/requests/grant.json");
        deliver("m-2", "{\"action\":\"grant\"}");
        log.accept("{\"messageId\":\"m-2\",\"requestId\":\"g-2\",\"outcome\":\"failed-transient\",\"reason\":\"throttled\"}");

        Report.Request request = tracker.requests(Set.of("m-2"), SENDERS, NO_STATES).getFirst();

        assertThat(request.outcome()).isEqualTo("dead-lettered");
        assertThat(request.state()).isEqualTo("dead-lettered");
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

        assertThat(tracker.requests(Set.of(), SENDERS, NO_STATES)).containsExactly(
                new Report.Request("m-3", "m-3", null, CREATION_ROLE, "rejected", null, "not JSON", 1, null));
    }

    @Test
    void stateComesFromTheOutcomeEventsOfTheSendersRequest_andAnUnknownSenderIsNamedByItsId() {
        deliver("m-4", "{\"action\":\"grant\"}", "AROAUNKNOWN000000001:x");
        log.accept("{\"messageId\":\"m-4\",\"requestId\":\"g-4\",\"outcome\":\"pending-approval\",\"reason\":\"waits\"}");

        Report.Request request = tracker.requests(Set.of(), SENDERS,
                (senderId, requestId) -> Optional.of(senderId + " " + requestId + " applied")).getFirst();

        assertThat(request.outcome()).isEqualTo("pending-approval");
        assertThat(request.state()).isEqualTo("AROAUNKNOWN000000001:x g-4 applied");
        assertThat(request.sender()).isEqualTo("unknown (SenderId AROAUNKNOWN000000001:x)");
    }

    private void deliver(String messageId, String body) {
        deliver(messageId, body, CREATION_ID);
    }

    private void deliver(String messageId, String body, String senderId) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(messageId);
        message.setBody(body);
        message.setAttributes(Map.of("SenderId", senderId));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        tracker.observe((e, context) -> new SQSBatchResponse(List.of())).handleRequest(event, null);
    }
}
