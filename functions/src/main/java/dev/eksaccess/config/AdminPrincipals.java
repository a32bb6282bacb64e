package dev.eksaccess.config;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.IamPrincipal;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.engine.AdminGrant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads {@link Setting#ADMIN_PRINCIPALS} into {@link AdminGrant}s, refusing what EKS would refuse. */
public final class AdminPrincipals {

    private AdminPrincipals() {
    }

    /**
     * Parses {@link Setting#ADMIN_PRINCIPALS}: comma-separated {@code ARN[=POLICY]}.
     *
     * @throws ConfigException naming the variable and the bad item
     */
    public static List<AdminGrant> parseAll(Environment environment) {
        List<AdminGrant> grants = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String item : environment.list(Setting.ADMIN_PRINCIPALS)) {
            AdminGrant grant = parse(item);
            if (!seen.add(grant.principalArn())) {
                throw Environment.invalid(Setting.ADMIN_PRINCIPALS, item, "principal listed twice");
            }
            grants.add(grant);
        }
        return List.copyOf(grants);
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
            throw Environment.invalid(Setting.ADMIN_PRINCIPALS, item,
                    "'" + principal + "' is not an IAM role or user ARN that EKS accepts: it " + problem);
        });
        String finalPolicy = policy;
        String shortName = AccessPolicies.shortNameOf(policy).orElseThrow(() -> Environment.invalid(
                Setting.ADMIN_PRINCIPALS, item, "'" + finalPolicy + "' is not an EKS access policy name or ARN"));
        return new AdminGrant(arn, shortName);
    }
}
