package dev.eksaccess.testsupport;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Which emulated AWS to use, chosen with the system property {@value #PROPERTY}.
 *
 * <ul>
 *   <li>{@code local}: ElasticMQ (SQS) in this JVM and dynalite (DynamoDB) as a Node process; needs Node.js and
 *       {@code npm ci} at the repository root.</li>
 *   <li>{@code localstack}: LocalStack in a container through Testcontainers; needs a Docker engine.</li>
 *   <li>{@code auto} (the default): LocalStack when a Docker engine answers, local otherwise.</li>
 * </ul>
 */
public enum BackendChoice {
    LOCAL,
    LOCALSTACK,
    AUTO;

    /** System property that forces a backend, e.g. {@code -Deksaccess.aws=local}. */
    public static final String PROPERTY = "eksaccess.aws";

    /**
     * Reads a choice as written in {@value #PROPERTY}; absent or blank means {@link #AUTO}.
     *
     * @throws IllegalArgumentException naming the property and the accepted values when the value is unknown
     */
    public static BackendChoice parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        String normalised = value.strip().toUpperCase(Locale.ROOT);
        for (BackendChoice choice : values()) {
            if (choice.name().equals(normalised)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is not a backend; use one of "
                + Arrays.stream(values()).map(BackendChoice::propertyValue).collect(Collectors.joining(", ")));
    }

    /** The choice from the {@value #PROPERTY} system property. */
    public static BackendChoice fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    /**
     * Settles {@link #AUTO} into a concrete backend. The Docker probe is consulted only when the answer depends on
     * it, so {@code local} never pays for a Docker lookup.
     *
     * @throws EmulatorUnavailableException when LocalStack is forced and no Docker engine answers
     */
    public BackendKind resolve(BooleanSupplier dockerAvailable) {
        return switch (this) {
            case LOCAL -> BackendKind.LOCAL;
            case AUTO -> dockerAvailable.getAsBoolean() ? BackendKind.LOCALSTACK : BackendKind.LOCAL;
            case LOCALSTACK -> {
                if (!dockerAvailable.getAsBoolean()) {
                    throw new EmulatorUnavailableException("-D" + PROPERTY + "=localstack needs a Docker engine, "
                            + "and none answered (checked DOCKER_HOST, the Docker socket and ~/.testcontainers.properties). "
                            + "Start Docker, or use -D" + PROPERTY + "=local (ElasticMQ + dynalite, needs Node.js "
                            + "and `npm ci` at the repository root).");
                }
                yield BackendKind.LOCALSTACK;
            }
        };
    }

    /** How this choice is written in the system property. */
    public String propertyValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
