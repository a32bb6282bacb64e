package dev.eksaccess.cdk;

/**
 * Settings only the spoke stack (deployed in member accounts) needs; the rest comes from {@link DeploymentConfig}.
 *
 * @param hubAccount account of the hub deployment, which receives the forwarded CreateCluster events
 * @param hubRoleArn the hub grant processor's role (stack output GrantProcessorRoleArn), trusted by the spoke's role
 */
public record SpokeConfig(String hubAccount, String hubRoleArn) {
}
