package dev.eksaccess.reconcile;

import dev.eksaccess.inventory.ClusterInventory;
import dev.eksaccess.inventory.Snapshot;
import dev.eksaccess.log.Level;
import dev.eksaccess.log.LogEvent;
import java.util.List;

/**
 * What one reconciliation run found.
 *
 * @param snapshot            the published inventory
 * @param findings            every difference, and every cluster that could not be read
 * @param principalsUnchecked principals IAM could not answer for (an outage, a missing permission): not flagged
 */
public record Reconciliation(Snapshot snapshot, List<Finding> findings, int principalsUnchecked) {

    /** Findings listed per log line; the counts cover them all. */
    static final int LOGGED_FINDINGS = 50;

    public Reconciliation {
        findings = List.copyOf(findings);
    }

    public long count(Finding.Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).count();
    }

    /**
     * The run's log line: INFO when EKS matched the grant states everywhere, WARN (with the findings) when not, ERROR
     * when a cluster could not be read or was not read for lack of time, which raises the function's logged-errors
     * alarm ({@code errorType} {@code ClusterUnreadable} or {@code RunOutOfTime}).
     */
    public LogEvent summary() {
        boolean failed = count(Finding.Kind.CLUSTER_FAILED) > 0;
        boolean outOfTime = count(Finding.Kind.CLUSTER_NOT_READ) > 0;
        Level level = failed || outOfTime ? Level.ERROR : findings.isEmpty() ? Level.INFO : Level.WARN;
        int entries = snapshot.clusters().stream().mapToInt(c -> c.entries().size()).sum();
        String reason = snapshot.clusters().size() + " cluster(s), " + entries + " access entr(y/ies) read; "
                + (findings.isEmpty() ? "EKS matches the grant states" : findings.size() + " finding(s)");
        return LogEvent.of(level, "reconciled", reason, json -> {
            if (level == Level.ERROR) {
                json.writeStringField("errorType", failed ? "ClusterUnreadable" : "RunOutOfTime");
            }
            json.writeStringField("snapshotId", snapshot.snapshotId());
            json.writeNumberField("clusters", snapshot.clusters().size());
            json.writeNumberField("unreadableClusters", snapshot.clusters().stream()
                    .filter(c -> c.failure() != null).count());
            json.writeNumberField("entries", entries);
            json.writeNumberField("principalsUnchecked", principalsUnchecked);
            json.writeObjectFieldStart("findings");
            for (Finding.Kind kind : Finding.Kind.values()) {
                json.writeNumberField(kind.name(), count(kind));
            }
            json.writeEndObject();
            json.writeArrayFieldStart("details");
            for (Finding finding : findings.subList(0, Math.min(findings.size(), LOGGED_FINDINGS))) {
                json.writeStartObject();
                json.writeStringField("kind", finding.kind().name());
                json.writeStringField("clusterArn", finding.clusterArn());
                if (finding.principalArn() != null) {
                    json.writeStringField("principalArn", finding.principalArn());
                }
                if (finding.policyArn() != null) {
                    json.writeStringField("policyArn", finding.policyArn());
                }
                json.writeStringField("detail", finding.detail());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /** The clusters that could not be read. */
    public List<ClusterInventory> unreadable() {
        return snapshot.clusters().stream().filter(c -> c.failure() != null).toList();
    }
}
