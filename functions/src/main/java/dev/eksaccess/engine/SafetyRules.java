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
            return Optional.of("principal " + principalArn + " is a configured admin (adminPrincipals); its access "
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

    /**
     * The Kubernetes identity (groups, username) of an entry eks-access did not create belongs to whoever made it
     * (EKS for the creator, a platform team, another tool): a grant may add a policy to it, never rewrite its groups or
     * username, since that could widen or hijack an identity RBAC already binds.
     *
     * @param groups   the requested groups, or null when the request names none
     * @param username the requested username, or null when the request names none
     */
    public Optional<String> refuseRewritingIdentity(AccessEntry existing, List<String> groups, String username) {
        if (existing == null || existing.createdByThisSystem()) {
            return Optional.empty();
        }
        boolean groupsDiffer = groups != null && !Set.copyOf(groups).equals(Set.copyOf(existing.kubernetesGroups()));
        boolean usernameDiffers = username != null && !username.equals(existing.username());
        if (!groupsDiffer && !usernameDiffers) {
            return Optional.empty();
        }
        return Optional.of("the access entry of " + existing.principalArn() + " was not created by eks-access (no tag "
                + AccessEntry.MANAGED_BY_TAG + "=" + AccessEntry.MANAGED_BY_VALUE + "): its "
                + (groupsDiffer && usernameDiffers ? "kubernetesGroups and username are" : groupsDiffer
                ? "kubernetesGroups are" : "username is") + " never rewritten; send the grant without them to "
                + "associate the policy only");
    }

    /**
     * A username must not pass for another principal's in Kubernetes (RBAC subjects, audit logs):
     * <ul>
     *   <li>never an ARN ({@code arn:}, any case): EKS's default username of an IAM user is its ARN and of a role its
     *       STS assumed-role ARN, so an ARN-shaped username poses as an IAM identity;</li>
     *   <li>never the username of another principal's access entry on the same cluster (exact match, templates such
     *       as {@code {{SessionName}}} included as written).</li>
     * </ul>
     *
     * @param otherUsernames the usernames of the cluster's other entries, by principal
     */
    public Optional<String> refuseImpersonatingUsername(String principalArn, String username,
                                                        java.util.Map<String, String> otherUsernames) {
        if (username == null) {
            return Optional.empty();
        }
        if (looksLikeArn(username)) {
            return Optional.of("username " + username + " looks like an ARN, which is how Kubernetes names IAM "
                    + "identities by default: it would impersonate another principal; choose a plain name");
        }
        return otherUsernames.entrySet().stream()
                .filter(other -> !other.getKey().equals(principalArn) && username.equals(other.getValue()))
                .findFirst()
                .map(other -> "username " + username + " is the Kubernetes username of " + other.getKey()
                        + "'s access entry on this cluster: it would impersonate that principal");
    }

    /** Whether a username has the shape of an ARN (EKS's default usernames of IAM identities). */
    public static boolean looksLikeArn(String username) {
        return username.regionMatches(true, 0, "arn:", 0, 4);
    }
}
