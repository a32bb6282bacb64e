package dev.eksaccess.contract;

/**
 * The environment variables that configure the functions. The CDK app sets them; the functions read them
 * once at start-up and refuse to start, naming the variable, when one is missing or malformed.
 */
public enum Setting {

    /** DynamoDB table of clusters seen (one item per cluster ARN). */
    REGISTRY_TABLE("REGISTRY_TABLE", true,
            "name of the DynamoDB cluster registry table"),
    /** DynamoDB table of the audit ledger and per-grant state. */
    LEDGER_TABLE("LEDGER_TABLE", true,
            "name of the DynamoDB audit ledger table"),
    /** DynamoDB table of the access inventory the reconciliation writes (docs/drift.md). */
    INVENTORY_TABLE("INVENTORY_TABLE", true,
            "name of the DynamoDB inventory table"),
    /** URL of the grant queue: bootstrap requests and expiry revocations are sent here. */
    GRANT_QUEUE_URL("GRANT_QUEUE_URL", true,
            "URL of the SQS grant queue"),
    /**
     * Path of the deployment settings file ({@link DeploymentSettings}: admin principals, allowed policies, member
     * accounts). The stack ships it in a Lambda layer and sets this to where Lambda mounts it; a file rather than
     * variables because those lists grow with the organisation and Lambda allows 4 KB of environment in all. Unset:
     * {@link DeploymentSettings#defaults()} (no admins, the default policies, no member accounts).
     */
    DEPLOYMENT_FILE("DEPLOYMENT_FILE", false,
            "path of a readable deployment settings file (the stack sets " + DeploymentSettings.FILE_IN_FUNCTION + ")"),
    /** {@code true}: give the creator admin when the cluster was created without bootstrap permissions. */
    CREATOR_ADMIN("CREATOR_ADMIN", false,
            "true or false (default false)"),
    /** {@code true}: move CONFIG_MAP clusters to API_AND_CONFIG_MAP so that access entries work. */
    ALLOW_AUTH_MODE_SWITCH("ALLOW_AUTH_MODE_SWITCH", false,
            "true or false (default false)"),
    /** Role name assumed in other accounts, as {@link IamRoleName} says; empty: same account only. */
    CROSS_ACCOUNT_ROLE_NAME("CROSS_ACCOUNT_ROLE_NAME", false,
            "an IAM role name (optionally with path) present in every member account"),
    /**
     * The {@code ExternalId} to pass to STS AssumeRole for the member accounts' role, whose trust policy requires it
     * ({@code sts:ExternalId}) when the deployment binds the trust with an external id rather than
     * {@code aws:PrincipalOrgID}. Unset: AssumeRole is called without one.
     */
    CROSS_ACCOUNT_EXTERNAL_ID("CROSS_ACCOUNT_EXTERNAL_ID", false,
            "2 to 1224 characters of letters, digits and +=,.@:/-"),
    /** Longest time-bound grant, ISO-8601 duration (default P7D). */
    MAX_GRANT_DURATION("MAX_GRANT_DURATION", false,
            "an ISO-8601 duration such as PT12H or P7D"),
    /**
     * Path of the eligibility document (docs/authorization.md). The stack ships the document in a Lambda layer and
     * sets this to where Lambda mounts it; a file rather than a variable because documents outgrow Lambda's 4 KB
     * of environment. Unset: no document.
     */
    ELIGIBILITY_FILE("ELIGIBILITY_FILE", false,
            "path of a readable eligibility document (the stack sets /opt/eks-access/eligibility.json)"),
    /**
     * ARN of the cluster-creation function's role: the only sender whose {@code bootstrap} messages the grant
     * processor accepts. Unset: every bootstrap message is rejected.
     */
    CLUSTER_CREATION_ROLE_ARN("CLUSTER_CREATION_ROLE_ARN", false,
            "the IAM role ARN of the cluster-creation function"),
    /**
     * ARN of the expiry sweep's role: the only sender whose expiry revokes ({@code expiry:} request ids) and
     * approval expiries the grant processor accepts. Unset: every such message is rejected.
     */
    EXPIRY_SWEEP_ROLE_ARN("EXPIRY_SWEEP_ROLE_ARN", false,
            "the IAM role ARN of the expiry sweep function"),
    /**
     * ARN of the grant processor's own role: a bootstrap that waits for its cluster to become ACTIVE is sent to the
     * grant queue again by the processor itself, and accepted from this role as from the cluster-creation function's.
     * Unset: the processor does not trust its own copies, so a waiting bootstrap keeps its message and waits with
     * the retry backoff instead.
     */
    GRANT_PROCESSOR_ROLE_ARN("GRANT_PROCESSOR_ROLE_ARN", false,
            "the IAM role ARN of the grant processor function itself"),
    /**
     * ARN of the drift function's role: the only sender whose {@code restore} messages (docs/drift.md, "Repair") the
     * grant processor accepts. Unset: every restore message is rejected, so drift is only reported.
     */
    DRIFT_FUNCTION_ROLE_ARN("DRIFT_FUNCTION_ROLE_ARN", false,
            "the IAM role ARN of the drift (access-change) function"),
    /**
     * ARN of the adoption function's role (docs/adopt.md): its {@code bootstrap} messages, for clusters that existed
     * before the system, are accepted like the cluster-creation function's. Unset: they are rejected.
     */
    ADOPTION_ROLE_ARN("ADOPTION_ROLE_ARN", false,
            "the IAM role ARN of the adoption function"),
    /**
     * The regions the adoption function lists clusters in, in the hub and every member account, comma-separated.
     * Unset: the function's own region only.
     */
    ADOPTION_REGIONS("ADOPTION_REGIONS", false,
            "AWS region names separated by commas, such as eu-west-1,us-east-1"),
    /**
     * Name or ARN of the EventBridge bus that outcome events go to ({@link OutcomeEvents}). Unset: outcome events
     * are only logged.
     */
    OUTCOME_BUS("OUTCOME_BUS", false,
            "an EventBridge event bus name or ARN");

    private final String variable;
    private final boolean required;
    private final String expected;

    Setting(String variable, boolean required, String expected) {
        this.variable = variable;
        this.required = required;
        this.expected = expected;
    }

    /** The environment variable's name. */
    public String variable() {
        return variable;
    }

    /** Whether start-up fails without it. */
    public boolean required() {
        return required;
    }

    /** What a valid value looks like, for error messages and documentation. */
    public String expected() {
        return expected;
    }
}
