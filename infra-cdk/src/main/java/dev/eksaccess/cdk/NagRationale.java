package dev.eksaccess.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.constructs.IConstruct;

/**
 * The cdk-nag findings this design accepts, each suppressed on the one resource it concerns, with the reason.
 * Wildcard-resource suppressions name the exact resource pattern ({@code appliesTo}), so a new wildcard still fails.
 */
final class NagRationale {

    private static final String DLQ_REASON = "This queue is itself a dead-letter queue (of EventBridge targets and"
            + " asynchronous Lambda invocations); a dead-letter queue of a dead-letter queue only hides failures."
            + " Its own alarm fires on the first message.";
    private static final String JAVA_21_REASON = "Java 21 is the project's target runtime (the code compiles with"
            + " --release 21) and is supported by Lambda with SnapStart; moving to a newer Java runtime is a"
            + " deliberate upgrade of the functions, not a deployment setting.";
    private static final String EKS_SCOPE_REASON = "Access entries and clusters are created after deployment, so"
            + " their ARNs cannot be listed: the scope is every cluster (or the configured clusters) of the"
            + " account and region, every statement names its actions, and the dangerous ones carry conditions"
            + " (eks:accessEntryType=STANDARD, or EC2_LINUX for migrations, eks:policyArn in the allowed set, eks:authenticationMode="
            + "API_AND_CONFIG_MAP).";

    private static final String ORGANIZATION_ROLE_REASON = "organizationMembers: every account of the organization is a"
            + " member, so the member accounts' role is named by its name in any account, and the statement's condition"
            + " aws:ResourceOrgID limits it to the organization's accounts: a new account needs no redeploy.";

    private NagRationale() {
    }

    static void applyTo(EksAccessStack stack, DeploymentConfig config) {
        suppress(stack.failedEvents(), "AwsSolutions-SQS3", DLQ_REASON);
        for (JavaFunction function : List.of(stack.clusterCreated(), stack.grantProcessor(), stack.expirySweep(),
                stack.reconciler(), stack.accessChanges(), stack.adoption())) {
            suppress(function.function(), "AwsSolutions-L1", JAVA_21_REASON);
            if (config.xrayTracing()) {
                suppress(function.role(), "AwsSolutions-IAM5", "X-Ray's PutTraceSegments and PutTelemetryRecords"
                        + " support no resource-level permissions; CDK adds them only when tracing is on.",
                        "Resource::*");
            }
        }
        suppress(stack.grantProcessor().role(), "AwsSolutions-IAM5", EKS_SCOPE_REASON, eksResources());
        overflowPolicies(stack);
        if (config.organizationMembers()) {
            for (JavaFunction function : List.of(stack.clusterCreated(), stack.grantProcessor(), stack.accessChanges(),
                    stack.adoption())) {
                suppress(function.role(), "AwsSolutions-IAM5", ORGANIZATION_ROLE_REASON, memberRoles());
            }
        }
        suppress(stack.clusterCreated().role(), "AwsSolutions-IAM5", VERIFY_REASON, eksResources());
        suppress(stack.reconciler().role(), "AwsSolutions-IAM5", RECONCILE_REASON, eksResources(),
                accountPrincipals());
        if (config.organizationMembers()) {
            suppress(stack.reconciler().role(), "AwsSolutions-IAM5", ORGANIZATION_ROLE_REASON, memberRoles());
        }
        suppress(stack.accessChanges().role(), "AwsSolutions-IAM5", READ_ACCESS_REASON, eksResources());
        suppress(stack.adoption().role(), "AwsSolutions-IAM5", ADOPTION_REASON, "Resource::*", eksResources());
        suppress(stack.tamperAlarm().role(), "AwsSolutions-IAM5", "dynamodb:ListStreams only, which EventBridge Pipes"
                + " lists for a DynamoDB stream source and which supports no resource-level permission: it names the"
                + " account's streams and reads none; reading is GetRecords on the ledger's stream alone.",
                "Resource::*");
    }

