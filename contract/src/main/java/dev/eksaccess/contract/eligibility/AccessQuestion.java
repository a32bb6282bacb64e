package dev.eksaccess.contract.eligibility;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the eligibility rules are asked: may this sender have this change made? Plain values, so the functions, the
 * CLI and the tests ask the same question.
 *
 * @param senderArn        the IAM role or user ARN the SQS sender id resolved to
 * @param kind             grant, revoke or migrate
 * @param cluster          the cluster's identity and, when a rule needs them, its tags
 * @param principalArn     whose access changes
 * @param policy           access policy short name; null for a revoke of every policy
 * @param clusterScope     a cluster-scope grant; false for namespace scope (and for revokes)
 * @param namespaces       the namespaces (patterns) of a namespace-scope grant
 * @param kubernetesGroups groups the grant sets on the entry
 * @param username         the Kubernetes username the grant sets, or null
 * @param duration         how long the grant lasts; null for a permanent grant (and for revokes)
 */
public record AccessQuestion(String senderArn, Kind kind, Cluster cluster, String principalArn, String policy,
                             boolean clusterScope, List<String> namespaces, List<String> kubernetesGroups,
                             String username, Duration duration) {

    public AccessQuestion {
        namespaces = List.copyOf(namespaces);
        kubernetesGroups = List.copyOf(kubernetesGroups);
    }

    /**
     * A grant, a revoke, a migrate (an aws-auth mapping moved to an access entry, at cluster scope), or a recover (a
     * time-bound cluster admin on a cluster nobody can reach).
     */
    public enum Kind {
        GRANT, REVOKE, MIGRATE, RECOVER
    }

    /**
     * @param tags the cluster's tags from DescribeCluster; empty when not read (rules that select by tag then do not
     *             match, with that reason)
     */
    public record Cluster(String arn, String name, String account, String region,
                          Optional<Map<String, String>> tags) {
    }

    /** A revoke: of one policy, or of every policy when {@code policy} is null. */
    public static AccessQuestion revoke(String senderArn, Cluster cluster, String principalArn, String policy) {
        return new AccessQuestion(senderArn, Kind.REVOKE, cluster, principalArn, policy, false, List.of(), List.of(),
                null, null);
    }
}
