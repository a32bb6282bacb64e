package dev.eksaccess.engine;

import dev.eksaccess.contract.AccessPolicies;

/**
 * An admin principal and the access policy it gets on every cluster (cluster scope); read from configuration by
 * {@code dev.eksaccess.config.AdminPrincipals}.
 *
 * @param principalArn IAM role or user ARN (role ARNs with their path)
 * @param policyName   access policy short name
 */
public record AdminGrant(String principalArn, String policyName) {

    /** The policy's ARN. */
    public String policyArn() {
        return AccessPolicies.arnOf(policyName);
    }
}
