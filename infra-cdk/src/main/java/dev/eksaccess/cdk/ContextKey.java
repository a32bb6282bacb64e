package dev.eksaccess.cdk;

/**
 * The CDK context keys that configure a deployment ({@code cdk.context.json}, {@code cdk.json} or {@code -c key=value}).
 * Error messages name the key, so a deployer knows which line of configuration to fix.
 */
public enum ContextKey {

    ADMIN_PRINCIPALS("adminPrincipals",
            "list of {\"principalArn\": ARN, \"policy\": NAME} objects or \"ARN[=POLICY]\" strings"),
    ALLOWED_POLICIES("allowedPolicies", "list of EKS access policy short names or ARNs"),
    SENDER_PRINCIPALS("senderPrincipals", "list of IAM role/user ARNs or 12-digit account ids"),
    ALLOW_AUTH_MODE_SWITCH("allowAuthModeSwitch", "true or false"),
    CREATOR_ADMIN("creatorAdmin", "true or false"),
    EXISTING_TRAIL("existingTrail", "true or false"),
    ALARM_EMAIL("alarmEmail", "an e-mail address"),
    CROSS_ACCOUNT_ROLE_NAME("crossAccountRoleName", "an IAM role name, optionally with its path (path/name)"),
    MAX_GRANT_DURATION("maxGrantDuration", "an ISO-8601 duration such as PT12H or P7D"),
    CLUSTER_ARNS("clusterArns", "list of EKS cluster ARNs"),
    CLUSTER_NAME_PATTERNS("clusterNamePatterns", "list of cluster name patterns of letters, digits, '-', '_' and '*'"
            + " (e.g. payments-*): the clusters of the account and region the functions may manage"),
    CLUSTER_TAG("clusterTag", "key=value: the tag a cluster must carry for the functions to manage it"),
    ORGANIZATION_MEMBERS("organizationMembers", "true or false: every account of organizationId is a member account"),
    XRAY_TRACING("xrayTracing", "true or false"),
    FUNCTIONS_JAR("functionsJar", "path of the functions' shaded jar, relative to infra-cdk/ or absolute"),
    ELIGIBILITY("eligibility", "path of the eligibility document (docs/authorization.md), relative to infra-cdk/ or absolute"),
    OUTCOME_BUS("outcomeBus", "the name or ARN of an existing EventBridge event bus for outcome events; unset: the stack"
            + " creates one"),
    MEMBER_ACCOUNTS("memberAccounts", "list of 12-digit account ids whose CreateCluster events the hub accepts and"
            + " whose crossAccountRoleName role the grant processor may assume"),
    ORGANIZATION_ID("organizationId", "an AWS Organizations id such as o-a1b2c3d4e5 (the spoke role then requires"
            + " aws:PrincipalOrgID)"),
    CROSS_ACCOUNT_EXTERNAL_ID("crossAccountExternalId", "2 to 1224 characters of letters, digits and +=,.@:/-"
            + " (the spoke role then requires sts:ExternalId)"),
    KMS_KEY("kmsKey", "'create', or the ARN of an existing KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID); unset or"
            + " empty: AWS managed keys"),
    LOG_RETENTION_DAYS("logRetentionDays", "a CloudWatch Logs retention in days: 1, 3, 5, 7, 14, 30, 60, 90, 120,"
            + " 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653"),
    RECONCILE_SCHEDULE("reconcileSchedule", "an EventBridge schedule expression such as rate(1 day) (the default),"
            + " rate(6 hours) or cron(0 3 * * ? *): when the reconciliation runs (docs/drift.md)"),
    HUB_ACCOUNT("hubAccount", "the hub's 12-digit account id (spoke stack only)"),
    HUB_ROLE_ARN("hubRoleArn", "the hub grant processor's role ARN, output GrantProcessorRoleArn (spoke stack only)"),
    HUB_CLUSTER_CREATION_ROLE_ARN("hubClusterCreationRoleArn",
            "the hub cluster-creation function's role ARN, output ClusterCreationRoleArn (spoke stack only)"),
    HUB_ACCESS_CHANGES_ROLE_ARN("hubAccessChangesRoleArn",
            "the hub access-change function's role ARN, output AccessChangesRoleArn (spoke stack only)"),
    HUB_ADOPTION_ROLE_ARN("hubAdoptionRoleArn",
            "the hub adoption function's role ARN, output AdoptionRoleArn (spoke stack only)"),
    ADOPTION_SCHEDULE("adoptionSchedule", "'off' (the default), 'daily', or an EventBridge schedule expression"
            + " rate(...) or cron(...): when the adoption function runs by itself (docs/adopt.md)"),
    ADOPTION_REGIONS("adoptionRegions", "list of AWS regions the adoption function lists clusters in, in the hub and"
            + " every member account; unset: the stack's region"),
    ADOPTION_ACCOUNTS("adoptionAccounts", "list of 12-digit member account ids the scheduled adoption looks in besides"
            + " the hub, for an organizationMembers deployment (which lists none); with memberAccounts, each must be"
            + " one of them; unset: the deployment's memberAccounts"),
    DRIFT_RESTORE_CLUSTERS("driftRestoreClusters", "list of cluster name patterns, or cluster ARN patterns starting"
            + " with arn:, * for any run of characters: clusters whose grants are restored when someone else changes"
            + " them, unless their rule says \"drift\": \"alert\" (docs/drift.md); unset: none"),
    DRIFT_RESTORE_WINDOW("driftRestoreWindow", "an ISO-8601 duration of more than zero and at most PT24H, such as PT1H"
            + " (the default): a third restore of one entry within it is stopped (docs/drift.md)");

    private final String key;
    private final String expected;

    ContextKey(String key, String expected) {
        this.key = key;
        this.expected = expected;
    }

    /** The key as written in context files and on the command line. */
    public String key() {
        return key;
    }

    /** What a valid value looks like. */
    public String expected() {
        return expected;
    }
}
