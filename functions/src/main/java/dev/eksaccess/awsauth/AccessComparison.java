package dev.eksaccess.awsauth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What aws-auth grants that access entries do not: per mapping of a {@link MigrationPlan}, whether the cluster's
 * current entries hold its equivalent. Pure; read-only for any cluster, and what {@code migrate --apply} reports
 * once its requests are processed.
 *
 * <p>An entry is equivalent to a migrating mapping when it is the planned principal's, of the planned type, and for a
 * STANDARD entry holds every planned group and cluster-scope policy and the planned username (when the plan names
 * one; with none, EKS's default is what the mapping had too). More groups or policies than planned do not make it
 * less equivalent: nothing aws-auth grants is missing.
 */
public final class AccessComparison {

    /** How one mapping stands. */
    public enum Status {
        /** Its access entry is there. */
        EQUIVALENT,
        /** It migrates, but its entry is missing or lacks something ({@link Row#gap()} says what). */
        MISSING,
        /** It does not migrate (or could not be planned): only aws-auth grants it. */
        NOT_MIGRATABLE
    }

    /**
     * @param mapping the planned mapping
     * @param status  how it stands
     * @param gap     what the entry lacks, or why the mapping has none; empty when equivalent
     */
    public record Row(PlannedMapping mapping, Status status, Optional<String> gap) {
        public Row {
            Objects.requireNonNull(mapping, "mapping");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(gap, "gap");
        }
    }

    /** The rows, in the plan's order. */
    public record Result(List<Row> rows) {
        public Result {
            rows = List.copyOf(rows);
        }

        public long count(Status status) {
            return rows.stream().filter(row -> row.status() == status).count();
        }

        /** Whether every mapping that migrates has its equivalent entry. */
        public boolean migratableCovered() {
            return count(Status.MISSING) == 0;
        }

        /** Whether nothing is granted by aws-auth alone: the one state in which moving the cluster to API loses no one. */
        public boolean complete() {
            return count(Status.EQUIVALENT) == rows.size();
        }
    }

    private AccessComparison() {
    }

    public static Result compare(MigrationPlan plan, List<CurrentEntry> entries) {
        Map<String, CurrentEntry> byPrincipal = new HashMap<>();
        entries.forEach(entry -> byPrincipal.put(entry.principalArn(), entry));
        List<Row> rows = new ArrayList<>();
        for (PlannedMapping mapping : plan.mappings()) {
            if (mapping.verdict() != PlannedMapping.Verdict.MIGRATE) {
                rows.add(new Row(mapping, Status.NOT_MIGRATABLE, Optional.of(mapping.explanation())));
                continue;
            }
            PlannedEntry planned = mapping.entry().orElseThrow();
            Optional<String> gap = gap(planned, byPrincipal.get(planned.principalArn()));
            rows.add(new Row(mapping, gap.isEmpty() ? Status.EQUIVALENT : Status.MISSING, gap));
        }
        return new Result(rows);
    }

    private static Optional<String> gap(PlannedEntry planned, CurrentEntry current) {
        if (current == null) {
            return Optional.of("no access entry for " + planned.principalArn());
        }
        if (!current.type().equals(planned.type().name())) {
            return Optional.of("the entry is of type " + current.type() + ", not " + planned.type());
        }
        if (planned.type() != PlannedEntry.Type.STANDARD) {
            return Optional.empty();
        }
        List<String> lacking = new ArrayList<>();
        planned.kubernetesGroups().stream().filter(group -> !current.kubernetesGroups().contains(group))
                .forEach(group -> lacking.add("group " + group));
        planned.clusterPolicies().stream().filter(policy -> !current.clusterScopePolicies().contains(policy))
                .forEach(policy -> lacking.add(policy + " at cluster scope"));
        if (planned.username().isPresent() && !planned.username().equals(current.username())) {
            lacking.add("username " + planned.username().get() + " (it has "
                    + current.username().orElse("none") + ")");
        }
        return lacking.isEmpty() ? Optional.empty() : Optional.of("the entry lacks " + String.join(", ", lacking));
    }
}
