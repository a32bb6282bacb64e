package dev.eksaccess.aws;

import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.delivery.OutcomeEvent;
import dev.eksaccess.delivery.OutcomePublisher;
import dev.eksaccess.drift.ExternalChange;
import dev.eksaccess.drift.ExternalChangeEvents;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Outcome events on an EventBridge bus: one {@code PutEvents} call per message (at most ten entries), source
 * {@link OutcomeEvents#SOURCE}, detail-type {@link OutcomeEvents#DETAIL_TYPE}, the cluster ARN as the event's resource
 * when there is one; and one event per external change (detail-type {@link OutcomeEvents#EXTERNAL_CHANGE_DETAIL_TYPE},
 * docs/drift.md). PutEvents reports failed entries in its answer instead of throwing: those become an exception
 * naming the first error.
 */
public final class EventBridgeOutcomes implements OutcomePublisher, ExternalChangeEvents {

    private final Supplier<EventBridgeClient> events;
    private final String bus;

    /** @param bus the bus's name or ARN */
    public EventBridgeOutcomes(Supplier<EventBridgeClient> events, String bus) {
        this.events = events;
        this.bus = bus;
    }

    @Override
    public void publish(List<OutcomeEvent> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        put(outcomes.stream().map(this::entry).toList());
    }

    /** One event of detail-type {@link OutcomeEvents#EXTERNAL_CHANGE_DETAIL_TYPE}, the cluster as its resource. */
    @Override
    public void publish(ExternalChange change) {
        put(List.of(PutEventsRequestEntry.builder().eventBusName(bus).source(OutcomeEvents.SOURCE)
                .detailType(OutcomeEvents.EXTERNAL_CHANGE_DETAIL_TYPE).time(change.recordedAt())
                .resources(change.change().cluster().arn()).detail(change.detailJson()).build()));
    }

    private void put(List<PutEventsRequestEntry> entries) {
        PutEventsResponse response = events.get().putEvents(r -> r.entries(entries));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry first = response.entries().stream().filter(e -> e.errorCode() != null).findFirst()
                    .orElse(PutEventsResultEntry.builder().build());
            throw new IllegalStateException(response.failedEntryCount() + " of " + entries.size()
                    + " outcome events were refused by EventBridge: " + first.errorCode() + " " + first.errorMessage());
        }
    }

    private PutEventsRequestEntry entry(OutcomeEvent event) {
        PutEventsRequestEntry.Builder entry = PutEventsRequestEntry.builder().eventBusName(bus)
                .source(OutcomeEvents.SOURCE).detailType(OutcomeEvents.DETAIL_TYPE).time(event.at())
                .detail(event.detailJson());
        if (event.cluster() != null) {
            entry.resources(event.cluster().arn());
        }
        return entry.build();
    }
}