    /** Why the reconciliation reads every cluster's entries and asks IAM about any role or user. */
    private static final String RECONCILE_REASON = "Read-only: eks:DescribeCluster, ListAccessEntries, DescribeAccessEntry"
            + " and ListAssociatedAccessPolicies on the clusters the grant processor may manage (same resources and"
            + " tag condition), and iam:GetRole/GetUser on the account's roles and users, since any of them can hold an"
            + " access entry: the reconciliation lists every entry and checks that its principal still exists.";
    /** Why the adoption function's role lists every cluster and looks up CloudTrail's history. */
    private static final String ADOPTION_REASON = "eks:ListClusters and cloudtrail:LookupEvents support no"
            + " resource-level permissions (the Service Authorization Reference lists no resource type for either), so"
            + " their resource is *; both are read-only. eks:DescribeCluster (read-only) is on every cluster of the"
            + " account in the adoption regions: the clusters to adopt are the ones the system does not know yet.";

    /** Why the cluster-creation function's roles, at home and in member accounts, describe every cluster. */
    private static final String VERIFY_REASON = "eks:DescribeCluster only (read-only), on every cluster of this"
            + " account and region: each CreateCluster event names a cluster the function has not seen before, and it"
            + " verifies every one before recording it.";

    /** Why the access-change function's roles, at home and in member accounts, read every cluster's entries. */
    private static final String READ_ACCESS_REASON = "eks:ListAccessEntries, eks:DescribeAccessEntry and"
            + " eks:ListAssociatedAccessPolicies only (read-only), on the clusters and entries the deployment covers:"
            + " a change someone else made can touch any of them, and the function judges it by what EKS reports"
            + " after it (docs/drift.md).";

    static void applyTo(SpokeStack stack) {
        suppress(stack.failedForwards(), "AwsSolutions-SQS3", DLQ_REASON);
        suppress(stack.hubAccessRole(), "AwsSolutions-IAM5", EKS_SCOPE_REASON, eksResources());
        overflowPolicies(stack);
        stack.clusterReaderRole().ifPresent(role -> suppress(role, "AwsSolutions-IAM5", VERIFY_REASON + " "
                + RECONCILE_REASON + " " + READ_ACCESS_REASON, eksResources(), accountPrincipals()));
        stack.clusterReaderRole().ifPresent(role -> suppress(role, "AwsSolutions-IAM5", ADOPTION_REASON
                + " In a member account only sessions named eks-access.adoption may (aws:SourceIdentity).", "Resource::*"));
    }

    /**
     * CDK moves the statements that do not fit a role's inline policy into {@code OverflowPolicyN} managed policies
     * while it synthesizes, after the suppressions above were attached to the role: those policies would carry the
     * EKS wildcards unsuppressed and stop synth (issue 18: from 24 clusters in {@code clusterArns}). The same
     * suppression, for exactly the EKS resource pattern, is therefore also a stack suppression, which cdk-nag applies
     * to every resource of the stack whenever it was created; any other wildcard still fails.
     */
    private static void overflowPolicies(software.amazon.awscdk.Stack stack) {
        NagSuppressions.addStackSuppressions(stack, List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .reason(EKS_SCOPE_REASON + " (Also for the overflow policies CDK creates at synth for a long list of"
                        + " clusters.)").appliesTo(List.of(eksResources())).build()), true);
    }

    private static RegexAppliesTo memberRoles() {
        return RegexAppliesTo.builder().regex("/^Resource::arn:(<AWS::Partition>|aws[a-z-]*):iam::\\*:role\\/.*$/g")
                .build();
    }

    /** Every role and every user of the account: what the reconciliation asks IAM about. */
    private static RegexAppliesTo accountPrincipals() {
        return RegexAppliesTo.builder().regex("/^Resource::arn:(<AWS::Partition>|aws[a-z-]*):iam::(<AWS::AccountId>|"
                + "\\d{12}):(role|user)\\/\\*$/g").build();
    }

    private static RegexAppliesTo eksResources() {
        return RegexAppliesTo.builder().regex("/^Resource::arn:(<AWS::Partition>|aws[a-z-]*):eks:(<AWS::Region>|[a-z0-9-]+)"
                + ":(<AWS::AccountId>|\\d{12}):(cluster|access-entry)\\/.*$/g").build();
    }

    private static void suppress(IConstruct construct, String rule, String reason, Object... appliesTo) {
        NagPackSuppression.Builder suppression = NagPackSuppression.builder().id(rule).reason(reason);
        if (appliesTo.length > 0) {
            suppression.appliesTo(List.of(appliesTo));
        }
        NagSuppressions.addResourceSuppressions(construct, List.of(suppression.build()), true);
    }
}
