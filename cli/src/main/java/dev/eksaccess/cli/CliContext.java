package dev.eksaccess.cli;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI takes from its surroundings, injectable for tests: the clock ({@code requestedAt}, expiry checks),
 * the environment variables it reads, and how it connects to SQS.
 *
 * @param clock       the time requests are stamped with
 * @param environment environment variables ({@code EKS_ACCESS_QUEUE_URL}, {@code USER}, ...)
 * @param sqs         builds the SQS client for a region and optional endpoint
 */
public record CliContext(Clock clock, Map<String, String> environment, SqsConnector sqs) {

    /** Names the CLI reads from the environment. */
    public static final String QUEUE_URL_VARIABLE = "EKS_ACCESS_QUEUE_URL";
    public static final String ALLOWED_POLICIES_VARIABLE = "EKS_ACCESS_ALLOWED_POLICIES";
    public static final String MAX_GRANT_DURATION_VARIABLE = "EKS_ACCESS_MAX_GRANT_DURATION";

    public CliContext {
        Objects.requireNonNull(clock, "clock");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(sqs, "sqs");
    }

    /** The real surroundings: system clock, process environment, SDK default credentials chain. */
    public static CliContext system() {
        return new CliContext(Clock.systemUTC(), System.getenv(), SqsConnector.defaultChain());
    }

    /** A variable's value, or null when unset or blank. */
    String variable(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
