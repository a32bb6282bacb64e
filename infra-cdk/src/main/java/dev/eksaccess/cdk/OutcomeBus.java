package dev.eksaccess.cdk;

import dev.eksaccess.contract.OutcomeEvents;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The EventBridge bus the grant processor puts outcome events on ({@link OutcomeEvents}): one event per state change
 * of a request, to which teams, chat and ticket systems subscribe with rules (docs/deploy.md).
 *
 * <p>By default the stack creates the bus, named after the stack ({@code EksAccess} → {@value #NAME_SUFFIX} with the
 * stack name in kebab case, {@code eks-access-outcomes}), so that subscribers can name it in their rules before it
 * exists. The {@code outcomeBus} context key names an existing bus instead: by name in the stack's account and
 * region, or by ARN, also in another account (whose bus policy must then let the grant processor's role put events).
 */
public final class OutcomeBus extends Construct {

    /** Appended to the stack's name, in kebab case, to name a bus the stack creates. */
    public static final String NAME_SUFFIX = "-outcomes";

    private final IEventBus bus;
    private final String setting;
    private final boolean created;

    /** @param existing name or ARN of an existing bus (context {@code outcomeBus}); empty: create one */
    public OutcomeBus(Construct scope, String id, Optional<String> existing) {
        super(scope, id);
        if (existing.isPresent()) {
            String value = existing.get();
            this.bus = value.startsWith("arn:") ? EventBus.fromEventBusArn(this, "Bus", value)
                    : EventBus.fromEventBusName(this, "Bus", value);
            // The grant processor resolves a bare name in its own account and region, as CDK did for the ARN.
            this.setting = value;
            this.created = false;
        } else {
            EventBus own = EventBus.Builder.create(this, "Bus")
                    .eventBusName(defaultName(Stack.of(this).getStackName()))
                    .description("EKS access outcome events: one per state change of a request (contract"
                            + " OutcomeEvents, outcome-event-v1.schema.json)")
                    .build();
            this.bus = own;
            this.setting = own.getEventBusName();
            this.created = true;
        }
    }

    /** {@code EksAccess} → {@code eks-access-outcomes}: the stack name in kebab case, then {@link #NAME_SUFFIX}. */
    static String defaultName(String stackName) {
        return stackName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + NAME_SUFFIX;
    }

    /**
     * Lets {@code role} put events on this bus, and only events whose {@code source} is {@link OutcomeEvents#SOURCE}:
     * the grant processor cannot pass for another source on a bus other rules may also read.
     */
    public void allowPublishing(IRole role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("PublishOutcomeEvents")
                .actions(List.of("events:PutEvents"))
                .resources(List.of(bus.getEventBusArn()))
                .conditions(Map.of("StringEquals", Map.of("events:source", OutcomeEvents.SOURCE)))
                .build());
    }

    /**
     * Lets {@code role} put events of {@link OutcomeEvents#SOURCE} and {@code detailType} only on this bus: the
     * access-change function cannot pass for the grant processor's request events.
     */
    public void allowPublishing(IRole role, String detailType) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("PublishOutcomeEvents")
                .actions(List.of("events:PutEvents"))
                .resources(List.of(bus.getEventBusArn()))
                .conditions(Map.of("StringEquals", Map.of("events:source", OutcomeEvents.SOURCE,
                        "events:detail-type", detailType)))
                .build());
    }

    public IEventBus bus() {
        return bus;
    }

    /** The value of the grant processor's {@code OUTCOME_BUS}: the created bus's name, or the configured name or ARN. */
    public String setting() {
        return setting;
    }

    /** Whether this stack created the bus (no {@code outcomeBus} context). */
    public boolean created() {
        return created;
    }
}
