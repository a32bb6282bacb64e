package dev.eksaccess.contract;

import java.util.List;
import java.util.Optional;

/**
 * EKS access policies: names, ARNs, and the set that requests may grant unless configured otherwise.
 *
 * <p>EKS has no custom access policies; the ARNs all start with {@link #ARN_PREFIX}. The full list grows over
 * time (ListAccessPolicies is the truth), so the allowed set is configuration, with {@link #DEFAULT_ALLOWED}
 * as its default. The CDK app uses the same set for the {@code eks:policyArn} IAM condition.
 */
public final class AccessPolicies {

    /** ARN prefix of every EKS access policy in the {@code aws} partition. */
    public static final String ARN_PREFIX = "arn:aws:eks::aws:cluster-access-policy/";

    public static final String CLUSTER_ADMIN = "AmazonEKSClusterAdminPolicy";
    public static final String ADMIN = "AmazonEKSAdminPolicy";
    public static final String EDIT = "AmazonEKSEditPolicy";
    public static final String VIEW = "AmazonEKSViewPolicy";
    public static final String ADMIN_VIEW = "AmazonEKSAdminViewPolicy";

    /** What grant requests may ask for by default: the five general-purpose Kubernetes policies. */
    public static final List<String> DEFAULT_ALLOWED = List.of(CLUSTER_ADMIN, ADMIN, EDIT, VIEW, ADMIN_VIEW);

    /**
     * Policies that give admin powers over the cluster: an eligibility rule may grant them only with approval and a
     * maximum duration, or as break-glass.
     */
    public static final List<String> ADMIN_CLASS = List.of(CLUSTER_ADMIN, ADMIN);

    /** The policy the admin bootstrap associates when configuration names none. */
    public static final String DEFAULT_ADMIN_POLICY = CLUSTER_ADMIN;

    private AccessPolicies() {
    }

    /** The ARN of a policy given by short name (in the {@code aws} partition). */
    public static String arnOf(String shortName) {
        return ARN_PREFIX + shortName;
    }

    /**
     * The short name of a policy given by short name or by full EKS access-policy ARN (in any partition);
     * empty when {@code nameOrArn} is neither.
     */
    public static Optional<String> shortNameOf(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isBlank()) {
            return Optional.empty();
        }
        String marker = ":eks::aws:cluster-access-policy/";
        int at = nameOrArn.indexOf(marker);
        String name;
        if (at >= 0) {
            String partition = nameOrArn.substring(0, at);
            if (!(partition.equals("arn:aws") || partition.equals("arn:aws-cn") || partition.equals("arn:aws-us-gov"))) {
                return Optional.empty();
            }
            name = nameOrArn.substring(at + marker.length());
        } else if (nameOrArn.startsWith("arn:")) {
            return Optional.empty();
        } else {
            name = nameOrArn;
        }
        return name.matches("[A-Za-z0-9]{1,128}") ? Optional.of(name) : Optional.empty();
    }
}
