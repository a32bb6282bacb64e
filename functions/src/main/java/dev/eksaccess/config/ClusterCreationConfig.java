package dev.eksaccess.config;

import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.engine.AdminGrant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Configuration of the cluster-creation function, read once at start-up from the environment and the deployment
 * settings file it names ({@link Setting#DEPLOYMENT_FILE}), and validated.
 *
 * @param registryTable        {@link Setting#REGISTRY_TABLE}
 * @param grantQueueUrl        {@link Setting#GRANT_QUEUE_URL}
 * @param adminGrants          the deployment file's admin principals ({@link Setting#DEPLOYMENT_FILE}), possibly empty
 * @param creatorAdmin         {@link Setting#CREATOR_ADMIN}
 * @param allowAuthModeSwitch  {@link Setting#ALLOW_AUTH_MODE_SWITCH}
 * @param crossAccountRoleName {@link Setting#CROSS_ACCOUNT_ROLE_NAME}, empty when unset
 * @param crossAccount         the deployment file's member accounts and {@link Setting#CROSS_ACCOUNT_EXTERNAL_ID}: whose
 *                             clusters it may verify through their role
 */
public record ClusterCreationConfig(
        String registryTable,
        String grantQueueUrl,
        List<AdminGrant> adminGrants,
        boolean creatorAdmin,
        boolean allowAuthModeSwitch,
        Optional<String> crossAccountRoleName,
        CrossAccountSettings crossAccount) {

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    public ClusterCreationConfig {
        Objects.requireNonNull(registryTable, "registryTable");
        Objects.requireNonNull(grantQueueUrl, "grantQueueUrl");
        adminGrants = List.copyOf(adminGrants);
        Objects.requireNonNull(crossAccountRoleName, "crossAccountRoleName");
        Objects.requireNonNull(crossAccount, "crossAccount");
    }

    /** A configuration without member accounts (clusters of the function's own account only). */
    public ClusterCreationConfig(String registryTable, String grantQueueUrl, List<AdminGrant> adminGrants,
                                 boolean creatorAdmin, boolean allowAuthModeSwitch,
                                 Optional<String> crossAccountRoleName) {
        this(registryTable, grantQueueUrl, adminGrants, creatorAdmin, allowAuthModeSwitch, crossAccountRoleName,
                CrossAccountSettings.NONE);
    }

    /**
     * Reads and validates every setting the function uses.
     *
     * @throws ConfigException naming the first variable that is missing or malformed
     */
    public static ClusterCreationConfig from(Environment environment) {
        String table = environment.required(Setting.REGISTRY_TABLE);
        if (!TABLE_NAME.matcher(table).matches()) {
            throw Environment.invalid(Setting.REGISTRY_TABLE, table,
                    "DynamoDB table names are 3-255 letters, digits, '_', '-' or '.'");
        }
        String queueUrl = environment.queueUrl(Setting.GRANT_QUEUE_URL).url();
        DeploymentSettings deployment = DeploymentFile.read(environment);
        return new ClusterCreationConfig(table, queueUrl, AdminPrincipals.of(deployment),
                environment.flag(Setting.CREATOR_ADMIN, false),
                environment.flag(Setting.ALLOW_AUTH_MODE_SWITCH, false),
                environment.roleName(Setting.CROSS_ACCOUNT_ROLE_NAME),
                CrossAccountSettings.from(environment, deployment));
    }

    /**
     * The role the function assumes in member accounts to verify their clusters: the read-only one next to the grant
     * processor's ({@link IamRoleName#clusterReader}), which may only describe clusters; empty without
     * {@link Setting#CROSS_ACCOUNT_ROLE_NAME}.
     */
    public Optional<String> clusterReaderRoleName() {
        return crossAccountRoleName.map(IamRoleName::clusterReader);
    }

    /** The configured admin principal ARNs, in configuration order. */
    public List<String> adminPrincipalArns() {
        return adminGrants.stream().map(AdminGrant::principalArn).toList();
    }
}
