package dev.eksaccess.config;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.DeploymentSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Deployment settings files for tests, written as {@code cdk synth} writes them; the path goes in DEPLOYMENT_FILE. */
public final class DeploymentFiles {

    private DeploymentFiles() {
    }

    /** A file with these comma-separated {@code ARN[=POLICY]} admins, the default policies and no member accounts. */
    public static String withAdmins(String admins) {
        return write(new DeploymentSettings(Arrays.stream(admins.split(",")).map(String::trim)
                .filter(item -> !item.isEmpty()).map(AdminPrincipals::parse)
                .map(grant -> new DeploymentSettings.Admin(grant.principalArn(), grant.policyName())).toList(),
                AccessPolicies.DEFAULT_ALLOWED, List.of(), Optional.empty()));
    }

    /** A file holding exactly {@code settings}. */
    public static String write(DeploymentSettings settings) {
        return write(settings.toJson());
    }

    /** A file holding {@code text}, valid or not. */
    public static String write(String text) {
        try {
            Path file = Files.createTempFile("eks-access-deployment", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
