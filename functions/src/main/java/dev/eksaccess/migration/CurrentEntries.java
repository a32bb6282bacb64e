package dev.eksaccess.migration;

import dev.eksaccess.awsauth.CurrentEntry;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.model.ClusterRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A cluster's access entries as {@link dev.eksaccess.awsauth.AccessComparison} compares them. */
public final class CurrentEntries {

    private CurrentEntries() {
    }

    /** Every entry with its cluster-scope policies (ListAccessEntries, DescribeAccessEntry, ListAssociated...). */
    public static List<CurrentEntry> read(EksAccess eks, ClusterRef cluster) {
        List<CurrentEntry> entries = new ArrayList<>();
        for (String principal : eks.listAccessEntries(cluster, null)) {
            Optional<AccessEntry> entry = eks.describeAccessEntry(cluster, principal);
            if (entry.isEmpty()) {
                continue;
            }
            List<String> clusterPolicies = entry.get().isStandard() ? eks.listAssociatedAccessPolicies(cluster,
                    principal).stream().filter(p -> p.scope().type() == AccessScope.Type.CLUSTER)
                    .map(p -> AccessPolicies.shortNameOf(p.policyArn()).orElse(p.policyArn())).toList() : List.of();
            entries.add(new CurrentEntry(principal, entry.get().type(), Optional.ofNullable(entry.get().username()),
                    entry.get().kubernetesGroups(), clusterPolicies));
        }
        return entries;
    }
}
