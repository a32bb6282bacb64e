package dev.eksaccess.emulator.eks;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A copy of one emulated cluster, its access entries and its updates, for assertions. */
public record ClusterSnapshot(
        String name,
        String arn,
        String accountId,
        String region,
        ClusterStatus status,
        AuthenticationMode authenticationMode,
        boolean bootstrapClusterCreatorAdminPermissions,
        String creatorPrincipalArn,
        Instant createdAt,
        Map<String, String> tags,
        List<AccessEntrySnapshot> accessEntries,
        List<ClusterUpdateSnapshot> updates) {

    public ClusterSnapshot {
        tags = Map.copyOf(tags);
        accessEntries = List.copyOf(accessEntries);
        updates = List.copyOf(updates);
    }

    /** The entry for a principal ARN, if there is one. */
    public Optional<AccessEntrySnapshot> accessEntry(String principalArn) {
        return accessEntries.stream().filter(e -> e.principalArn().equals(principalArn)).findFirst();
    }
}
