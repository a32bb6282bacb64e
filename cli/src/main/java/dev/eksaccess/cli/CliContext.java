package dev.eksaccess.cli;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI takes from its surroundings, injectable for tests: the clock ({@code requestedAt}, expiry checks),
 * the environment variables it reads, and how it connects to SQS, DynamoDB and STS.
 *
 * @param clock       the time requests are stamped with and expiries are judged by
 * @param environment environment variables ({@code EKS_ACCESS_QUEUE_URL}, {@code USER}, ...)
 * @param sqs         builds the SQS client for a region and optional endpoint
 * @param dynamoDb    builds the DynamoDB client the ledger is read with
 * @param identity    who the caller is ({@code pending} without {@code --approver})
 * @param clusters    how {@code migrate} reaches a cluster's aws-auth (EKS, its Kubernetes API) and IAM
 * @param lambda      builds the Lambda client {@code adopt} invokes the adoption function with
 */
public record CliContext(Clock clock, Map<String, String> environment, SqsConnector sqs, DynamoDbConnector dynamoDb,
                         CallerIdentity identity, ClusterConnector clusters, LambdaConnector lambda) {

    /** Names the CLI reads from the environment. */
    public static final String QUEUE_URL_VARIABLE = "EKS_ACCESS_QUEUE_URL";
    public static final String LEDGER_TABLE_VARIABLE = "EKS_ACCESS_LEDGER_TABLE";
    public static final String INVENTORY_TABLE_VARIABLE = "EKS_ACCESS_INVENTORY_TABLE";
    public static final String ALLOWED_POLICIES_VARIABLE = "EKS_ACCESS_ALLOWED_POLICIES";
    public static final String MAX_GRANT_DURATION_VARIABLE = "EKS_ACCESS_MAX_GRANT_DURATION";
    public static final String ADOPTION_FUNCTION_VARIABLE = "EKS_ACCESS_ADOPTION_FUNCTION";

    public CliContext {
        Objects.requireNonNull(clock, "clock");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(sqs, "sqs");
        Objects.requireNonNull(dynamoDb, "dynamoDb");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(clusters, "clusters");
        Objects.requireNonNull(lambda, "lambda");
    }

    /** Surroundings whose Lambda client, if {@code adopt} asks for one, comes from the SDK's default chain. */
    public CliContext(Clock clock, Map<String, String> environment, SqsConnector sqs, DynamoDbConnector dynamoDb,
                      CallerIdentity identity, ClusterConnector clusters) {
        this(clock, environment, sqs, dynamoDb, identity, clusters, LambdaConnector.defaultChain());
    }

    /** Surroundings for the commands that never reach a cluster: {@code migrate} refuses to connect. */
    public CliContext(Clock clock, Map<String, String> environment, SqsConnector sqs, DynamoDbConnector dynamoDb,
                      CallerIdentity identity) {
        this(clock, environment, sqs, dynamoDb, identity, ClusterConnector.NONE);
    }

    /** The real surroundings: system clock, process environment, SDK default credentials chain. */
    public static CliContext system() {
        CallerIdentity identity = CallerIdentity.defaultChain();
        return new CliContext(Clock.systemUTC(), System.getenv(), SqsConnector.defaultChain(),
                DynamoDbConnector.defaultChain(), identity, ClusterConnector.defaultChain(Clock.systemUTC(), identity),
                LambdaConnector.defaultChain());
    }

    /** A variable's value, or null when unset or blank. */
    String variable(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
