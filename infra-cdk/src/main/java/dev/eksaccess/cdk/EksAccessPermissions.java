package dev.eksaccess.cdk;

import dev.eksaccess.contract.AccessPolicies;
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
 * node), associating to the configured policies, and switching the authentication mode to the one safe target,
 * {@code API_AND_CONFIG_MAP}, only when the deployer opted in.
 */
public final class EksAccessPermissions {

    /** Modes this system ever switches to: keeping the ConfigMap working means nobody loses access. */
    public static final String SWITCH_TARGET_MODE = "API_AND_CONFIG_MAP";

    private EksAccessPermissions() {
    }

    /**
     * The statements.
     *
     * @param stack               whose account and region scope the resources when {@code clusterArns} is empty
     * @param clusterArns         clusters that may be changed; empty: every cluster of the stack's account and region
     * @param policies            access policy short names that may be associated or disassociated
     * @param allowAuthModeSwitch whether {@code eks:UpdateClusterConfig} is granted at all
     */
    public static List<PolicyStatement> statements(Stack stack, List<String> clusterArns, List<String> policies,
                                                   boolean allowAuthModeSwitch) {
        List<String> clusters = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        if (clusterArns.isEmpty()) {
            clusters.add(eksArn(stack, "cluster", "*"));
            entries.add(eksArn(stack, "access-entry", "*"));
        } else {
            for (String arn : clusterArns) {
                clusters.add(arn);
                // access-entry/CLUSTER/TYPE/ACCOUNT/NAME/UUID: every entry of that cluster.
                entries.add(arn.replace(":cluster/", ":access-entry/") + "/*");
            }
        }
        List<String> clustersAndEntries = new ArrayList<>(clusters);
        clustersAndEntries.addAll(entries);

        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(statement("ReadClusters", List.of("eks:DescribeCluster", "eks:ListAccessEntries"), clusters,
                null));
        statements.add(statement("CreateStandardAccessEntries", List.of("eks:CreateAccessEntry"), clustersAndEntries,
                Map.of("StringEquals", Map.of("eks:accessEntryType", "STANDARD"))));
        statements.add(statement("ManageAccessEntries", List.of("eks:DescribeAccessEntry", "eks:UpdateAccessEntry",
                        "eks:DeleteAccessEntry", "eks:ListAssociatedAccessPolicies", "eks:TagResource"), entries,
                null));
        statements.add(statement("AssociateAllowedPoliciesOnly",
                List.of("eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy"), entries,
                Map.of("StringEquals", Map.of("eks:policyArn",
                        policies.stream().map(AccessPolicies::arnOf).toList()))));
        if (allowAuthModeSwitch) {
            statements.add(statement("SwitchToApiAndConfigMapOnly", List.of("eks:UpdateClusterConfig"), clusters,
                    Map.of("StringEquals", Map.of("eks:authenticationMode", SWITCH_TARGET_MODE))));
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
