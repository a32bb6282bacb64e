package dev.eksaccess.sandbox;

import dev.eksaccess.contract.AccessChangeEventPattern;
import dev.eksaccess.contract.CreateClusterEventPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.event.ruler.Machine;

/**
 * One of the EventBridge rules the CDK app deploys, matched with AWS Event Ruler (the matching library behind
 * EventBridge) against the contract's pattern: the cluster-creation function's ({@link CreateClusterEventPattern}) or
 * the access-change function's ({@link AccessChangeEventPattern}).
 */
final class EventRule {

    private final String name;
    private final Machine machine = Machine.builder().build();

    private EventRule(String name, String pattern) {
        this.name = name;
        try {
            machine.addRule(name, pattern);
        } catch (IOException e) {
            throw new UncheckedIOException("the " + name + " event pattern does not parse", e);
        }
    }

    static EventRule createCluster() {
        return new EventRule("create-cluster", CreateClusterEventPattern.json());
    }

    static EventRule accessChanges() {
        return new EventRule("access-changes", AccessChangeEventPattern.json());
    }

    /** Whether EventBridge would deliver {@code eventJson} to the function. */
    boolean matches(String eventJson) {
        try {
            return machine.rulesForJSONEvent(eventJson).contains(name);
        } catch (Exception e) {
            // Event Ruler refuses input that is not a JSON object; EventBridge would not deliver it either.
            return false;
        }
    }
}
