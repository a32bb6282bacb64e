package dev.eksaccess.config;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.IamPrincipal;
import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.engine.AdminGrant;
import java.util.List;

/** Admin principals as {@link AdminGrant}s: the deployment file's, or one given as {@code ARN[=POLICY]} (the sandbox). */
public final class AdminPrincipals {

    private AdminPrincipals() {
    }

    /** The deployment file's admin principals as the engine's grants, in their order. */
    public static List<AdminGrant> of(DeploymentSettings deployment) {
        return deployment.adminPrincipals().stream()
                .map(admin -> new AdminGrant(admin.principalArn(), admin.policy())).toList();
    }

    /**
     * Parses one {@code ARN[=POLICY]} item. Role names may contain {@code =}, so the item is split at the last
     * {@code =} whose right-hand side names an access policy (short name or ARN).
     */
    public static AdminGrant parse(String item) {
        String trimmed = item.trim();
        String arn = trimmed;
        String policy = AccessPolicies.DEFAULT_ADMIN_POLICY;
        int eq = trimmed.lastIndexOf("=arn:");
        if (eq < 0) {
            eq = trimmed.lastIndexOf('=');
        }
        if (eq >= 0 && AccessPolicies.shortNameOf(trimmed.substring(eq + 1).trim()).isPresent()
                && trimmed.substring(eq + 1).trim().matches("(arn:.*|AmazonEKS\\w*)")) {
            arn = trimmed.substring(0, eq).trim();
            policy = trimmed.substring(eq + 1).trim();
        }
        // The same rule as for requests: an admin that EKS would refuse must stop start-up, not fail every bootstrap.
        String principal = arn;
        IamPrincipal.problemWith(arn).ifPresent(problem -> {
            throw invalid(item, "'" + principal + "' is not an IAM role or user ARN that EKS accepts: it " + problem);
        });
        String finalPolicy = policy;
        String shortName = AccessPolicies.shortNameOf(policy).orElseThrow(() -> invalid(item,
                "'" + finalPolicy + "' is not an EKS access policy name or ARN"));
        return new AdminGrant(arn, shortName);
    }

    private static ConfigException invalid(String item, String detail) {
        return new ConfigException("admin principal '" + item + "': " + detail
                + "; expected an IAM role or user ARN, optionally followed by =POLICY");
    }
}
