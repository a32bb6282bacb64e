package dev.eksaccess.config;

import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.DriftMode;
import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration of the access-change function (docs/drift.md), read once at start-up and validated.
 *
 * @param ledgerTable           {@link Setting#LEDGER_TABLE}: where external changes are recorded, and grant states read
 * @param registryTable         {@link Setting#REGISTRY_TABLE}: each cluster's creator
 * @param grantProcessorRoleArn {@link Setting#GRANT_PROCESSOR_ROLE_ARN}, required: the only hub role whose EKS calls
 *                              change access, so its calls are skipped as the system's own; its account is the home
 *                              account
 * @param crossAccountRoleName  {@link Setting#CROSS_ACCOUNT_ROLE_NAME}: the member accounts' role, whose calls there
 *                              are the system's own too, and whose read-only sibling reads their clusters
 * @param crossAccount          the deployment file's member accounts and {@link Setting#CROSS_ACCOUNT_EXTERNAL_ID}
 * @param outcomeBus            {@link Setting#OUTCOME_BUS}; empty: external changes are only recorded and logged
 * @param restore               where and when restores are sent ({@code drift: restore}, docs/drift.md "Repair");
 *                              empty when {@link Setting#GRANT_QUEUE_URL} is unset: every change is only reported
 */
public record AccessChangeConfig(String ledgerTable, String registryTable, String grantProcessorRoleArn,
                                 Optional<String> crossAccountRoleName, CrossAccountSettings crossAccount,
                                 Optional<String> outcomeBus, Optional<Restore> restore) {

    /**
     * What the {@code DriftResponder} needs: the grant queue it sends restores to, and what decides a grant's drift
     * mode ({@code DriftMode.of}): the eligibility document's rules and the deployment's {@code driftRestoreClusters}.
     */
    public record Restore(String grantQueueUrl, Optional<EligibilityDocument> eligibility,
                          List<String> restoreClusters) {
        public Restore {
            Objects.requireNonNull(grantQueueUrl, "grantQueueUrl");
            Objects.requireNonNull(eligibility, "eligibility");
            restoreClusters = List.copyOf(restoreClusters);
        }
    }

    /** A configuration that only reports (no grant queue), as tests and the sandbox's alert-only runs build it. */
    public AccessChangeConfig(String ledgerTable, String registryTable, String grantProcessorRoleArn,
                              Optional<String> crossAccountRoleName, CrossAccountSettings crossAccount,
                              Optional<String> outcomeBus) {
        this(ledgerTable, registryTable, grantProcessorRoleArn, crossAccountRoleName, crossAccount, outcomeBus,
                Optional.empty());
    }

    public AccessChangeConfig {
        Objects.requireNonNull(ledgerTable, "ledgerTable");
        Objects.requireNonNull(registryTable, "registryTable");
        Objects.requireNonNull(grantProcessorRoleArn, "grantProcessorRoleArn");
        Objects.requireNonNull(crossAccountRoleName, "crossAccountRoleName");
        Objects.requireNonNull(crossAccount, "crossAccount");
        Objects.requireNonNull(outcomeBus, "outcomeBus");
        Objects.requireNonNull(restore, "restore");
    }

    /** @throws ConfigException naming the first variable that is missing or malformed */
    public static AccessChangeConfig from(Environment environment) {
        String ledger = environment.required(Setting.LEDGER_TABLE);
        String registry = environment.required(Setting.REGISTRY_TABLE);
        String processor = GrantProcessorConfig.roleArn(environment, Setting.GRANT_PROCESSOR_ROLE_ARN)
                .orElseThrow(() -> new ConfigException(Setting.GRANT_PROCESSOR_ROLE_ARN.variable()
                        + " is not set; expected " + Setting.GRANT_PROCESSOR_ROLE_ARN.expected()
                        + " (without it, every change eks-access makes would be recorded as someone else's)"));
        DeploymentSettings deployment = DeploymentFile.read(environment);
        Optional<EligibilityDocument> eligibility = EligibilityFile.read(environment);
        Optional<Restore> restore = environment.optional(Setting.GRANT_QUEUE_URL)
                .map(url -> new Restore(environment.queueUrl(Setting.GRANT_QUEUE_URL).url(), eligibility,
                        deployment.driftRestoreClusters()));
        if (restore.isEmpty()) {
            restoreAsked(eligibility, deployment).ifPresent(where -> {
                throw new ConfigException(Setting.GRANT_QUEUE_URL.variable() + " is not set, but " + where
                        + " asks for drift: restore; restores go to the grant queue, expected "
                        + Setting.GRANT_QUEUE_URL.expected());
            });
        }
        return new AccessChangeConfig(ledger, registry, processor, environment.roleName(Setting.CROSS_ACCOUNT_ROLE_NAME),
                CrossAccountSettings.from(environment, deployment), environment.optional(Setting.OUTCOME_BUS),
                restore);
    }

    /** Where the settings ask for restores, if they do: a restore that could not be sent must not pass for alert. */
    private static Optional<String> restoreAsked(Optional<EligibilityDocument> eligibility,
                                                 DeploymentSettings deployment) {
        if (!deployment.driftRestoreClusters().isEmpty()) {
            return Optional.of("the deployment file's driftRestoreClusters");
        }
        return eligibility.stream().flatMap(document -> document.rules().stream())
                .filter(rule -> rule.drift().filter(DriftMode.RESTORE::equals).isPresent())
                .map(rule -> "eligibility rule '" + rule.id() + "'").findFirst();
    }

    /** The account of the grant processor's role: the hub's, where no role is assumed. */
    public String homeAccountId() {
        return grantProcessorRoleArn.split(":", 6)[4];
    }

    /** The hub roles whose calls are the system's own. */
    public Set<String> ownHubRoleArns() {
        return Set.of(grantProcessorRoleArn);
    }

    /** The member accounts' role name without its path, as CloudTrail's role ARNs end ({@code OwnRoles}). */
    public Optional<String> memberRoleName() {
        return crossAccountRoleName.map(name -> name.substring(name.lastIndexOf('/') + 1));
    }

    /**
     * The role through which member accounts' clusters are read: the read-only one ({@link IamRoleName#clusterReader}),
     * whose sessions named {@code eks-access.access-changes} may list and describe entries and their policies.
     */
    public Optional<String> clusterReaderRoleName() {
        return crossAccountRoleName.map(IamRoleName::clusterReader);
    }
}
