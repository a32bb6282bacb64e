package dev.eksaccess.config;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.engine.BootstrapSettings;
import dev.eksaccess.request.RequestRules;
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
 */
public record GrantProcessorConfig(String ledgerTable, String registryTable, String grantQueueUrl,
                                   String homeAccountId, List<AdminGrant> admins, boolean creatorAdmin,
                                   boolean allowAuthModeSwitch, Optional<String> crossAccountRoleName,
                                   List<String> allowedPolicies, Duration maxGrantDuration) {

    public GrantProcessorConfig {
        Objects.requireNonNull(ledgerTable, "ledgerTable");
        Objects.requireNonNull(registryTable, "registryTable");
        Objects.requireNonNull(grantQueueUrl, "grantQueueUrl");
        Objects.requireNonNull(homeAccountId, "homeAccountId");
        admins = List.copyOf(admins);
        allowedPolicies = List.copyOf(allowedPolicies);
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
                environment.duration(Setting.MAX_GRANT_DURATION, RequestRules.DEFAULT_MAX_GRANT_DURATION));
    }

    /** Validation rules for requests, with clusters given by name living in {@code homeRegion}. */
    public RequestRules requestRules(String homeRegion) {
        return new RequestRules(allowedPolicies, maxGrantDuration, homeRegion, homeAccountId);
    }

    public BootstrapSettings bootstrapSettings() {
        return new BootstrapSettings(admins, creatorAdmin, allowAuthModeSwitch);
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
