package dev.eksaccess.contract;

import dev.eksaccess.contract.eligibility.EligibilityRule;
import dev.eksaccess.contract.eligibility.Glob;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the system does when someone else changes access that one of its grants holds (docs/drift.md, "Repair"):
 * {@link #ALERT} records and reports the change (the default); {@link #RESTORE} also re-applies the grant through the
 * grant queue.
 *
 * <p>{@link #of} is the one definition of a grant's mode, used by the drift responder and documented once: the rule
 * that allowed the grant decides when it says {@code "drift"}; else the deployment's {@code driftRestoreClusters}
 * decide by the cluster; else {@link #ALERT}. A rule saying {@code "alert"} therefore keeps its grants alerting on a
 * cluster that restores, and a rule saying {@code "restore"} restores on any cluster.
 */
public enum DriftMode {
    ALERT("alert"), RESTORE("restore");

    /**
     * The {@code errorType} of the grant processor's log line when a restore is stopped by the no-loop rule (the same
     * entry restored twice within {@code DRIFT_RESTORE_WINDOW}); the stack's {@code DriftRestoreStopped} alarm filters
     * on it.
     */
    public static final String RESTORE_STOPPED = "DriftRestoreStopped";

    private final String wireName;

    DriftMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The mode named {@code value} ({@code alert} or {@code restore}, exactly). */
    public static Optional<DriftMode> fromWire(String value) {
        return Arrays.stream(values()).filter(mode -> mode.wireName.equals(value)).findFirst();
    }

    /** The wire names, for error messages: {@code alert or restore}. */
    public static String wireNames() {
        return Arrays.stream(values()).map(DriftMode::wireName).collect(Collectors.joining(" or "));
    }

    /**
     * The mode of a grant: its rule's {@code drift} when the rule says one, else {@link #RESTORE} when a pattern of
     * {@code restoreClusters} covers the cluster, else {@link #ALERT}.
     *
     * @param rule            the rule that allowed the grant; empty for grants no rule allowed (the bootstrap's, a
     *                        grant from before the rule was recorded, a rule removed since)
     * @param restoreClusters the deployment's {@code driftRestoreClusters}: patterns over the cluster ARN when they
     *                        start with {@code arn:}, else over the cluster name
     * @param clusterArn      the cluster's ARN ({@code arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME})
     */
    public static DriftMode of(Optional<EligibilityRule> rule, List<String> restoreClusters, String clusterArn) {
        Optional<DriftMode> said = rule.flatMap(EligibilityRule::drift);
        if (said.isPresent()) {
            return said.get();
        }
        String name = clusterArn.substring(clusterArn.lastIndexOf('/') + 1);
        return restoreClusters.stream().anyMatch(pattern -> Glob.matches(pattern,
                pattern.startsWith("arn:") ? clusterArn : name)) ? RESTORE : ALERT;
    }
}
