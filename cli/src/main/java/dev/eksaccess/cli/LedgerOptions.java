package dev.eksaccess.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;

/** The audit ledger and how to reach it: the flags every reading command (status, pending) shares. */
final class LedgerOptions {

    /** DynamoDB's table names: 3-255 letters, digits, '_', '-' and '.'. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--ledger-table", paramLabel = "NAME",
            description = "The audit ledger's DynamoDB table (stack output LedgerTableName). Default: $"
                    + CliContext.LEDGER_TABLE_VARIABLE + ".")
    String table;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region of the ledger table (the stack's). Default: the SDK's region chain "
                    + "(AWS_REGION, profile).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "DynamoDB endpoint override, e.g. LocalStack's http://localhost:4566.")
    URI endpointUrl;

    /** The table to read; a usage error when none is given or the name is not a DynamoDB table name. */
    String table() {
        AwsClients.checkEndpoint(spec, endpointUrl);
        if (table == null) {
            throw usage("no ledger table: give --ledger-table or set " + CliContext.LEDGER_TABLE_VARIABLE
                    + " (the stack output LedgerTableName)");
        }
        String name = table.trim();
        if (!TABLE_NAME.matcher(name).matches()) {
            throw usage("--ledger-table: '" + table + "' is not a DynamoDB table name (3-255 letters, digits, "
                    + "'_', '-' and '.')");
        }
        return name;
    }

    /** --region, else the SDK's chain; a usage error when neither names one. */
    Region region() {
        if (region != null) {
            return Region.of(region.trim());
        }
        return AwsClients.chainRegion().orElseThrow(
                () -> usage("no region for the ledger table: give --region or set AWS_REGION"));
    }

    Optional<URI> endpoint() {
        return Optional.ofNullable(endpointUrl);
    }

    /** Says on stderr that {@code table} could not be read, and why; returns {@link ExitCodes#AWS_FAILED}. */
    int readFailed(String table, SdkException problem) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("eks-access: could not read the ledger table " + table + ": " + problem.getMessage());
        err.flush();
        return ExitCodes.AWS_FAILED;
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
