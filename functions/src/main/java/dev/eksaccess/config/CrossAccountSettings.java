package dev.eksaccess.config;

import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.Setting;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the functions reach member accounts: which accounts ({@link DeploymentSettings#memberAccounts()}; none: only the
 * function's own), and the {@code ExternalId} their role's trust requires ({@link Setting#CROSS_ACCOUNT_EXTERNAL_ID}).
 * A cluster of any other account is refused before any STS call.
 *
 * @param memberAccounts 12-digit account ids
 * @param externalId     passed to STS AssumeRole, when set
 * @param organization   the deployment file's {@code memberOrganization}: every account of it is a member, so no
 *                       account is refused here; the hub's IAM lets the functions assume the role only in accounts of
 *                       that organization ({@code aws:ResourceOrgID}), which the member role's trust requires too
 */
public record CrossAccountSettings(Set<String> memberAccounts, Optional<String> externalId,
                                   Optional<String> organization) {

    /** No member accounts: clusters of the function's own account only. */
    public static final CrossAccountSettings NONE = new CrossAccountSettings(Set.of(), Optional.empty());

    /** Listed member accounts only. */
    public CrossAccountSettings(Set<String> memberAccounts, Optional<String> externalId) {
        this(memberAccounts, externalId, Optional.empty());
    }

    /** The accounts to accept besides the home account; {@code null}: any (the organization's, IAM enforcing it). */
    public Set<String> memberAccountsOrAny() {
        return organization.isPresent() ? null : memberAccounts;
    }

    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    public CrossAccountSettings {
        memberAccounts = Set.copyOf(memberAccounts);
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(organization, "organization");
    }

    /**
     * The member accounts of the deployment file (checked by its parser) and the external id of the environment.
     *
     * @throws ConfigException naming the variable whose value is malformed
     */
    public static CrossAccountSettings from(Environment environment, DeploymentSettings deployment) {
        Set<String> accounts = new LinkedHashSet<>(deployment.memberAccounts());
        Optional<String> externalId = environment.optional(Setting.CROSS_ACCOUNT_EXTERNAL_ID);
        if (externalId.isPresent() && !EXTERNAL_ID.matcher(externalId.get()).matches()) {
            // Never echo a secret-ish value into logs: name the variable and the rule only.
            throw new ConfigException(Setting.CROSS_ACCOUNT_EXTERNAL_ID.variable() + " is malformed; expected "
                    + Setting.CROSS_ACCOUNT_EXTERNAL_ID.expected());
        }
        return new CrossAccountSettings(accounts, externalId, deployment.memberOrganization());
    }
}
