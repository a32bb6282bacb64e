package dev.eksaccess.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import dev.eksaccess.testsupport.AwsBackend;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Runs the CLI in-process as {@code main} would, with captured stdout and stderr. */
final class CliHarness {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** A connector for runs that must not reach SQS. */
    static final SqsConnector NO_SQS = (region, endpoint) -> {
        throw new AssertionError("this run must not connect to SQS");
    };

    /** A connector for runs that must not reach DynamoDB. */
    static final DynamoDbConnector NO_DYNAMODB = (region, endpoint) -> {
        throw new AssertionError("this run must not connect to DynamoDB");
    };

    /** An identity for runs that must not ask STS. */
    static final CallerIdentity NO_STS = region -> {
        throw new AssertionError("this run must not ask STS who the caller is");
    };

    /** What one run produced. */
    record Run(int exitCode, String out, String err) {
    }

    private CliHarness() {
    }

    static Run run(CliContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = EksAccessCli.commandLine(context);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** What the SDK throws when the default chain finds no credentials: how tests make an AWS call fail. */
    static SdkClientException noCredentials() {
        return SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    }

    /** Gives {@code aws}'s credentials to the SDK's default chain (as system properties), as a user's would be. */
    static void exposeToDefaultChain(AwsBackend aws) {
        AwsCredentials credentials = aws.credentials().resolveCredentials();
        System.setProperty("aws.accessKeyId", credentials.accessKeyId());
        System.setProperty("aws.secretAccessKey", credentials.secretAccessKey());
    }

    static void forgetDefaultChainCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    /** A context that reads the ledger {@code table} (from the environment) and sends nothing. */
    static CliContext reading(String table, DynamoDbConnector dynamoDb, CallerIdentity identity) {
        return new CliContext(CLOCK, Map.of(CliContext.LEDGER_TABLE_VARIABLE, table, "USER", "alice"), NO_SQS,
                dynamoDb, identity);
    }

    /** A context that reaches SQS with {@code sqs} and neither DynamoDB nor STS. */
    static CliContext sending(Clock clock, Map<String, String> environment, SqsConnector sqs) {
        return new CliContext(clock, environment, sqs, NO_DYNAMODB, NO_STS);
    }

    /** Fixed clock, {@code USER=alice}, no AWS. */
    static Run run(String... args) {
        return run(sending(CLOCK, Map.of("USER", "alice"), NO_SQS), args);
    }
}
