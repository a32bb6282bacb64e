package dev.eksaccess.awsauth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per aws-auth mapping, the access entry it becomes or why it cannot.
 *
 * @param resourceVersion the aws-auth version the plan was made from
 * @param mappings        one item per {@code mapRoles}, {@code mapUsers} and {@code mapAccounts} entry, in that order
 */
public record MigrationPlan(Optional<String> resourceVersion, List<PlannedMapping> mappings) {

    public MigrationPlan {
        Objects.requireNonNull(resourceVersion, "resourceVersion");
        mappings = List.copyOf(mappings);
    }

    /** How many mappings have {@code verdict}. */
    public long count(PlannedMapping.Verdict verdict) {
        return mappings.stream().filter(m -> m.verdict() == verdict).count();
    }

    /** Whether every mapping migrates, so that nothing aws-auth grants would be lost with it. */
    public boolean complete() {
        return count(PlannedMapping.Verdict.MIGRATE) == mappings.size();
    }
}
