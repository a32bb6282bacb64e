package dev.eksaccess.config;

import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.Setting;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of the reconciliation function, read once at start-up from the environment and the deployment file.
 *
 * @param registryTable        {@link Setting#REGISTRY_TABLE}: the clusters to reconcile
 * @param ledgerTable          {@link Setting#LEDGER_TABLE}: their grant states
 * @param inventoryTable       {@link Setting#INVENTORY_TABLE}: where the snapshot goes
 * @param crossAccountRoleName {@link Setting#CROSS_ACCOUNT_ROLE_NAME}, empty when unset
 * @param crossAccount         the deployment file's member accounts and {@link Setting#CROSS_ACCOUNT_EXTERNAL_ID}
 */
public record ReconcilerConfig(String registryTable, String ledgerTable, String inventoryTable,
                               Optional<String> crossAccountRoleName, CrossAccountSettings crossAccount) {

    public ReconcilerConfig {
        Objects.requireNonNull(registryTable, "registryTable");
        Objects.requireNonNull(ledgerTable, "ledgerTable");
        Objects.requireNonNull(inventoryTable, "inventoryTable");
        Objects.requireNonNull(crossAccountRoleName, "crossAccountRoleName");
        Objects.requireNonNull(crossAccount, "crossAccount");
    }

    /** @throws ConfigException naming the variable that is missing or malformed */
    public static ReconcilerConfig from(Environment environment) {
        DeploymentSettings deployment = DeploymentFile.read(environment);
        return new ReconcilerConfig(environment.required(Setting.REGISTRY_TABLE),
                environment.required(Setting.LEDGER_TABLE), environment.required(Setting.INVENTORY_TABLE),
                environment.roleName(Setting.CROSS_ACCOUNT_ROLE_NAME), CrossAccountSettings.from(environment, deployment));
    }

    /**
     * The role the reconciliation assumes in member accounts: the read-only one ({@link IamRoleName#clusterReader}),
     * never the grant processor's, which can change access.
     */
    public Optional<String> clusterReaderRoleName() {
        return crossAccountRoleName.map(IamRoleName::clusterReader);
    }
}
