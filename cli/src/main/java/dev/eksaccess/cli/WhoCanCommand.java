package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.inventory.ClusterInventory;
import dev.eksaccess.inventory.Flag;
import dev.eksaccess.inventory.InventoryEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eks-access who-can --principal P}: which clusters P reaches, with which policies, and why. */
@Command(name = "who-can", mixinStandardHelpOptions = true,
        description = {"What can this principal reach? Every registered cluster where it has an access entry, with "
                + "its policies and scopes, and why: the eks-access request that granted it, EKS's creator "
                + "bootstrap, or a change made outside eks-access. From the last reconciliation's inventory.",
                "Clusters whose access the inventory cannot show (CONFIG_MAP: aws-auth; UNREADABLE) are listed as "
                        + "unknown."},
        footer = {"", "Examples:", "  eks-access who-can --principal arn:aws:iam::111122223333:role/teams/payments-dev",
                "  eks-access who-can --principal arn:aws:iam::111122223333:user/ana --cluster payments-prod "
                        + "--format json", "", ExitCodes.INVENTORY_SUMMARY})
final class WhoCanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Option(names = "--principal", required = true, paramLabel = "ARN",
            description = "The IAM role or user ARN (with its path).")
    String principal;

    @Mixin
    InventoryOptions inventory;

    WhoCanCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String who = principal.trim();
        InventoryOptions.Selection selection = inventory.select(context, who);
        if (selection.view() == null) {
            return selection.exitCode();
        }
        InventoryView view = selection.view();
        List<ClusterInventory> selected = selection.clusters();
        List<ClusterInventory> reached = selected.stream().filter(c -> !c.entries().isEmpty()).toList();
        List<ClusterInventory> unknown = selected.stream()
                .filter(c -> c.flags().contains(Flag.CONFIG_MAP) || c.flags().contains(Flag.UNREADABLE)).toList();
        PrintWriter out = spec.commandLine().getOut();
        switch (inventory.format) {
            case json -> {
                ObjectNode document = view.json(reached).put("principalArn", who);
                ArrayNode array = document.putArray("unknown");
                unknown.forEach(c -> array.addObject().put("clusterArn", c.clusterArn())
                        .put("why", c.failure() != null ? c.failure() : "CONFIG_MAP: access is in aws-auth"));
                JsonOutput.print(out, document);
            }
            case csv -> view.csv(out, reached);
            case table -> text(out, view, who, reached, unknown);
        }
        return ExitCodes.OK;
    }

    private static void text(PrintWriter out, InventoryView view, String who, List<ClusterInventory> reached,
                             List<ClusterInventory> unknown) {
        out.println(who + (reached.isEmpty() ? " has no access entry on any registered cluster"
                : " can reach " + StatusCommand.count(reached.size(), "cluster")) + " (" + view.heading() + ")");
        for (ClusterInventory cluster : reached) {
            for (InventoryEntry entry : cluster.entries()) {
                out.println();
                out.println(cluster.clusterArn());
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"policies:", InventoryView.policies(entry)});
                if (!entry.kubernetesGroups().isEmpty()) {
                    rows.add(new String[] {"groups:", String.join(" ", entry.kubernetesGroups())});
                }
                rows.add(new String[] {"why:", InventoryView.why(entry)});
                if (entry.expiresAt() != null) {
                    rows.add(new String[] {"expires:", entry.expiresAt().toString()});
                }
                if (!view.flags(entry).isEmpty()) {
                    rows.add(new String[] {"flags:", String.join(" ", view.flags(entry))});
                }
                InventoryView.aligned(out, rows);
            }
        }
        if (!unknown.isEmpty()) {
            out.println();
            out.println("unknown on " + StatusCommand.count(unknown.size(), "cluster") + ":");
            unknown.forEach(c -> out.println("  " + c.clusterArn() + "  " + (c.failure() != null
                    ? "not read: " + c.failure() : "CONFIG_MAP: access is in aws-auth, which the inventory does not "
                    + "read")));
        }
        out.flush();
    }
}
