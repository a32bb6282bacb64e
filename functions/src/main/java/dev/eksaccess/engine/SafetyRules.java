package dev.eksaccess.engine;

import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.registry.ClusterRecord;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules that keep people from being locked out of a cluster, in one place. Each returns the refusal reason, or
 * empty when the change is allowed.
 */
public final class SafetyRules {

    private final Set<String> adminPrincipals;

    public SafetyRules(List<AdminGrant> admins) {
        this.adminPrincipals = admins.stream().map(AdminGrant::principalArn).collect(Collectors.toUnmodifiableSet());
    }

    /** Team requests never change the creator's entry nor a configured admin's access. */
    public Optional<String> refuseTeamRequest(String principalArn, Optional<ClusterRecord> cluster) {
        if (cluster.isPresent() && principalArn.equals(cluster.get().creatorPrincipalArn())) {
            return Optional.of("principal " + principalArn + " created the cluster; its access entry is never "
                    + "changed by requests");
        }
        if (adminPrincipals.contains(principalArn)) {
            return Optional.of("principal " + principalArn + " is a configured admin (ADMIN_PRINCIPALS); its access "
                    + "is managed by configuration, not by requests");
        }
        return Optional.empty();
    }

    /** Groups and policies exist only on STANDARD entries; node and service entries are never modified. */
    public Optional<String> refuseNonStandard(AccessEntry entry) {
        if (entry != null && !entry.isStandard()) {
            return Optional.of("the access entry of " + entry.principalArn() + " is of type " + entry.type()
                    + "; only STANDARD entries are managed");
        }
        return Optional.empty();
    }

    /**
     * Removing cluster admin from the last principal that holds it at cluster scope could leave nobody able to reach
     * the cluster: holders scoped to namespaces cannot repair access, so they do not count.
     *
     * @param clusterScopeHolders principals holding AmazonEKSClusterAdminPolicy at cluster scope
     */
    public Optional<String> refuseRemovingLastClusterAdmin(String principalArn, Collection<String> clusterScopeHolders) {
        boolean othersHoldIt = clusterScopeHolders.stream().anyMatch(holder -> !holder.equals(principalArn));
        if (!othersHoldIt) {
            return Optional.of("principal " + principalArn + " is the last one holding AmazonEKSClusterAdminPolicy "
                    + "at cluster scope; revoking it could lock everyone out of the cluster");
        }
        return Optional.empty();
    }

    /** Only entries this system created are ever deleted; the reason explains why an entry is kept. */
    public Optional<String> refuseDeletingEntry(AccessEntry entry) {
        if (!entry.createdByThisSystem()) {
            return Optional.of("entry kept: it was not created by eks-access (no tag "
                    + AccessEntry.MANAGED_BY_TAG + "=" + AccessEntry.MANAGED_BY_VALUE + ")");
        }
        return Optional.empty();
    }

    /** Whether {@code principalArn} is a configured admin. */
    public boolean isConfiguredAdmin(String principalArn) {
        return adminPrincipals.contains(principalArn);
    }
}
