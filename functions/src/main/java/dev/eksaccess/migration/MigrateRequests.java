package dev.eksaccess.migration;

import dev.eksaccess.awsauth.MigrationPlan;
import dev.eksaccess.awsauth.PlannedEntry;
import dev.eksaccess.awsauth.PlannedMapping;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The migrate requests of a plan: one per mapping that migrates to an entry type this system creates (STANDARD,
 * EC2_LINUX), in the plan's order. The one translation from {@link PlannedEntry} to the grant queue's contract.
 *
 * <p>Each request's id is derived from the cluster and what the entry is to be, so sending the same plan again
 * sends the same ids, which the grant processor records as duplicates: re-running {@code migrate --apply} changes
 * nothing. A mapping edited meanwhile gets a new id and is applied.
 */
public final class MigrateRequests {

    /** Request ids start with this. */
    public static final String ID_PREFIX = "migrate-";
    private static final int HASH_HEX_DIGITS = 20;

    private MigrateRequests() {
    }

    /** Whether a planned mapping is sent: it migrates, to a type this system creates. */
    public static boolean sendable(PlannedMapping mapping) {
        return mapping.verdict() == PlannedMapping.Verdict.MIGRATE && mapping.entry().map(MigrateRequests::typeOf)
                .filter(AccessRequest.MIGRATE_ENTRY_TYPES::contains).isPresent();
    }

    /**
     * @param requestedAt  when the requests are made (their order among requests for the same principal and policy)
     * @param requestedBy  audit text, or null
     */
    public static List<AccessRequest> of(MigrationPlan plan, ClusterRef cluster, Instant requestedAt,
                                         String requestedBy) {
        List<AccessRequest> requests = new ArrayList<>();
        for (PlannedMapping mapping : plan.mappings()) {
            if (!sendable(mapping)) {
                continue;
            }
            PlannedEntry entry = mapping.entry().orElseThrow();
            String type = typeOf(entry);
            boolean node = type.equals(NewAccessEntry.EC2_LINUX);
            String policy = entry.clusterPolicies().stream().findFirst().orElse(null);
            String source = mapping.source() + ": " + mapping.subject() + " groups " + mapping.groups()
                    + mapping.username().map(u -> " username " + u).orElse("")
                    + plan.resourceVersion().map(v -> ", aws-auth resourceVersion " + v).orElse("");
            requests.add(new AccessRequest(Action.MIGRATE, cluster, entry.principalArn(), policy,
                    policy == null ? null : AccessScope.cluster(), node ? null : entry.kubernetesGroups(),
                    node ? null : entry.username().orElse(null), null, requestId(cluster, entry), requestedAt,
                    requestedBy, "migration of aws-auth " + mapping.source(),
                    new AccessRequest.Migration(type, source)));
        }
        return requests;
    }

    private static String typeOf(PlannedEntry entry) {
        return entry.type() == PlannedEntry.Type.STANDARD ? AccessEntry.STANDARD : entry.type().name();
    }

    /** The id of the request that makes {@code entry} on {@code cluster}: the same entry, the same id. */
    static String requestId(ClusterRef cluster, PlannedEntry entry) {
        String identity = String.join("\n", cluster.arn(), entry.principalArn(), entry.type().name(),
                entry.username().orElse(""), String.join(",", entry.kubernetesGroups()),
                String.join(",", entry.clusterPolicies()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            String name = cluster.name().length() > 64 ? cluster.name().substring(0, 64) : cluster.name();
            return ID_PREFIX + name + "-" + HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
