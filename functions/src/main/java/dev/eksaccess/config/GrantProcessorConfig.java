package dev.eksaccess.config;

import dev.eksaccess.authz.InternalSenders;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.engine.BootstrapSettings;
import dev.eksaccess.request.RequestRules;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of the grant processor and the expiry sweep, read once at start from the environment and the
 * deployment settings file it names ({@link Setting#DEPLOYMENT_FILE}); a missing or malformed value stops start-up
 * with a message naming the variable (and, for the file, each problem with its JSON path).
 *
 * @param ledgerTable          {@link Setting#LEDGER_TABLE}
 * @param registryTable        {@link Setting#REGISTRY_TABLE}
 * @param grantQueueUrl        {@link Setting#GRANT_QUEUE_URL}
 * @param homeAccountId        the account of the grant queue, which is the function's own: clusters given by name
 *                             are there
 * @param admins               {@link DeploymentSettings#adminPrincipals()}, from {@link Setting#DEPLOYMENT_FILE}
 * @param creatorAdmin         {@link Setting#CREATOR_ADMIN}
 * @param allowAuthModeSwitch  {@link Setting#ALLOW_AUTH_MODE_SWITCH}
 * @param crossAccountRoleName {@link Setting#CROSS_ACCOUNT_ROLE_NAME}, empty when unset
 * @param allowedPolicies      {@link DeploymentSettings#allowedPolicies()}, default {@link AccessPolicies#DEFAULT_ALLOWED}
 * @param maxGrantDuration     {@link Setting#MAX_GRANT_DURATION}, default P7D
 * @param eligibility          the document {@link Setting#ELIGIBILITY_FILE} names, read and checked at start-up with
 *                             the parser {@code cdk synth} uses; empty when the variable is unset, and then every
 *                             team request is denied
 * @param internalSenders      {@link Setting#CLUSTER_CREATION_ROLE_ARN}, {@link Setting#EXPIRY_SWEEP_ROLE_ARN},
 *                             {@link Setting#GRANT_PROCESSOR_ROLE_ARN} and {@link Setting#DRIFT_FUNCTION_ROLE_ARN}
 * @param outcomeBus           {@link Setting#OUTCOME_BUS}, empty when outcome events are only logged
 * @param crossAccount         the deployment file's member accounts and {@link Setting#CROSS_ACCOUNT_EXTERNAL_ID}
 * @param driftRestoreWindow   {@link DeploymentSettings#driftRestoreWindow()}, the no-loop window of drift restores
 */
public record GrantProcessorConfig(String ledgerTable, String registryTable, String grantQueueUrl,
                                   String homeAccountId, List<AdminGrant> admins, boolean creatorAdmin,
                                   boolean allowAuthModeSwitch, Optional<String> crossAccountRoleName,
                                   List<String> allowedPolicies, Duration maxGrantDuration,
                                   Optional<EligibilityDocument> eligibility, InternalSenders internalSenders,
                                   Optional<String> outcomeBus, CrossAccountSettings crossAccount,
                                   Duration driftRestoreWindow) {

    public GrantProcessorConfig {
        Objects.requireNonNull(driftRestoreWindow, "driftRestoreWindow");
        Objects.requireNonNull(crossAccount, "crossAccount");
        Objects.requireNonNull(ledgerTable, "ledgerTable");
        Objects.requireNonNull(registryTable, "registryTable");
        Objects.requireNonNull(grantQueueUrl, "grantQueueUrl");
        Objects.requireNonNull(homeAccountId, "homeAccountId");
        Objects.requireNonNull(eligibility, "eligibility");
        Objects.requireNonNull(internalSenders, "internalSenders");
        Objects.requireNonNull(outcomeBus, "outcomeBus");
        admins = List.copyOf(admins);
        allowedPolicies = List.copyOf(allowedPolicies);
    }

    /**
     * A configuration without an eligibility document, internal senders or outcome bus, as built by tests, the
     * sandbox and the benchmarks, which add them with {@link #withAuthorization}: without them every message is
     * refused.
     */
    public GrantProcessorConfig(String ledgerTable, String registryTable, String grantQueueUrl,
                                String homeAccountId, List<AdminGrant> admins, boolean creatorAdmin,
                                boolean allowAuthModeSwitch, Optional<String> crossAccountRoleName,
                                List<String> allowedPolicies, Duration maxGrantDuration) {
        this(ledgerTable, registryTable, grantQueueUrl, homeAccountId, admins, creatorAdmin, allowAuthModeSwitch,
                crossAccountRoleName, allowedPolicies, maxGrantDuration, Optional.empty(), InternalSenders.NONE,
                Optional.empty(), CrossAccountSettings.NONE, DeploymentSettings.DEFAULT_DRIFT_RESTORE_WINDOW);
    }

    /** A configuration without member accounts (clusters of the home account only). */
    public GrantProcessorConfig(String ledgerTable, String registryTable, String grantQueueUrl,
                                String homeAccountId, List<AdminGrant> admins, boolean creatorAdmin,
                                boolean allowAuthModeSwitch, Optional<String> crossAccountRoleName,
                                List<String> allowedPolicies, Duration maxGrantDuration,
                                Optional<EligibilityDocument> eligibility, InternalSenders internalSenders,
                                Optional<String> outcomeBus) {
        this(ledgerTable, registryTable, grantQueueUrl, homeAccountId, admins, creatorAdmin, allowAuthModeSwitch,
                crossAccountRoleName, allowedPolicies, maxGrantDuration, eligibility, internalSenders, outcomeBus,
                CrossAccountSettings.NONE, DeploymentSettings.DEFAULT_DRIFT_RESTORE_WINDOW);
    }

    /** The same configuration, reaching these member accounts. */
    public GrantProcessorConfig withCrossAccount(CrossAccountSettings settings) {
        return new GrantProcessorConfig(ledgerTable, registryTable, grantQueueUrl, homeAccountId, admins,
                creatorAdmin, allowAuthModeSwitch, crossAccountRoleName, allowedPolicies, maxGrantDuration,
                eligibility, internalSenders, outcomeBus, settings, driftRestoreWindow);
    }

    /** The same configuration with this eligibility document and these internal senders. */
    public GrantProcessorConfig withAuthorization(EligibilityDocument document, InternalSenders senders) {
        return new GrantProcessorConfig(ledgerTable, registryTable, grantQueueUrl, homeAccountId, admins,
                creatorAdmin, allowAuthModeSwitch, crossAccountRoleName, allowedPolicies, maxGrantDuration,
                Optional.of(document), senders, outcomeBus, crossAccount, driftRestoreWindow);
    }

    /** @throws ConfigException naming the variable that is missing or malformed */
    public static GrantProcessorConfig from(Environment environment) {
        SqsQueueUrl queue = environment.queueUrl(Setting.GRANT_QUEUE_URL);
        DeploymentSettings deployment = DeploymentFile.read(environment);
        return new GrantProcessorConfig(
                environment.required(Setting.LEDGER_TABLE),
                environment.required(Setting.REGISTRY_TABLE),
                queue.url(),
                queue.accountId(),
                AdminPrincipals.of(deployment),
                environment.flag(Setting.CREATOR_ADMIN, false),
                environment.flag(Setting.ALLOW_AUTH_MODE_SWITCH, false),
                environment.roleName(Setting.CROSS_ACCOUNT_ROLE_NAME),
                deployment.allowedPolicies(),
                environment.duration(Setting.MAX_GRANT_DURATION, RequestRules.DEFAULT_MAX_GRANT_DURATION),
                EligibilityFile.read(environment),
                new InternalSenders(roleArn(environment, Setting.CLUSTER_CREATION_ROLE_ARN),
                        roleArn(environment, Setting.EXPIRY_SWEEP_ROLE_ARN),
                        roleArn(environment, Setting.GRANT_PROCESSOR_ROLE_ARN),
                        roleArn(environment, Setting.DRIFT_FUNCTION_ROLE_ARN),
                        roleArn(environment, Setting.ADOPTION_ROLE_ARN)),
                environment.optional(Setting.OUTCOME_BUS),
                CrossAccountSettings.from(environment, deployment),
                deployment.driftRestoreWindow());
    }

    /** An optional IAM role ARN setting; the access-change function reads its own roles so too. */
    static Optional<String> roleArn(Environment environment, Setting setting) {
        Optional<String> value = environment.optional(setting);
        value.ifPresent(arn -> {
            if (!arn.matches("arn:aws(-cn|-us-gov)?:iam::\\d{12}:role/.+")) {
                throw Environment.invalid(setting, arn);
            }
        });
        return value;
    }

    /** Validation rules for requests, with clusters given by name living in {@code homeRegion}. */
    public RequestRules requestRules(String homeRegion) {
        return new RequestRules(allowedPolicies, maxGrantDuration, homeRegion, homeAccountId);
    }

    public BootstrapSettings bootstrapSettings() {
        return new BootstrapSettings(admins, creatorAdmin, allowAuthModeSwitch);
    }
}
