package dev.eksaccess.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eksaccess.adopt.AdoptionService;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Prints a {@link Report}: one JSON document, or tables a person reads. */
final class ReportRenderer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportRenderer() {
    }

    static String json(Report report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report does not serialise", e);
        }
    }

    static String table(Report report) {
        StringBuilder out = new StringBuilder();
        section(out, "CLUSTERS", report.clusters(),
                List.of("NAME", "ACCOUNT", "REGION", "STATUS", "MODE", "CREATOR", "REGISTERED BY", "BOOTSTRAP"),
                c -> List.of(c.name(), c.accountId(), c.region(), c.status(), c.authenticationMode()
                                + (c.updates().isEmpty() ? "" : " (updated: " + String.join("; ", c.updates()) + ")"),
                        c.creator().principalArn() + " (" + c.creator().type() + ")", registeredBy(c.registeredBy()),
                        c.bootstrap() == null ? "-" : c.bootstrap().status() + ": " + c.bootstrap().reason()));
        section(out, "ACCESS ENTRIES", report.accessEntries(),
                List.of("CLUSTER", "PRINCIPAL", "TYPE", "GROUPS", "USERNAME", "POLICIES"),
                e -> List.of(e.clusterName(), e.principalArn(), e.type(), String.join(",", e.kubernetesGroups()),
                        e.username(), e.policies().stream().map(ReportRenderer::policy)
                                .collect(Collectors.joining(", "))));
        section(out, "EVENTS", report.events(), List.of("FILE", "EVENT ID", "OUTCOME", "REASON"),
                e -> List.of(e.file(), e.id(), e.outcome(), e.reason()));
        commands(out, report.commands());
        section(out, "REQUESTS", report.requests(),
                List.of("FROM", "SENDER", "REQUEST ID", "ACTION", "OUTCOME", "STATE", "RECEIVES", "REASON"),
                r -> List.of(r.source(), shortArn(r.sender()), r.requestId(), r.action(), r.outcome(),
                        r.state() == null ? "-" : r.state(), Integer.toString(r.attempts()), r.reason()));
        section(out, "APPROVALS", report.approvals(),
                List.of("REQUEST ID", "REQUESTER", "PRINCIPAL", "POLICY", "STATE", "APPROVED", "APPROVERS"),
                a -> List.of(a.requestId(), shortArn(a.requester()), shortArn(a.principalArn()), a.policy(), a.state(),
                        a.approvedBy().size() + "/" + a.required()
                                + (a.approvedBy().isEmpty() ? "" : " by " + arns(a.approvedBy()))
                                + (a.deniedBy() == null ? "" : ", denied by " + shortArn(a.deniedBy())),
                        arns(a.approvers())));
        section(out, "EXTERNAL CHANGES", report.externalChanges(),
                List.of("CLUSTER", "EVENT ID", "CHANGE", "BY", "SEVERITY", "WHY"),
                c -> List.of(c.clusterName(), c.eventId(), c.change(), shortArn(c.actor()), c.severity(), c.reason()));
        section(out, "AWS-AUTH MIGRATION PLAN (eks-access migrate --plan)", report.awsAuth(),
                List.of("CLUSTER", "MAPPING", "VERDICT", "TYPE", "PRINCIPAL", "GROUPS", "POLICIES"),
                m -> List.of(m.clusterName(), m.source(), m.verdict(), m.entryType() == null ? "-" : m.entryType(),
                        m.principalArn(), m.kubernetesGroups().isEmpty() ? "-" : String.join(",", m.kubernetesGroups()),
                        m.clusterPolicies().isEmpty() ? "-" : String.join(",", m.clusterPolicies()) + " (cluster)"));
        section(out, "INVENTORY (one reconciliation run at the end)", inventoryRows(report.inventory()),
                List.of("CLUSTER", "MODE", "PRINCIPAL", "POLICIES", "MADE BY", "FLAGS"), row -> row);
        section(out, "DEAD LETTERS", report.deadLetters(), List.of("MESSAGE ID", "RECEIVES", "BODY"),
                d -> List.of(d.messageId(), d.receiveCount(), d.body().replaceAll("\\s+", " ")));
        if (!report.warnings().isEmpty()) {
            out.append("WARNINGS\n");
            report.warnings().forEach(warning -> out.append("  ").append(warning).append('\n'));
        }
        return out.toString();
    }

    /**
     * Each eks-access command as a terminal would show it: the command line with who ran it, then what the CLI printed.
     * Nothing at all when no command file was played.
     */
    private static void commands(StringBuilder out, List<Report.Command> commands) {
        if (commands.isEmpty()) {
            return;
        }
        out.append("EKS-ACCESS COMMANDS (the CLI, run as the sender)\n");
        for (Report.Command command : commands) {
            out.append("  $ ").append(command.command()).append("    # ").append(command.file()).append(", as ")
                    .append(shortArn(command.sender())).append(", exit code ").append(command.exitCode()).append('\n');
            (command.output() + command.errors()).lines()
                    .forEach(line -> out.append("    ").append(line).append('\n'));
        }
        out.append('\n');
    }

    /** A row per entry; a cluster that has flags or a failure also gets a row of its own ({@code (cluster)}). */
    private static List<List<String>> inventoryRows(List<Report.InventoryCluster> inventory) {
        List<List<String>> rows = new ArrayList<>();
        for (Report.InventoryCluster cluster : inventory) {
            String name = cluster.clusterArn().substring(cluster.clusterArn().lastIndexOf('/') + 1);
            String mode = cluster.authenticationMode() == null ? "-" : cluster.authenticationMode();
            if (!cluster.flags().isEmpty() || cluster.failure() != null) {
                rows.add(List.of(name, mode, "(cluster)", cluster.failure() == null ? "-" : cluster.failure(), "-",
                        String.join(",", cluster.flags())));
            }
            cluster.entries().forEach(entry -> rows.add(List.of(name, mode, entry.principalArn(),
                    entry.policies().isEmpty() ? "-" : entry.policies().stream().map(ReportRenderer::policy)
                            .collect(Collectors.joining(", ")),
                    entry.madeBy() + (entry.requestId() == null ? "" : " " + entry.requestId())
                            + (entry.expiresAt() == null ? "" : " until " + entry.expiresAt()),
                    entry.flags().isEmpty() ? "-" : String.join(",", entry.flags()))));
        }
        return rows;
    }

    /** Who registered a cluster, in a word: adoption, or the cluster-creation function from its event. */
    private static String registeredBy(String source) {
        return source == null ? "-" : source.startsWith(AdoptionService.SOURCE) ? AdoptionService.SOURCE
                : "cluster-creation";
    }

    /** An IAM ARN of the sandbox's account without its prefix: {@code role/sandbox/team}. */
    private static String shortArn(String arn) {
        String prefix = "arn:aws:iam::" + Sandbox.ACCOUNT_ID + ":";
        return arn == null ? null : arn.startsWith(prefix) ? arn.substring(prefix.length()) : arn;
    }

    private static String arns(List<String> arns) {
        return arns.stream().map(ReportRenderer::shortArn).collect(Collectors.joining(","));
    }

    private static String policy(Report.Policy policy) {
        String name = policy.policyArn().substring(policy.policyArn().lastIndexOf('/') + 1);
        return name + (policy.accessScope().namespaces().isEmpty() ? " (cluster)"
                : " (" + String.join(",", policy.accessScope().namespaces()) + ")");
    }

    /** A title, then aligned columns; the last column, usually a reason, runs as long as it needs. */
    private static <T> void section(StringBuilder out, String title, List<T> items, List<String> headers,
            Function<T, List<String>> row) {
        out.append(title).append('\n');
        if (items.isEmpty()) {
            out.append("  (none)\n\n");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(headers);
        items.forEach(item -> rows.add(row.apply(item).stream().map(cell -> cell == null ? "-" : cell).toList()));
        int[] widths = new int[headers.size()];
        rows.forEach(cells -> {
            for (int i = 0; i < cells.size(); i++) {
                widths[i] = Math.max(widths[i], cells.get(i).length());
            }
        });
        for (List<String> cells : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < cells.size(); i++) {
                line.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s  ", cells.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n');
    }
}
