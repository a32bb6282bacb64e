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

/**
 * A DynamoDB table a reading command reads and how to reach it: the flags {@link LedgerOptions} (status, pending) and
 * {@link InventoryOptions} (inventory, who-can) share; each names its table's flag, variable and stack output.
 */
abstract class TableOptions {

    /** DynamoDB's table names: 3-255 letters, digits, '_', '-' and '.'. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region of the table (the stack's). Default: the SDK's region chain (AWS_REGION, profile).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "DynamoDB endpoint override, e.g. LocalStack's http://localhost:4566.")
    URI endpointUrl;

    /** The table as given, or null. */
    abstract String givenTable();

    /** The table's flag, such as {@code --ledger-table}. */
    abstract String flag();

    /** The environment variable that gives the flag's default. */
    abstract String variable();

    /** The stack output that names the table. */
    abstract String stackOutput();

    /** How messages name the table: {@code ledger table}. */
    abstract String what();

    /** The table to read; a usage error when none is given or the name is not a DynamoDB table name. */
    String table() {
        AwsClients.checkEndpoint(spec, endpointUrl);
        String table = givenTable();
        if (table == null) {
            throw usage("no " + what() + ": give " + flag() + " or set " + variable() + " (the stack output "
                    + stackOutput() + ")");
        }
        String name = table.trim();
        if (!TABLE_NAME.matcher(name).matches()) {
            throw usage(flag() + ": '" + table + "' is not a DynamoDB table name (3-255 letters, digits, "
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
                () -> usage("no region for the " + what() + ": give --region or set AWS_REGION"));
    }

    Optional<URI> endpoint() {
        return Optional.ofNullable(endpointUrl);
    }

    /** Says on stderr that {@code table} could not be read, and why; returns {@link ExitCodes#AWS_FAILED}. */
    int readFailed(String table, SdkException problem) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("eks-access: could not read the " + what() + " " + table + ": " + problem.getMessage());
        err.flush();
        return ExitCodes.AWS_FAILED;
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
