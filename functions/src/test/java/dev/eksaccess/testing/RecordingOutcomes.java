package dev.eksaccess.testing;

import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.delivery.OutcomeEvent;
import dev.eksaccess.delivery.OutcomePublisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every outcome event published, in order. */
public final class RecordingOutcomes implements OutcomePublisher {

    public final List<OutcomeEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(List<OutcomeEvent> published) {
        if (published.size() > 10) {
            throw new AssertionError("EventBridge takes at most 10 entries per PutEvents, got " + published.size());
        }
        events.addAll(published);
    }

    /** The states request {@code requestId} went through, in order. */
    public List<String> statesOf(String requestId) {
        return events.stream().filter(e -> e.requestId().equals(requestId)).map(e -> e.state().wireName()).toList();
    }

    public List<OutcomeEvent> in(OutcomeEvents.State state) {
        return events.stream().filter(e -> e.state() == state).toList();
    }
}
