package dev.eksaccess.sandbox;

import dev.eksaccess.contract.CreateClusterEventPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.event.ruler.Machine;

/**
 * The EventBridge rule of the cluster-creation function, matched with AWS Event Ruler (the matching library behind
 * EventBridge) against {@link CreateClusterEventPattern#json()}, the pattern the CDK app deploys.
 */
final class CreateClusterRule {

    private static final String RULE = "create-cluster";

    private final Machine machine = Machine.builder().build();

    CreateClusterRule() {
        try {
            machine.addRule(RULE, CreateClusterEventPattern.json());
        } catch (IOException e) {
            throw new UncheckedIOException("the CreateCluster event pattern does not parse", e);
        }
    }

    /** Whether EventBridge would deliver {@code eventJson} to the function. */
    boolean matches(String eventJson) {
        try {
            return machine.rulesForJSONEvent(eventJson).contains(RULE);
        } catch (Exception e) {
            // Event Ruler refuses input that is not a JSON object; EventBridge would not deliver it either.
            return false;
        }
    }
}
