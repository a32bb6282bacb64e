package dev.eksaccess.cdk;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.DeploymentSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a deployment can configure, read once from CDK context and validated at synth time
 * ({@link ContextParser}). Immutable.
 *
 * @param adminPrincipals     bootstrapped as admins on every new cluster
 * @param allowedPolicies     access policies (short names) grant requests may ask for
 * @param senderPrincipals    IAM principal ARNs or account ids allowed to send to the grant queue
 * @param allowAuthModeSwitch opt-in: move CONFIG_MAP clusters to API_AND_CONFIG_MAP
 * @param creatorAdmin        give the creator cluster admin when EKS did not
 * @param existingTrail       a trail (e.g. an organization trail) already delivers management events
 * @param alarmEmail          subscribed to the alarm topic when present
 * @param crossAccountRoleName role (optionally path/name) the grant processor assumes in member accounts
 * @param maxGrantDuration    longest time-bound grant
 * @param clusterArns         clusters the grant processor may change; empty: all of the deployment's account and region
 * @param xrayTracing         active X-Ray tracing on the functions
 * @param functionsJar        the functions' shaded jar
 * @param memberAccounts      accounts whose forwarded CreateCluster events the hub's default bus accepts
 * @param eligibility         the validated eligibility document, delivered to the grant processor; empty when the
 *                            {@code eligibility} key is not set
 * @param outcomeBus          name or ARN of an existing event bus for outcome events; empty: the stack creates one
 * @param organizationId      the AWS Organizations id the spoke role's trust requires of the hub's role
 *                            ({@code aws:PrincipalOrgID}); empty: the trust requires {@code crossAccountExternalId}
 * @param crossAccountExternalId the {@code sts:ExternalId} the spoke role's trust requires and the grant processor
 *                            passes; empty when not configured
 * @param logRetentionDays    retention of the functions' log groups
 * @param kmsKey              {@code create} or an existing key's ARN: the customer managed key for queues, tables,
 *                            alarm topic and log groups; empty: AWS managed keys
 * @param clusterNamePatterns cluster name patterns ({@code payments-*}) the functions may manage, with
 *                            {@code clusterArns}; both empty: every cluster of the account and region
 * @param clusterTag          the tag a cluster must carry to be read or switched; empty: no tag needed
 * @param organizationMembers every account of {@code organizationId} is a member account: no list, no redeploy
 *                            for a new account
 * @param driftRestoreClusters clusters whose grants are restored when someone else changes them (docs/drift.md)
 * @param driftRestoreWindow  the no-loop window of restores
 */
public record DeploymentConfig(
        List<AdminPrincipal> adminPrincipals,
        List<String> allowedPolicies,
        List<String> senderPrincipals,
        boolean allowAuthModeSwitch,
        boolean creatorAdmin,
        boolean existingTrail,
        Optional<String> alarmEmail,
        Optional<String> crossAccountRoleName,
        Duration maxGrantDuration,
        List<String> clusterArns,
        boolean xrayTracing,
        Path functionsJar,
        List<String> memberAccounts,
        Optional<EligibilityFile> eligibility,
        Optional<String> outcomeBus,
        Optional<String> organizationId,
        Optional<String> crossAccountExternalId,
        int logRetentionDays,
        Optional<String> kmsKey,
        List<String> clusterNamePatterns,
        Optional<ClusterTag> clusterTag,
        boolean organizationMembers,
        List<String> driftRestoreClusters,
        Duration driftRestoreWindow) {

    /** The functions' default when {@code maxGrantDuration} is not configured. */
    public static final Duration DEFAULT_MAX_GRANT_DURATION = Duration.ofDays(7);
    /** Log retention when {@code logRetentionDays} is not configured. */
    public static final int DEFAULT_LOG_RETENTION_DAYS = 30;

    public DeploymentConfig {
        adminPrincipals = List.copyOf(adminPrincipals);
        allowedPolicies = List.copyOf(allowedPolicies);
        senderPrincipals = List.copyOf(senderPrincipals);
        clusterArns = List.copyOf(clusterArns);
        memberAccounts = List.copyOf(memberAccounts);
        clusterNamePatterns = List.copyOf(clusterNamePatterns);
        driftRestoreClusters = List.copyOf(driftRestoreClusters);
    }

    /**
     * What the functions read from the deployment settings file: admin principals, allowed policies, member accounts,
     * and drift repair's clusters and window.
     * Synth writes it with {@link DeploymentSettings#toJson()} after {@link ContextParser} checked that the functions'
     * parser accepts it.
     */
    public DeploymentSettings deploymentSettings() {
        return new DeploymentSettings(adminPrincipals.stream()
                .map(admin -> new DeploymentSettings.Admin(admin.principalArn(), admin.policy())).toList(),
                allowedPolicies, memberAccounts, organizationMembers ? organizationId : Optional.empty(),
                driftRestoreClusters, driftRestoreWindow);
    }

    /**
     * Every access policy the grant processor may associate: what requests may ask for, what the admin bootstrap
     * gives, and cluster admin for the creator when {@link #creatorAdmin()} is on. The IAM {@code eks:policyArn}
     * condition is built from this set; the functions still enforce {@link #allowedPolicies()} for requests.
     */
    public List<String> associablePolicies() {
        Set<String> policies = new LinkedHashSet<>(allowedPolicies);
        adminPrincipals.forEach(admin -> policies.add(admin.policy()));
        if (creatorAdmin) {
            policies.add(AccessPolicies.CLUSTER_ADMIN);
        }
        return List.copyOf(policies);
    }
}
