package dev.eksaccess.config;

import dev.eksaccess.authz.InternalSenders;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.contract.eligibility.EligibilityDocumentException;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.engine.BootstrapSettings;
import dev.eksaccess.request.RequestRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of the grant processor and the expiry sweep, read once from the environment; a missing or malformed
 * value stops start-up with a message naming the variable.
 *
 * @param ledgerTable          {@link Setting#LEDGER_TABLE}
 * @param registryTable        {@link Setting#REGISTRY_TABLE}
 * @param grantQueueUrl        {@link Setting#GRANT_QUEUE_URL}
 * @param homeAccountId        the account of the grant queue, which is the function's own: clusters given by name
 *                             are there
 * @param admins               {@link Setting#ADMIN_PRINCIPALS}
 * @param creatorAdmin         {@link Setting#CREATOR_ADMIN}
 * @param allowAuthModeSwitch  {@link Setting#ALLOW_AUTH_MODE_SWITCH}
 * @param crossAccountRoleName {@link Setting#CROSS_ACCOUNT_ROLE_NAME}, empty when unset
 * @param allowedPolicies      {@link Setting#ALLOWED_POLICIES}, default {@link AccessPolicies#DEFAULT_ALLOWED}
 * @param maxGrantDuration     {@link Setting#MAX_GRANT_DURATION}, default P7D
 * @param eligibility          the document {@link Setting#ELIGIBILITY_FILE} names, read and checked at start-up with
 *                             the parser {@code cdk synth} uses; empty when the variable is unset, and then every
 *                             team request is denied
 * @param internalSenders      {@link Setting#CLUSTER_CREATION_ROLE_ARN}, {@link Setting#EXPIRY_SWEEP_ROLE_ARN} and
 *                             {@link Setting#GRANT_PROCESSOR_ROLE_ARN}
 * @param outcomeBus           {@link Setting#OUTCOME_BUS}, empty when outcome events are only logged
 * @param crossAccount         {@link Setting#MEMBER_ACCOUNTS} and {@link Setting#CROSS_ACCOUNT_EXTERNAL_ID}
 */
public record GrantProcessorConfig(String ledgerTable, String registryTable, String grantQueueUrl,
                                   String homeAccountId, List<AdminGrant> admins, boolean creatorAdmin,
                                   boolean allowAuthModeSwitch, Optional<String> crossAccountRoleName,
                                   List<String> allowedPolicies, Duration maxGrantDuration,
                                   Optional<EligibilityDocument> eligibility, InternalSenders internalSenders,
                                   Optional<String> outcomeBus, CrossAccountSettings crossAccount) {

    public GrantProcessorConfig {
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
                Optional.empty(), CrossAccountSettings.NONE);
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
                CrossAccountSettings.NONE);
    }

    /** The same configuration, reaching these member accounts. */
    public GrantProcessorConfig withCrossAccount(CrossAccountSettings settings) {
        return new GrantProcessorConfig(ledgerTable, registryTable, grantQueueUrl, homeAccountId, admins,
                creatorAdmin, allowAuthModeSwitch, crossAccountRoleName, allowedPolicies, maxGrantDuration,
                eligibility, internalSenders, outcomeBus, settings);
    }

    /** The same configuration with this eligibility document and these internal senders. */
    public GrantProcessorConfig withAuthorization(EligibilityDocument document, InternalSenders senders) {
        return new GrantProcessorConfig(ledgerTable, registryTable, grantQueueUrl, homeAccountId, admins,
                creatorAdmin, allowAuthModeSwitch, crossAccountRoleName, allowedPolicies, maxGrantDuration,
                Optional.of(document), senders, outcomeBus, crossAccount);
    }

    /** @throws ConfigException naming the variable that is missing or malformed */
    public static GrantProcessorConfig from(Environment environment) {
        SqsQueueUrl queue = environment.queueUrl(Setting.GRANT_QUEUE_URL);
        return new GrantProcessorConfig(
                environment.required(Setting.LEDGER_TABLE),
                environment.required(Setting.REGISTRY_TABLE),
                queue.url(),
                queue.accountId(),
                AdminPrincipals.parseAll(environment),
                environment.flag(Setting.CREATOR_ADMIN, false),
                environment.flag(Setting.ALLOW_AUTH_MODE_SWITCH, false),
                environment.roleName(Setting.CROSS_ACCOUNT_ROLE_NAME),
                allowedPolicies(environment),
                environment.duration(Setting.MAX_GRANT_DURATION, RequestRules.DEFAULT_MAX_GRANT_DURATION),
                eligibility(environment),
                new InternalSenders(roleArn(environment, Setting.CLUSTER_CREATION_ROLE_ARN),
                        roleArn(environment, Setting.EXPIRY_SWEEP_ROLE_ARN),
                        roleArn(environment, Setting.GRANT_PROCESSOR_ROLE_ARN)),
                environment.optional(Setting.OUTCOME_BUS),
                CrossAccountSettings.from(environment));
    }

    private static Optional<String> roleArn(Environment environment, Setting setting) {
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

    /**
     * The document {@link Setting#ELIGIBILITY_FILE} names. A document that cannot be read or has problems stops
     * start-up, naming the variable, the file and every problem, each with its JSON path.
     */
    private static Optional<EligibilityDocument> eligibility(Environment environment) {
        Optional<String> value = environment.optional(Setting.ELIGIBILITY_FILE);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path file = Path.of(value.get());
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Environment.invalid(Setting.ELIGIBILITY_FILE, value.get(), "the file cannot be read (" + e + ")");
        }
        try {
            return Optional.of(EligibilityDocument.parse(text));
        } catch (EligibilityDocumentException e) {
            throw new ConfigException(Setting.ELIGIBILITY_FILE.variable() + " names " + file
                    + ", an eligibility document with " + e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + ": " + String.join("; ", e.problems()));
        }
    }

    private static List<String> allowedPolicies(Environment environment) {
        List<String> configured = environment.list(Setting.ALLOWED_POLICIES);
        if (configured.isEmpty()) {
            return AccessPolicies.DEFAULT_ALLOWED;
        }
        List<String> names = new ArrayList<>();
        for (String item : configured) {
            String name = AccessPolicies.shortNameOf(item).orElseThrow(() -> Environment.invalid(
                    Setting.ALLOWED_POLICIES, item, "'" + item + "' is not an EKS access policy name"));
            names.add(name);
        }
        return names;
    }
}
