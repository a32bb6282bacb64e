package dev.eksaccess.emulator.eks;

/**
 * How a cluster authenticates IAM principals. EKS allows switching only forwards:
 * {@code CONFIG_MAP → API_AND_CONFIG_MAP → API}.
 */
public enum AuthenticationMode {
    /** Only the aws-auth ConfigMap; access-entry calls are refused. */
    CONFIG_MAP,
    /** Access entries and the aws-auth ConfigMap. */
    API_AND_CONFIG_MAP,
    /** Only access entries. */
    API;

    /** Whether EKS accepts an UpdateClusterConfig from this mode to {@code target}: exactly one step forwards. */
    public boolean canSwitchTo(AuthenticationMode target) {
        return target.ordinal() == ordinal() + 1;
    }
}
