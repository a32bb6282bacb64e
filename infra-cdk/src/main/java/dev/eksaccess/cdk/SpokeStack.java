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
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Deployed in each member account (and region) whose clusters the hub manages: forwards CloudTrail CreateCluster
 * events and the calls that change cluster access to the hub's default event bus, and creates the role the hub's grant processor assumes, with the same
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
        // sessions must name the function; the same binding condition. The hub's access-change function reads the
        // entries and policies of a cluster whose access someone changed through the same role: list and describe
        // calls, for sessions that name that function only (docs/drift.md).
        String reader = SessionIdentity.ofFunction(SessionIdentity.CLUSTER_CREATION);
        String accessReader = SessionIdentity.ofFunction(SessionIdentity.ACCESS_CHANGES);
        Optional<String> firstHubRole = spoke.hubClusterCreationRoleArn().or(spoke::hubAccessChangesRoleArn);
        this.clusterReaderRole = firstHubRole.map(first -> {
            Role role = trustingOnly(IamRoleName.clusterReader(roleNameWithPath), "ClusterReaderRole", spoke, first,
                    trust(config, first, List.of(first.equals(spoke.hubClusterCreationRoleArn().orElse(null))
                            ? reader : accessReader)),
                    "Assumed by the EKS access hub's cluster-creation and access-change functions to read this"
                            + " account's clusters");
            spoke.hubClusterCreationRoleArn().ifPresent(creation -> role.addToPrincipalPolicy(PolicyStatement.Builder
                    .create()
                    .sid("VerifyCreatedClusters")
                    .actions(List.of("eks:DescribeCluster"))
                    .resources(List.of(formatArn(ArnComponents.builder().service("eks").resource("cluster")
                            .resourceName("*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())))
                    .conditions(Map.of("StringEquals", Map.of("aws:SourceIdentity", spoke.hubAdoptionRoleArn().isEmpty()
                            ? (Object) reader : List.of(reader, ADOPTION))))
                    .build()));
            spoke.hubAccessChangesRoleArn().ifPresent(changes -> {
                if (spoke.hubClusterCreationRoleArn().isPresent()) {
                    alsoTrust(role, spoke, changes, trust(config, changes, List.of(accessReader)));
                }
                EksAccessPermissions.readStatements(this, config, Map.of("aws:SourceIdentity", accessReader))
                        .forEach(role::addToPrincipalPolicy);
            });
            allowReconciliation(role, config, spoke);
            spoke.hubAdoptionRoleArn().ifPresent(adoption -> allowAdoption(role, config, spoke, adoption));
            return role;
        });

        this.failedForwards = GrantQueue.secureQueue(this, "FailedForwards", GrantQueue.DLQ_RETENTION,
                Optional.empty());
        String hubBusArn = "arn:" + getPartition() + ":events:" + getRegion() + ":" + spoke.hubAccount()
                + ":event-bus/default";
        IEventBus hubBus = EventBus.fromEventBusArn(this, "HubBus", hubBusArn);
        forward("ForwardCreateCluster", "Forwards CloudTrail CreateCluster calls to the EKS access hub",
                ContractEventPattern.createCluster(), hubBus);
        forward("ForwardAccessChanges", "Forwards CloudTrail calls that change EKS cluster access to the EKS access hub",
                ContractEventPattern.accessChanges(), hubBus);
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
        alsoTrust(role, spoke, adoptionRoleArn, trust(config, adoptionRoleArn, List.of(ADOPTION)));
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("AdoptExistingClusters")
                .actions(List.of("eks:ListClusters", "cloudtrail:LookupEvents"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceIdentity", ADOPTION)))
                .build());
    }

    /**
     * The hub's reconciliation (docs/drift.md) reads this account's clusters through the same read-only role: its role
     * by the name CloudFormation gives it ({@code EksAccess-ReconcilerRole…}), only in sessions whose source identity
     * is {@code eks-access.reconciliation}, and only list and describe calls, and IAM GetRole/GetUser, in such sessions.
     */
    private void allowReconciliation(Role role, DeploymentConfig config, SpokeConfig spoke) {
        String session = SessionIdentity.ofFunction(SessionIdentity.RECONCILIATION);
        String hubReconciler = SpokeConfig.hubRoleByName(spoke.hubAccount(), "ReconcilerRole");
        alsoTrust(role, spoke, hubReconciler, trust(config, hubReconciler, List.of(session)));
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ReconcileClusters")
                .actions(List.of("eks:DescribeCluster", "eks:ListAccessEntries", "eks:DescribeAccessEntry",
                        "eks:ListAssociatedAccessPolicies", "iam:GetRole", "iam:GetUser"))
                .resources(List.of("arn:" + getPartition() + ":eks:" + getRegion() + ":" + getAccount() + ":cluster/*",
                        "arn:" + getPartition() + ":eks:" + getRegion() + ":" + getAccount() + ":access-entry/*",
                        "arn:" + getPartition() + ":iam::" + getAccount() + ":role/*",
                        "arn:" + getPartition() + ":iam::" + getAccount() + ":user/*"))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceIdentity", session)))
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

    /** A rule that forwards the events {@code pattern} selects to the hub's bus; what fails ends in FailedForwards. */
    private void forward(String id, String description, EventPattern pattern, IEventBus hubBus) {
        Rule.Builder.create(this, id)
                .description(description)
                .eventPattern(pattern)
                .targets(List.of(software.amazon.awscdk.services.events.targets.EventBus.Builder.create(hubBus)
                        .deadLetterQueue(failedForwards)
                        .build()))
                .build();
    }

    /**
     * Lets another hub role assume {@code role} and set its source identity, under its own conditions: one statement
     * with both actions, because the read-only role is trusted by several hub functions and a trust policy holds 2,048
     * characters by default (OrganizationScaleTest).
     */
    private static void alsoTrust(Role role, SpokeConfig spoke, String hubRoleArn, Map<String, Object> conditions) {
        role.getAssumeRolePolicy().addStatements(PolicyStatement.Builder.create()
                .principals(List.of(hubPrincipal(spoke, hubRoleArn)))
                .actions(List.of("sts:AssumeRole", "sts:SetSourceIdentity"))
                .conditions(conditions)
                .build());
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
