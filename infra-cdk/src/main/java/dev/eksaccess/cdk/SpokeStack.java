package dev.eksaccess.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.SessionIdentity;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
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
 * conditioned EKS permissions as the hub's own role ({@link EksAccessPermissions}), and the read-only role the hub's
 * cluster-creation function assumes to verify new clusters ({@code eks:DescribeCluster} only).
 *
 * <p>The roles have fixed names because the hub builds their ARNs from {@code crossAccountRoleName}; each trusts only
 * its hub role, bound by the hub's organization or an external id and requiring a source identity
 * ({@link #trustConditions}). The grant processor's role may also read the member account's IAM roles and users that
 * the eligibility document names ({@link SenderResolutionPermissions}), so that the hub can resolve their sender ids.
 */
public final class SpokeStack extends Stack {

    private final Role hubAccessRole;
    private final Optional<Role> clusterReaderRole;
    private final Queue failedForwards;

    public SpokeStack(Construct scope, String id, StackProps props, DeploymentConfig config, SpokeConfig spoke) {
        super(scope, id, props);
        String roleNameWithPath = config.crossAccountRoleName().orElseThrow();
        // The hub's grant processor names who asked (the sender, name and hash, or the function) as the session's
        // source identity and the request as its name; this account's CloudTrail records both on every call made
        // with the role. The trust requires the source identity, so no session of the hub's role goes unnamed.
        this.hubAccessRole = trustingOnly(roleNameWithPath, "HubAccessRole", spoke, spoke.hubRoleArn(),
                trust(config, spoke.hubRoleArn(), SessionIdentity.TRUST_PATTERNS),
                "Assumed by the EKS access hub's grant processor to manage this account's access entries");
        EksAccessPermissions.statements(this, config).forEach(hubAccessRole::addToPrincipalPolicy);
        // The hub resolves senders and approvers of member accounts through this role: IAM answers only for its own
        // account. Every member account's ARNs, since the template is the same in all; IAM honours only its own.
        config.eligibility().ifPresent(file -> SenderResolutionPermissions.statements("ResolveEligibility",
                file.document().identities().stream().filter(arn -> !accountOf(arn).equals(spoke.hubAccount()))
                        .toList()).forEach(hubAccessRole::addToPrincipalPolicy));

        // The hub's cluster-creation function verifies CreateCluster events of this account with DescribeCluster, and
        // may do nothing else here: its own role, read-only, named after the grant processor's (NAME-reader), whose
        // sessions must name the function; the same binding condition.
        String reader = SessionIdentity.ofFunction(SessionIdentity.CLUSTER_CREATION);
        this.clusterReaderRole = spoke.hubClusterCreationRoleArn().map(creation -> {
            Role role = trustingOnly(IamRoleName.clusterReader(roleNameWithPath), "ClusterReaderRole", spoke, creation,
                    trust(config, creation, List.of(reader)),
                    "Assumed by the EKS access hub's cluster-creation function to verify this account's new clusters");
            role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .sid("VerifyCreatedClusters")
                    .actions(List.of("eks:DescribeCluster"))
                    .resources(List.of(formatArn(ArnComponents.builder().service("eks").resource("cluster")
                            .resourceName("*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())))
                    .conditions(Map.of("StringEquals", Map.of("aws:SourceIdentity", spoke.hubAdoptionRoleArn().isEmpty()
                            ? (Object) reader : List.of(reader, ADOPTION))))
                    .build());
            spoke.hubAdoptionRoleArn().ifPresent(adoption -> allowAdoption(role, config, spoke, adoption));
            return role;
        });

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

    /** The source identity of the hub adoption function's sessions (docs/adopt.md). */
    static final String ADOPTION = SessionIdentity.ofFunction(SessionIdentity.ADOPTION);

    /**
     * The hub's adoption function may assume the read-only role too, in sessions named {@code eks-access.adoption}
     * only, which alone may list clusters and look up CreateCluster events (neither has resource-level permissions,
     * hence {@code *}; both read-only) besides DescribeCluster.
     */
    private void allowAdoption(Role role, DeploymentConfig config, SpokeConfig spoke, String adoptionRoleArn) {
        Map<String, Object> conditions = trust(config, adoptionRoleArn, List.of(ADOPTION));
        for (String action : List.of("sts:AssumeRole", "sts:SetSourceIdentity")) {
            role.getAssumeRolePolicy().addStatements(PolicyStatement.Builder.create()
                    .principals(List.of(hubPrincipal(spoke, adoptionRoleArn)))
                    .actions(List.of(action))
                    .conditions(conditions)
                    .build());
        }
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("AdoptExistingClusters")
                .actions(List.of("eks:ListClusters", "cloudtrail:LookupEvents"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceIdentity", ADOPTION)))
                .build());
    }

    /**
     * A role named {@code nameWithPath} that only {@code hubRoleArn} may assume, and only under {@code conditions},
     * setting a source identity ({@code sts:AssumeRole} and {@code sts:SetSourceIdentity}, one statement each).
     */
    private Role trustingOnly(String nameWithPath, String id, SpokeConfig spoke, String hubRoleArn,
                              Map<String, Object> conditions, String description) {
        int slash = nameWithPath.lastIndexOf('/');
        Role role = Role.Builder.create(this, id)
                .roleName(nameWithPath.substring(slash + 1))
                .path(slash < 0 ? "/" : "/" + nameWithPath.substring(0, slash + 1))
                .assumedBy(hubPrincipal(spoke, hubRoleArn).withConditions(conditions))
                .description(description)
                .build();
        role.getAssumeRolePolicy().addStatements(PolicyStatement.Builder.create()
                .principals(List.of(hubPrincipal(spoke, hubRoleArn)))
                .actions(List.of("sts:SetSourceIdentity"))
                .conditions(conditions)
                .build());
        return role;
    }

    /**
     * What binds the trust besides the hub role's ARN: the hub's organization ({@code aws:PrincipalOrgID}) when
     * {@code organizationId} is configured, the external id ({@code sts:ExternalId}) when
     * {@code crossAccountExternalId} is; both when both are ({@link ContextParser#parseSpoke} requires one). And a
     * source identity that matches one of {@code sourceIdentities} ({@code StringLike}): an AssumeRole without one
     * matches none and is refused.
     */
    static Map<String, Object> trustConditions(DeploymentConfig config, List<String> sourceIdentities) {
        Map<String, Object> binding = new LinkedHashMap<>();
        config.organizationId().ifPresent(id -> binding.put("aws:PrincipalOrgID", id));
        config.crossAccountExternalId().ifPresent(id -> binding.put("sts:ExternalId", id));
        if (binding.isEmpty()) {
            throw new IllegalStateException("the spoke role's trust needs organizationId or crossAccountExternalId");
        }
        return Map.of("StringEquals", binding, "StringLike", Map.of("sts:SourceIdentity", sourceIdentities));
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
    private static Map<String, Object> trust(DeploymentConfig config, String role, List<String> sourceIdentities) {
        Map<String, Object> conditions = new LinkedHashMap<>(trustConditions(config, sourceIdentities));
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

    /** The cluster-creation function's read-only role; empty without {@code hubClusterCreationRoleArn}. */
    public Optional<Role> clusterReaderRole() {
        return clusterReaderRole;
    }

    public Queue failedForwards() {
        return failedForwards;
    }
}
