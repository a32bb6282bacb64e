package dev.eksaccess.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Deployed in each member account (and region) whose clusters the hub manages: forwards CloudTrail CreateCluster
 * events to the hub's default event bus, and creates the role the hub's grant processor assumes, with the same
 * conditioned EKS permissions as the hub's own role ({@link EksAccessPermissions}).
 *
 * <p>The role has a fixed name because the hub builds its ARN from {@code crossAccountRoleName}; it trusts only
 * the hub's grant-processor role, bound by the hub's organization or an external id ({@link #trustConditions}). It
 * may also read the member account's IAM roles and users that the eligibility
 * document names ({@link SenderResolutionPermissions}), so that the hub can resolve their SQS sender ids.
 */
public final class SpokeStack extends Stack {

    private final Role hubAccessRole;
    private final Queue failedForwards;

    public SpokeStack(Construct scope, String id, StackProps props, DeploymentConfig config, SpokeConfig spoke) {
        super(scope, id, props);
        String roleNameWithPath = config.crossAccountRoleName().orElseThrow();
        int slash = roleNameWithPath.lastIndexOf('/');
        this.hubAccessRole = Role.Builder.create(this, "HubAccessRole")
                .roleName(roleNameWithPath.substring(slash + 1))
                .path(slash < 0 ? "/" : "/" + roleNameWithPath.substring(0, slash + 1))
                .assumedBy(hubPrincipal(spoke, spoke.hubRoleArn()).withConditions(trust(config, spoke.hubRoleArn())))
                .description("Assumed by the EKS access hub's grant processor to manage this account's access entries")
                .build();
        // The hub names who asked (sender and request id) as the session's source identity, which this account's
        // CloudTrail then records on every call made with the role; the same principal and binding condition.
        hubAccessRole.getAssumeRolePolicy().addStatements(PolicyStatement.Builder.create()
                .principals(List.of(hubPrincipal(spoke, spoke.hubRoleArn())))
                .actions(List.of("sts:SetSourceIdentity"))
                .conditions(trust(config, spoke.hubRoleArn()))
                .build());
        // The hub's cluster-creation function verifies CreateCluster events of this account with DescribeCluster
        // through this role; bound by the same condition.
        spoke.hubClusterCreationRoleArn().ifPresent(creation -> hubAccessRole.getAssumeRolePolicy().addStatements(
                PolicyStatement.Builder.create()
                        .principals(List.of(hubPrincipal(spoke, creation)))
                        .actions(List.of("sts:AssumeRole"))
                        .conditions(trust(config, creation))
                        .build()));
        EksAccessPermissions.statements(this, config).forEach(hubAccessRole::addToPrincipalPolicy);
        // The hub resolves senders and approvers of member accounts through this role: IAM answers only for its own
        // account. Every member account's ARNs, since the template is the same in all; IAM honours only its own.
        config.eligibility().ifPresent(file -> SenderResolutionPermissions.statements("ResolveEligibility",
                file.document().identities().stream().filter(arn -> !accountOf(arn).equals(spoke.hubAccount()))
                        .toList()).forEach(hubAccessRole::addToPrincipalPolicy));

        this.failedForwards = GrantQueue.secureQueue(this, "FailedForwards", GrantQueue.DLQ_RETENTION,
                Optional.empty());
        String hubBusArn = "arn:" + getPartition() + ":events:" + getRegion() + ":" + spoke.hubAccount()
                + ":event-bus/default";
        Rule.Builder.create(this, "ForwardCreateCluster")
                .description("Forwards CloudTrail CreateCluster calls to the EKS access hub")
                .eventPattern(ContractEventPattern.createCluster())
                .targets(List.of(software.amazon.awscdk.services.events.targets.EventBus.Builder
                        .create(EventBus.fromEventBusArn(this, "HubBus", hubBusArn))
                        .deadLetterQueue(failedForwards)
                        .build()))
                .build();
        NagRationale.applyTo(this);
    }

    /**
     * What binds the trust besides the hub role's ARN: the hub's organization ({@code aws:PrincipalOrgID}) when
     * {@code organizationId} is configured, the external id ({@code sts:ExternalId}) when
     * {@code crossAccountExternalId} is; both when both are. {@link ContextParser#parseSpoke} requires one.
     */
    static Map<String, Object> trustConditions(DeploymentConfig config) {
        Map<String, Object> binding = new LinkedHashMap<>();
        config.organizationId().ifPresent(id -> binding.put("aws:PrincipalOrgID", id));
        config.crossAccountExternalId().ifPresent(id -> binding.put("sts:ExternalId", id));
        if (binding.isEmpty()) {
            throw new IllegalStateException("the spoke role's trust needs organizationId or crossAccountExternalId");
        }
        return Map.of("StringEquals", binding);
    }

    /**
     * A hub role given by ARN is the principal itself; given by name pattern ({@link SpokeConfig#hubRoleByName}), the
     * principal is the hub account, and {@link #trust} requires the pattern of {@code aws:PrincipalArn}.
     */
    private static software.amazon.awscdk.services.iam.PrincipalBase hubPrincipal(SpokeConfig spoke, String role) {
        return role.contains("*") ? new software.amazon.awscdk.services.iam.AccountPrincipal(spoke.hubAccount())
                : new ArnPrincipal(role);
    }

    /** {@link #trustConditions}, and for a role given by name pattern, that pattern ({@code ArnLike}). */
    private static Map<String, Object> trust(DeploymentConfig config, String role) {
        Map<String, Object> conditions = new LinkedHashMap<>(trustConditions(config));
        if (role.contains("*")) {
            conditions.put("ArnLike", Map.of("aws:PrincipalArn", role));
        }
        return conditions;
    }

    /** The account of an IAM ARN, {@code arn:PARTITION:iam::ACCOUNT:…}. */
    private static String accountOf(String arn) {
        return arn.split(":", 6)[4];
    }

    public Role hubAccessRole() {
        return hubAccessRole;
    }

    public Queue failedForwards() {
        return failedForwards;
    }
}
