package dev.eksaccess.config;

import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.Setting;

/**
 * Reads the deployment settings file ({@link Setting#DEPLOYMENT_FILE}) once at start, with the parser {@code cdk synth}
 * checked it with ({@link DeploymentSettings#parse}).
 */
public final class DeploymentFile {

    private DeploymentFile() {
    }

    /**
     * The settings the file holds; {@link DeploymentSettings#defaults()} when the variable is unset.
     *
     * @throws ConfigException naming the variable, the file and every problem (each with its JSON path)
     */
    public static DeploymentSettings read(Environment environment) {
        return environment.file(Setting.DEPLOYMENT_FILE).map(text -> {
            try {
                return DeploymentSettings.parse(text);
            } catch (DeploymentSettings.Invalid e) {
                throw ConfigException.ofFile(Setting.DEPLOYMENT_FILE, environment, "a deployment settings file",
                        e.problems());
            }
        }).orElseGet(DeploymentSettings::defaults);
    }
}
