package dev.eksaccess.sandbox;

import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.delivery.OutcomeEvent;
import dev.eksaccess.delivery.OutcomePublisher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome bus of the sandbox: keeps every outcome event the grant processor publishes (EventBridge
 * {@code PutEvents} in AWS), so that the report can say where each request stands now, which can differ from how its
 * message ended (a grant held for approval, then approved and applied by a later message), and how its approvals
 * went.
 *
 * <p>Requests are keyed by their sender's SQS SenderId and request id: request ids are unique per sender only, and a
 * held grant's later events carry its requester's SenderId.
 */
final class OutcomeLog implements OutcomePublisher {

    private record Key(String senderId, String requestId) {
    }

    private final List<OutcomeEvent> events = new ArrayList<>();

    @Override
    public synchronized void publish(List<OutcomeEvent> published) {
        events.addAll(published);
    }

    /** The state request {@code requestId} of {@code senderId} entered last ({@code received} does not count). */
    synchronized Optional<String> state(String senderId, String requestId) {
        String state = null;
        for (OutcomeEvent event : events) {
            if (event.state() != OutcomeEvents.State.RECEIVED && event.requestId().equals(requestId)
                    && event.sender().id() != null && event.sender().id().equals(senderId)) {
                state = event.state().wireName();
            }
        }
        return Optional.ofNullable(state);
    }

    /**
     * Every grant that was held for approval, in the order first held, with its approvals as last published and the
     * state it is in now (pending-approval, approved, applied, denied, expired, rejected).
     */
    synchronized List<Report.Approval> approvals(Map<String, String> arnBySenderId) {
        Map<Key, OutcomeEvent> last = new LinkedHashMap<>();
        Map<Key, String> states = new LinkedHashMap<>();
        for (OutcomeEvent event : events) {
            Key key = new Key(event.sender().id(), event.requestId());
            if (event.approval().isPresent() && event.pendingRequestId() == null && "grant".equals(event.action())) {
                last.put(key, event);
            }
            if (event.state() != OutcomeEvents.State.RECEIVED) {
                states.put(key, event.state().wireName());
            }
        }
        List<Report.Approval> approvals = new ArrayList<>();
        last.forEach((key, event) -> {
            OutcomeEvent.Approval approval = event.approval().orElseThrow();
            String requester = event.sender().arn() != null ? event.sender().arn()
                    : arnBySenderId.get(event.sender().id());
            approvals.add(new Report.Approval(event.requestId(), requester, event.principalArn(),
                    event.cluster() == null ? null : event.cluster().name(), event.policy(), states.get(key),
                    approval.pending().required(), approval.pending().approvedBy(), approval.approvers(),
                    event.deniedBy(), approval.pending().expiresAt().toString()));
        });
        return approvals;
    }
}
