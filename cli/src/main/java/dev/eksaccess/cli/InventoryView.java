package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.inventory.ClusterInventory;
import dev.eksaccess.inventory.Flag;
import dev.eksaccess.inventory.InventoryEntry;
import dev.eksaccess.inventory.Origin;
import dev.eksaccess.inventory.Snapshot;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How {@code inventory} and {@code who-can} show a snapshot: the clusters and entries a filter selects, each entry's
 * flags (with {@link Flag#PAST_END} judged again now, as the snapshot may be a day old), why it exists, and the three
 * formats.
 */
final class InventoryView {

    /** The output formats; lower case, as they are typed. */
    enum Format {
        table, json, csv
    }

    static final String POLICY_PREFIX = "arn:aws:eks::aws:cluster-access-policy/";
    private static final List<String> CSV_HEADER = List.of("clusterArn", "clusterFlags", "principalArn", "type",
            "kubernetesGroups", "username", "policies", "origin", "requestId", "expiresAt", "flags", "why");

    private final Snapshot snapshot;
    private final Instant now;

    InventoryView(Snapshot snapshot, Instant now) {
        this.snapshot = snapshot;
        this.now = now;
    }

    /** Whether {@code cluster} is the one {@code given} names: its ARN, or its name. */
    static boolean names(String given, ClusterInventory cluster) {
        return cluster.clusterArn().equals(given) || cluster.clusterArn().endsWith(":cluster/" + given);
    }

    /** The clusters {@code cluster} (null: all) names, each with only {@code principal}'s entry (null: all). */
    List<ClusterInventory> select(String cluster, String principal) {
        List<ClusterInventory> selected = new ArrayList<>();
        for (ClusterInventory c : snapshot.clusters()) {
            if (cluster != null && !names(cluster, c)) {
                continue;
            }
            List<InventoryEntry> entries = c.entries().stream()
                    .filter(e -> principal == null || e.principalArn().equals(principal)).toList();
            selected.add(new ClusterInventory(c.clusterArn(), c.authenticationMode(), c.failure(), c.flags(), entries));
        }
        return selected;
    }

    /** The entry's flags, {@link Flag#PAST_END} included when its grant ended by now. */
    Set<String> flags(InventoryEntry entry) {
        Set<String> flags = entry.flags().stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
        if (entry.expiresAt() != null && !entry.expiresAt().isAfter(now)) {
            flags.add(Flag.PAST_END.name());
        }
        return flags;
    }

    static Set<String> flags(ClusterInventory cluster) {
        return cluster.flags().stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Why the entry exists, for a person. */
    static String why(InventoryEntry entry) {
        return switch (entry.origin()) {
            case SYSTEM -> "eks-access request " + entry.requestId();
            case CREATOR -> "EKS gave the cluster's creator access (bootstrap)";
            case EXTERNAL -> "made outside eks-access";
        };
    }

    static String policy(AssociatedPolicy policy) {
        String name = policy.policyArn().startsWith(POLICY_PREFIX)
                ? policy.policyArn().substring(POLICY_PREFIX.length()) : policy.policyArn();
        return name + "@" + (policy.scope().type() == AccessScope.Type.CLUSTER ? "cluster"
                : "namespaces:" + String.join(",", policy.scope().namespaces()));
    }

    static String policies(InventoryEntry entry) {
        return entry.policies().isEmpty() ? "-" : entry.policies().stream().map(InventoryView::policy)
                .collect(Collectors.joining(" "));
    }

    /** The snapshot's heading: which run, when. */
    String heading() {
        return "inventory snapshot " + snapshot.snapshotId() + " taken " + snapshot.takenAt() + " ("
                + StatusCommand.count(snapshot.clusters().size(), "registered cluster") + ")";
    }

    ObjectNode json(List<ClusterInventory> clusters) {
        ObjectNode document = JsonOutput.JSON.createObjectNode()
                .put("snapshotId", snapshot.snapshotId()).put("takenAt", snapshot.takenAt().toString());
        ArrayNode array = document.putArray("clusters");
        for (ClusterInventory cluster : clusters) {
            ObjectNode node = array.addObject().put("clusterArn", cluster.clusterArn())
                    .put("authenticationMode", cluster.authenticationMode()).put("failure", cluster.failure());
            flags(cluster).forEach(node.putArray("flags")::add);
            ArrayNode entries = node.putArray("entries");
            cluster.entries().forEach(entry -> entries.add(json(entry)));
        }
        return document;
    }

    ObjectNode json(InventoryEntry entry) {
        ObjectNode node = JsonOutput.JSON.createObjectNode().put("principalArn", entry.principalArn())
                .put("type", entry.type());
        entry.kubernetesGroups().forEach(node.putArray("kubernetesGroups")::add);
        node.put("username", entry.username());
        ArrayNode policies = node.putArray("policies");
        for (AssociatedPolicy policy : entry.policies()) {
            ObjectNode p = policies.addObject().put("policyArn", policy.policyArn())
                    .put("scope", policy.scope().type().wireName());
            policy.scope().namespaces().forEach(p.putArray("namespaces")::add);
        }
        node.put("origin", entry.origin().name()).put("requestId", entry.requestId())
                .put("expiresAt", entry.expiresAt() == null ? null : entry.expiresAt().toString())
                .put("why", why(entry));
        flags(entry).forEach(node.putArray("flags")::add);
        return node;
    }

    /** One row per entry; a cluster without entries (CONFIG_MAP, unreadable, none selected) is one row without one. */
    void csv(PrintWriter out, List<ClusterInventory> clusters) {
        out.println(String.join(",", CSV_HEADER));
        for (ClusterInventory cluster : clusters) {
            String clusterFlags = String.join(" ", flags(cluster));
            if (cluster.entries().isEmpty()) {
                out.println(csvLine(List.of(cluster.clusterArn(), clusterFlags, "", "", "", "", "", "", "", "", "",
                        cluster.failure() == null ? "" : cluster.failure())));
            }
            for (InventoryEntry e : cluster.entries()) {
                out.println(csvLine(List.of(cluster.clusterArn(), clusterFlags, e.principalArn(), e.type(),
                        String.join(" ", e.kubernetesGroups()), e.username() == null ? "" : e.username(),
                        e.policies().stream().map(InventoryView::policy).collect(Collectors.joining(" ")),
                        e.origin().name(), e.requestId() == null ? "" : e.requestId(),
                        e.expiresAt() == null ? "" : e.expiresAt().toString(), String.join(" ", flags(e)), why(e))));
            }
        }
        out.flush();
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String csvLine(List<String> fields) {
        return fields.stream().map(field -> field.contains(",") || field.contains("\"") || field.contains("\n")
                ? "\"" + field.replace("\"", "\"\"") + "\"" : field).collect(Collectors.joining(","));
    }

    /** Aligned columns, one line per entry, each cluster's line first. */
    void table(PrintWriter out, List<ClusterInventory> clusters) {
        out.println(heading());
        for (ClusterInventory cluster : clusters) {
            out.println();
            Set<String> clusterFlags = flags(cluster);
            out.println(cluster.clusterArn() + (cluster.authenticationMode() == null ? ""
                    : "  " + cluster.authenticationMode()) + (clusterFlags.isEmpty() ? "" : "  [" + String.join(" ",
                    clusterFlags) + "]"));
            if (cluster.failure() != null) {
                out.println("  not read: " + cluster.failure());
            } else if (cluster.flags().contains(Flag.CONFIG_MAP)) {
                out.println("  access is in the aws-auth ConfigMap, which the inventory does not read");
            } else if (cluster.entries().isEmpty()) {
                out.println("  no access entry selected");
            }
            List<String[]> rows = new ArrayList<>();
            for (InventoryEntry e : cluster.entries()) {
                Set<String> flags = flags(e);
                rows.add(new String[] {e.principalArn(), e.type(), policies(e), origin(e),
                        e.expiresAt() == null ? "-" : e.expiresAt().toString(),
                        flags.isEmpty() ? "" : String.join(" ", flags)});
            }
            if (!rows.isEmpty()) {
                rows.addFirst(new String[] {"PRINCIPAL", "TYPE", "POLICIES", "MADE BY", "EXPIRES", "FLAGS"});
                aligned(out, rows);
            }
        }
        out.flush();
    }

    static String origin(InventoryEntry entry) {
        return entry.origin() == Origin.SYSTEM ? "eks-access:" + entry.requestId() : entry.origin().name()
                .toLowerCase(java.util.Locale.ROOT);
    }

    static void aligned(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
