package dev.eksaccess.cdk;

import java.util.List;

/**
 * Invalid deployment configuration. Carries every problem found, each naming its context key, so one synth run
 * reports them all.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid CDK context:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One message per problem, e.g. {@code context adminPrincipals[1]: ... }. */
    public List<String> problems() {
        return problems;
    }
}
