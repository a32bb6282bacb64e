package dev.eksaccess.cdk;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.eligibility.EligibilityRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The EKS permissions of whoever changes access entries: the hub's grant processor, and the role it assumes in
 * member accounts. One definition, so the two cannot drift apart.
 *
 * <p>Creating entries is limited to {@code STANDARD} (node-type entries could let a role join the cluster as a
 * node), and {@code EC2_LINUX} in a statement of its own only when the eligibility document has a migration rule
 * (migrated node roles; EKS refuses groups, usernames and policies on such entries), associating to the configured policies, and switching the authentication mode to the one safe target,
 * {@code API_AND_CONFIG_MAP}, only when the deployer opted in.
 */
public final class EksAccessPermissions {

    /** Modes this system ever switches to: keeping the ConfigMap working means nobody loses access. */
    public static final String SWITCH_TARGET_MODE = "API_AND_CONFIG_MAP";

    /** The one non-STANDARD entry type the system creates: a migrated Linux node role's. */
    public static final String MIGRATED_NODE_TYPE = "EC2_LINUX";

    private EksAccessPermissions() {
    }

    /** Whether the deployed eligibility document lets anyone send migrate requests (a rule with "migration"). */
    static boolean allowsMigration(DeploymentConfig config) {
        return config.eligibility().map(file -> file.document().rules().stream().anyMatch(EligibilityRule::migration))
                .orElse(false);
    }

    /**
     * The statements, each cut into statements of a bounded size when its resources are listed
     * ({@link SenderResolutionPermissions#chunks}), so that CDK can move whole statements into overflow policies and
     * none passes a managed policy's 6,144 characters; the first keeps the plain Sid, the others get 2, 3… appended.
     *
     * <p>Resources: every cluster of the stack's account and region, or the configured {@code clusterArns} and
     * {@code clusterNamePatterns} (a pattern such as {@code payments-*} covers the clusters created later under that
     * name, without a redeploy). With {@code clusterTag}, reading a cluster (which every change of the functions
     * begins with) and switching its mode also need the cluster to carry that tag ({@code aws:ResourceTag}): a team
     * opts a cluster in by tagging it. Access-entry actions cannot test the cluster's tag (on them
     * {@code aws:ResourceTag} is the entry's own), so they keep the ARN scope and their own conditions.
     *
     * @param stack  whose partition, account and region scope the resources
     * @param config clusters, policies and whether the mode switch is allowed
     */
    public static List<PolicyStatement> statements(Stack stack, DeploymentConfig config) {
        Scope scope = Scope.of(stack, config);
        List<String> clusters = scope.clusters();
        List<String> entries = scope.entries();
        List<String> clustersAndEntries = new ArrayList<>(clusters);
        clustersAndEntries.addAll(entries);
        Map<String, String> optedIn = scope.optedIn();

        List<PolicyStatement> statements = new ArrayList<>();
        statements.addAll(chunked("ReadClusters", List.of("eks:DescribeCluster", "eks:ListAccessEntries"), clusters,
                optedIn.isEmpty() ? null : Map.of("StringEquals", optedIn)));
        statements.addAll(chunked("CreateStandardAccessEntries", List.of("eks:CreateAccessEntry"), clustersAndEntries,
                Map.of("StringEquals", Map.of("eks:accessEntryType", "STANDARD"))));
        if (allowsMigration(config)) {
            statements.addAll(chunked("CreateMigratedNodeEntriesOnly", List.of("eks:CreateAccessEntry"),
                    clustersAndEntries, Map.of("StringEquals", Map.of("eks:accessEntryType", MIGRATED_NODE_TYPE))));
        }
        statements.addAll(chunked("ManageAccessEntries", List.of("eks:DescribeAccessEntry", "eks:UpdateAccessEntry",
                        "eks:DeleteAccessEntry", "eks:ListAssociatedAccessPolicies", "eks:TagResource"), entries,
                null));
        statements.addAll(chunked("AssociateAllowedPoliciesOnly",
                List.of("eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy"), entries,
                Map.of("StringEquals", Map.of("eks:policyArn",
                        config.associablePolicies().stream().map(AccessPolicies::arnOf).toList()))));
        if (config.allowAuthModeSwitch()) {
            Map<String, Object> switchOnly = new java.util.LinkedHashMap<>(optedIn);
            switchOnly.put("eks:authenticationMode", SWITCH_TARGET_MODE);
            statements.addAll(chunked("SwitchToApiAndConfigMapOnly", List.of("eks:UpdateClusterConfig"), clusters,
                    Map.of("StringEquals", switchOnly)));
        }
        return statements;
    }

