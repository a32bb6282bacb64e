package dev.eksaccess.cli;

import dev.eksaccess.awsauth.CurrentEntry;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.migration.CurrentEntries;
import dev.eksaccess.model.ClusterRef;
import java.util.List;

/**
 * One cluster as {@code migrate --apply} and {@code --compare} need it: its ARN as EKS reports it (what the migrate
 * requests name) and its current access entries, read with the functions' own EKS adapter.
 *
 * @param cluster the cluster, with the account and region of its ARN
 * @param eks     where its entries are read
 */
record ClusterAccess(ClusterRef cluster, EksAccess eks) {

    /** Reads the cluster's ARN (DescribeCluster) so that requests name the cluster EKS has. */
    static ClusterAccess of(EksAccess eks, ClusterRef assumed) {
        String arn = eks.describeCluster(assumed).arn();
        return new ClusterAccess(arn == null ? assumed : ClusterRef.parseArn(arn).orElse(assumed), eks);
    }

    List<CurrentEntry> entries() {
        return CurrentEntries.read(eks, cluster);
    }
}
