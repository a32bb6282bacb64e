package dev.eksaccess.emulator.eks.internal;

import java.util.List;

/**
 * The access policies EKS offers. The list at AWS grows; this is a subset of real names, including the five
 * general-purpose Kubernetes policies and several for auto mode, hybrid nodes and AWS services.
 */
public final class AccessPolicyCatalog {

    public static final String ARN_PREFIX = "arn:aws:eks::aws:cluster-access-policy/";
    public static final String CLUSTER_ADMIN = ARN_PREFIX + "AmazonEKSClusterAdminPolicy";

    /** Sorted by name, as ListAccessPolicies returns them. */
    public static final List<String> NAMES = List.of(
            "AmazonEKSAdminPolicy",
            "AmazonEKSAdminViewPolicy",
            "AmazonEKSAutoNodePolicy",
            "AmazonEKSBlockStoragePolicy",
            "AmazonEKSClusterAdminPolicy",
            "AmazonEKSClusterInsightsPolicy",
            "AmazonEKSComputePolicy",
            "AmazonEKSEditPolicy",
            "AmazonEKSHybridPolicy",
            "AmazonEKSLoadBalancingPolicy",
            "AmazonEKSNetworkingPolicy",
            "AmazonEKSViewPolicy",
            "AmazonEMRJobPolicy");

    private AccessPolicyCatalog() {
    }

    public static boolean isKnown(String policyArn) {
        return policyArn.startsWith(ARN_PREFIX) && NAMES.contains(policyArn.substring(ARN_PREFIX.length()));
    }

    /** Refuses a policy ARN that EKS does not offer (there are no custom access policies). */
    public static String requireKnown(String policyArn) {
        if (!isKnown(policyArn)) {
            throw ApiError.invalidParameter("The policyArn " + policyArn + " is not a valid access policy");
        }
        return policyArn;
    }
}