    /**
     * What the access-change function (and, in member accounts, the read-only role's sessions named
     * {@code eks-access.access-changes}) reads after someone else changed a cluster's access: the entries holding a
     * policy ({@code eks:ListAccessEntries}, on the cluster, under the same opt-in tag condition as
     * {@code ReadClusters}), and one entry and its policies ({@code eks:DescribeAccessEntry},
     * {@code eks:ListAssociatedAccessPolicies}, on the entries). Nothing that changes anything; the same clusters as
     * {@link #statements}.
     *
     * @param extra conditions every statement also carries (the member role's {@code aws:SourceIdentity}); may be empty
     */
    public static List<PolicyStatement> readStatements(Stack stack, DeploymentConfig config, Map<String, String> extra) {
        return reads(stack, config, "ReadClusterAccess", List.of("eks:ListAccessEntries"), extra);
    }

    /**
     * What the reconciliation reads (docs/drift.md), and nothing it could change access with: the cluster itself and
     * its entries ({@code eks:DescribeCluster}, {@code eks:ListAccessEntries}, under the opt-in tag condition as
     * {@code ReadClusters}), and each entry and its policies.
     */
    public static List<PolicyStatement> reconciliationReadStatements(Stack stack, DeploymentConfig config) {
        return reads(stack, config, "ReadClusters", List.of("eks:DescribeCluster", "eks:ListAccessEntries"), Map.of());
    }

    private static List<PolicyStatement> reads(Stack stack, DeploymentConfig config, String clusterSid,
                                               List<String> clusterActions, Map<String, String> extra) {
        Scope scope = Scope.of(stack, config);
        Map<String, String> clusterConditions = new java.util.LinkedHashMap<>(scope.optedIn());
        clusterConditions.putAll(extra);
        List<PolicyStatement> statements = new ArrayList<>();
        statements.addAll(chunked(clusterSid, clusterActions, scope.clusters(),
                clusterConditions.isEmpty() ? null : Map.of("StringEquals", clusterConditions)));
        statements.addAll(chunked("ReadAccessEntries", List.of("eks:DescribeAccessEntry",
                "eks:ListAssociatedAccessPolicies"), scope.entries(), extra.isEmpty() ? null
                : Map.of("StringEquals", extra)));
        return statements;
    }

    /** The clusters and entries the deployment covers, and the opt-in tag condition of its clusters. */
    private record Scope(List<String> clusters, List<String> entries, Map<String, String> optedIn) {

        static Scope of(Stack stack, DeploymentConfig config) {
            List<String> clusters = new ArrayList<>();
            List<String> entries = new ArrayList<>();
            if (config.clusterArns().isEmpty() && config.clusterNamePatterns().isEmpty()) {
                clusters.add(eksArn(stack, "cluster", "*"));
                entries.add(eksArn(stack, "access-entry", "*"));
            }
            for (String arn : config.clusterArns()) {
                clusters.add(arn);
                // access-entry/CLUSTER/TYPE/ACCOUNT/NAME/UUID: every entry of that cluster.
                entries.add(arn.replace(":cluster/", ":access-entry/") + "/*");
            }
            for (String pattern : config.clusterNamePatterns()) {
                clusters.add(eksArn(stack, "cluster", pattern));
                entries.add(eksArn(stack, "access-entry", pattern + "/*"));
            }
            return new Scope(clusters, entries, config.clusterTag().map(tag -> Map.of("aws:ResourceTag/" + tag.key(),
                    tag.value())).orElse(Map.of()));
        }
    }

    private static List<PolicyStatement> chunked(String sid, List<String> actions, List<String> resources,
                                                 Map<String, Object> conditions) {
        List<PolicyStatement> statements = new ArrayList<>();
        for (List<String> chunk : SenderResolutionPermissions.chunks(resources)) {
            statements.add(statement(sid + (statements.isEmpty() ? "" : statements.size() + 1), actions, chunk,
                    conditions));
        }
        return statements;
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources,
                                             Map<String, Object> conditions) {
        PolicyStatement.Builder builder = PolicyStatement.Builder.create()
                .sid(sid).effect(Effect.ALLOW).actions(actions).resources(resources);
        if (conditions != null) {
            builder.conditions(conditions);
        }
        return builder.build();
    }

    private static String eksArn(Stack stack, String resourceType, String name) {
        return stack.formatArn(ArnComponents.builder().service("eks").resource(resourceType).resourceName(name)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }
}
