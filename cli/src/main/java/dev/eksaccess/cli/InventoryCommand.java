package dev.eksaccess.cli;

import dev.eksaccess.inventory.ClusterInventory;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eks-access inventory}: who holds which access entry on which cluster, from the latest reconciliation. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"Show the access inventory the last reconciliation wrote: per registered cluster, each access "
                + "entry's principal, type, groups, username, policies with scope, who made it (eks-access with the "
                + "request id, EKS's creator bootstrap, or someone outside eks-access) and expiry.",
                "Flags: NO_POLICY (entry without a policy), PRINCIPAL_GONE (its IAM role or user no longer exists), "
                        + "PAST_END (a time-bound grant past its end), CONFIG_MAP (cluster access in aws-auth, not "
                        + "shown), ONLY_CREATOR_ADMIN (only the creator holds cluster admin), UNREADABLE (the "
                        + "cluster could not be read)."},
        footer = {"", "Examples:", "  eks-access inventory", "  eks-access inventory --cluster payments-prod",
                "  eks-access inventory --principal arn:aws:iam::111122223333:role/teams/payments-dev --format json",
                "  eks-access inventory --format csv > inventory.csv", "", ExitCodes.INVENTORY_SUMMARY})
final class InventoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Option(names = "--principal", paramLabel = "ARN", description = "Only this principal's entries.")
    String principal;

    @Mixin
    InventoryOptions inventory;

    InventoryCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        InventoryOptions.Selection selection = inventory.select(context, principal == null ? null : principal.trim());
        if (selection.view() == null) {
            return selection.exitCode();
        }
        InventoryView view = selection.view();
        List<ClusterInventory> selected = selection.clusters();
        PrintWriter out = spec.commandLine().getOut();
        switch (inventory.format) {
            case json -> JsonOutput.print(out, view.json(selected));
            case csv -> view.csv(out, selected);
            case table -> view.table(out, selected);
        }
        return ExitCodes.OK;
    }
}
