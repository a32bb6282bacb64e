package dev.eksaccess.cdk;

import dev.eksaccess.contract.AccessPolicies;

/**
 * An admin principal bootstrapped on every new cluster, and the access policy (short name) it gets.
 *
 * @param principalArn IAM role (with its path) or user ARN
 * @param policy       access policy short name
 */
public record AdminPrincipal(String principalArn, String policy) {

    /** The policy's ARN. */
    public String policyArn() {
        return AccessPolicies.arnOf(policy);
    }
}
