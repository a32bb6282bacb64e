package dev.eksaccess.cdk;

/**
 * Settings only the spoke stack (deployed in member accounts) needs; the rest comes from {@link DeploymentConfig}.
 *
 * @param hubAccount account of the hub deployment, which receives the forwarded CreateCluster events
 * @param hubRoleArn the hub grant processor's role (stack output GrantProcessorRoleArn), trusted by the spoke's role
 * @param hubClusterCreationRoleArn the hub cluster-creation function's role (output ClusterCreationRoleArn), the only
 *                                  one trusted by the read-only role ({@code crossAccountRoleName}-reader) through
 *                                  which it verifies this account's clusters with DescribeCluster; empty: no such
 *                                  role, and this account's CreateCluster events end in the hub's FailedEvents
 * @param hubAccessChangesRoleArn the hub access-change function's role (output AccessChangesRoleArn), also trusted by
 *                                that read-only role, whose list and describe calls its sessions alone may make;
 *                                empty: this account's access changes end in the hub's FailedEvents
 * @param hubAdoptionRoleArn the hub adoption function's role (output AdoptionRoleArn), also trusted by the read-only
 *                           role, in sessions named {@code eks-access.adoption}, to list clusters and look up their
 *                           CreateCluster events (docs/adopt.md); empty: adoption does not reach this account
 */
public record SpokeConfig(String hubAccount, String hubRoleArn, java.util.Optional<String> hubClusterCreationRoleArn,
                          java.util.Optional<String> hubAccessChangesRoleArn,
                          java.util.Optional<String> hubAdoptionRoleArn) {

    public SpokeConfig(String hubAccount, String hubRoleArn, java.util.Optional<String> hubClusterCreationRoleArn) {
        this(hubAccount, hubRoleArn, hubClusterCreationRoleArn, java.util.Optional.empty(), java.util.Optional.empty());
    }

    public SpokeConfig(String hubAccount, String hubRoleArn) {
        this(hubAccount, hubRoleArn, java.util.Optional.empty());
    }

    /**
     * The hub's role by the name CloudFormation gives it, in any partition: {@code EksAccess-<construct>Role<hash>-
     * <suffix>} in the hub account, which the spoke trusts by {@code aws:PrincipalArn} (ArnLike) when no role ARN is
     * configured, so that one spoke template serves every account (StackSets).
     */
    public static String hubRoleByName(String hubAccount, String role) {
        return "arn:*:iam::" + hubAccount + ":role/" + EksAccessApp.HUB_STACK + "-" + role + "*";
    }
}
