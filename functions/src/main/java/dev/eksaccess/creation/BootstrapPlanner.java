package dev.eksaccess.creation;

import dev.eksaccess.contract.Setting;
import dev.eksaccess.registry.BootstrapStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what happens to a new cluster's admin bootstrap. The bootstrap itself is the grant processor's job; this
 * decides whether to hand it over, and otherwise why not, in words an operator can act on.
 *
 * <p>Rules, in order: nothing to bootstrap (no configured admins, and the creator does not qualify) is
 * {@link BootstrapStatus#NOT_NEEDED}; a cluster in another account without {@link Setting#CROSS_ACCOUNT_ROLE_NAME},
 * or in CONFIG_MAP mode without {@link Setting#ALLOW_AUTH_MODE_SWITCH}, is {@link BootstrapStatus#BLOCKED} (every
 * blocker named); anything else is {@link BootstrapStatus#PENDING}. The creator qualifies when
 * {@link Setting#CREATOR_ADMIN} is true, the cluster was created without {@code bootstrapClusterCreatorAdminPermissions},
 * and the creator is an IAM user or role.
 */
public final class BootstrapPlanner {

    private final List<String> adminPrincipalArns;
    private final boolean creatorAdmin;
    private final boolean allowAuthModeSwitch;
    private final Optional<String> crossAccountRoleName;

    /**
     * @param adminPrincipalArns   the configured admin principals ({@link Setting#DEPLOYMENT_FILE})
     * @param creatorAdmin         {@link Setting#CREATOR_ADMIN}
     * @param allowAuthModeSwitch  {@link Setting#ALLOW_AUTH_MODE_SWITCH}
     * @param crossAccountRoleName {@link Setting#CROSS_ACCOUNT_ROLE_NAME}, empty when unset
     */
    public BootstrapPlanner(List<String> adminPrincipalArns, boolean creatorAdmin, boolean allowAuthModeSwitch,
                            Optional<String> crossAccountRoleName) {
        this.adminPrincipalArns = List.copyOf(adminPrincipalArns);
        this.creatorAdmin = creatorAdmin;
        this.allowAuthModeSwitch = allowAuthModeSwitch;
        this.crossAccountRoleName = Objects.requireNonNull(crossAccountRoleName, "crossAccountRoleName");
    }

    /**
     * The decision for {@code cluster}, created in an account that the function may or may not run in.
     *
     * @param functionAccount the account this function runs in
     */
    public BootstrapDecision plan(ClusterCreated cluster, String functionAccount) {
        Creator creator = cluster.creator();
        boolean creatorQualifies = creatorAdmin && !cluster.bootstrapCreatorAdmin() && creator.accessEntryPrincipal();
        Set<String> principals = new LinkedHashSet<>(adminPrincipalArns);
        if (creatorQualifies) {
            principals.add(creator.principalArn());
        }
        String creatorNote = creatorNote(cluster);
        if (principals.isEmpty()) {
            return new BootstrapDecision(BootstrapStatus.NOT_NEEDED, "nothing to bootstrap: "
                    + "no admin principals are configured (adminPrincipals) and " + whyCreatorIsNotBootstrapped(cluster),
                    List.of(), creatorNote);
        }
        String what = principals.size() + " admin principal(s)" + (creatorQualifies ? " (including the creator)" : "");

        List<String> blockers = new ArrayList<>();
        String clusterAccount = cluster.cluster().accountId();
        if (!clusterAccount.equals(functionAccount) && crossAccountRoleName.isEmpty()) {
            blockers.add("the cluster is in account " + clusterAccount + ", not this function's account "
                    + functionAccount + ", and " + Setting.CROSS_ACCOUNT_ROLE_NAME.variable()
                    + " is not set; set it to the name of a role in that account that the grant processor may assume");
        }
        AuthenticationMode mode = cluster.authenticationMode();
        if (!mode.allowsAccessEntries() && !allowAuthModeSwitch) {
            blockers.add("the authentication mode is " + mode + ", which does not allow access entries, and "
                    + Setting.ALLOW_AUTH_MODE_SWITCH.variable() + " is false; set "
                    + Setting.ALLOW_AUTH_MODE_SWITCH.variable() + "=true (the CDK app's mode-switch option) to let "
                    + "the system move the cluster to " + AuthenticationMode.API_AND_CONFIG_MAP
                    + ", or switch it yourself");
        }
        if (!blockers.isEmpty()) {
            return new BootstrapDecision(BootstrapStatus.BLOCKED,
                    what + " not bootstrapped: " + String.join("; and ", blockers), List.copyOf(principals), creatorNote);
        }
        String plan = mode.allowsAccessEntries()
                ? "waiting for the cluster to become ACTIVE; will bootstrap " + what
                : "waiting for the cluster to become ACTIVE; will switch its authentication mode from " + mode
                        + " to " + AuthenticationMode.API_AND_CONFIG_MAP + " (never " + AuthenticationMode.API
                        + "), wait for ACTIVE again, then bootstrap " + what;
        return new BootstrapDecision(BootstrapStatus.PENDING, plan, List.copyOf(principals), creatorNote);
    }

    private String whyCreatorIsNotBootstrapped(ClusterCreated cluster) {
        if (cluster.bootstrapCreatorAdmin()) {
            return "the creator got cluster admin from EKS (bootstrapClusterCreatorAdminPermissions=true)";
        }
        if (!creatorAdmin) {
            return Setting.CREATOR_ADMIN.variable() + " is false";
        }
        return "the creator (" + cluster.creator().identityType() + ") cannot be given an access entry";
    }

    /** What the system did not do for the creator, or null when nothing worth saying. */
    private String creatorNote(ClusterCreated cluster) {
        Creator creator = cluster.creator();
        if (!creator.accessEntryPrincipal()) {
            return creator.limitation();
        }
        if (!cluster.bootstrapCreatorAdmin() && !creatorAdmin) {
            return "creator admin not granted: the cluster was created with bootstrapClusterCreatorAdminPermissions="
                    + "false and " + Setting.CREATOR_ADMIN.variable() + " is false, so the creator has no access entry";
        }
        return null;
    }
}
