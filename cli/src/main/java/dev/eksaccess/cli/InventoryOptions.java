package dev.eksaccess.cli;

import dev.eksaccess.aws.DynamoInventory;
import dev.eksaccess.inventory.Snapshot;
import dev.eksaccess.inventory.ClusterInventory;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The inventory table and how to reach it, which cluster to show and how: the flags {@code inventory} and
 * {@code who-can} share.
 */
final class InventoryOptions extends TableOptions {

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Only this cluster: its name or ARN.")
    String cluster;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or csv.")
    InventoryView.Format format;

    /** --cluster, trimmed; null when not given. */
    String cluster() {
        return cluster == null ? null : cluster.trim();
    }

    @Option(names = "--inventory-table", paramLabel = "NAME",
            description = "The inventory's DynamoDB table (stack output InventoryTableName). Default: $"
                    + CliContext.INVENTORY_TABLE_VARIABLE + ".")
    String table;

    /**
     * What to show: the clusters {@code --cluster} selects, each with {@code principal}'s entries (null: all), and
     * the view to show them with; or, with a null view, the exit code after saying on stderr why there is nothing.
     */
    record Selection(InventoryView view, List<ClusterInventory> clusters, int exitCode) {
    }

    /** Reads the current snapshot with the reconciler's own adapter ({@link DynamoInventory}) and selects from it. */
    Selection select(CliContext context, String principal) {
        String table = table();
        Region region = region();
        Optional<Snapshot> snapshot;
        try (DynamoDbClient dynamo = context.dynamoDb().connect(region, endpoint())) {
            snapshot = new DynamoInventory(dynamo, table).current();
        } catch (SdkException e) {
            return new Selection(null, List.of(), readFailed(table, e));
        } catch (IllegalStateException expired) {
            return new Selection(null, List.of(), notFound(expired.getMessage()));
        }
        if (snapshot.isEmpty()) {
            return new Selection(null, List.of(), notFound("the inventory table " + table + " holds no snapshot "
                    + "yet: the reconciliation has not run. Run it (aws lambda invoke --function-name <stack output "
                    + "ReconcilerFunctionName> out.json) or wait for its schedule"));
        }
        InventoryView view = new InventoryView(snapshot.get(), context.clock().instant());
        List<ClusterInventory> selected = view.select(cluster(), principal);
        if (selected.isEmpty()) {
            return new Selection(null, List.of(), notFound("no registered cluster " + cluster() + " in "
                    + view.heading()));
        }
        return new Selection(view, selected, ExitCodes.OK);
    }

    /** Says {@code why} on stderr; returns {@link ExitCodes#NOT_FOUND}. */
    int notFound(String why) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("eks-access: " + why);
        err.flush();
        return ExitCodes.NOT_FOUND;
    }

    @Override
    String givenTable() {
        return table;
    }

    @Override
    String flag() {
        return "--inventory-table";
    }

    @Override
    String variable() {
        return CliContext.INVENTORY_TABLE_VARIABLE;
    }

    @Override
    String stackOutput() {
        return "InventoryTableName";
    }

    @Override
    String what() {
        return "inventory table";
    }
}
