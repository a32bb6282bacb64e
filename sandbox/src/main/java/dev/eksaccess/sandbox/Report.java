package dev.eksaccess.sandbox;

import java.util.List;

/**
 * What a sandbox run did and where it left the emulated AWS: printed as a table, or as one JSON document with
 * {@code --json} (field names are the document's contract; see docs/sandbox.md).
 *
 * @param settings      how the sandbox was configured
 * @param clusters      every cluster in the EKS emulator, with what the registry holds about it
 * @param accessEntries every access entry of those clusters, with its policies
 * @param events        every event file, in play order, and what became of it
 * @param requests      every grant-queue message, in the order first processed, who sent it, how it ended and where
 *                      its request stands now
 * @param approvals     every grant held for approval, with its approvals
 * @param deadLetters   what is left on the grant queue's dead-letter queue
 * @param warnings      what did not settle in time
 * @param externalChanges what the ledger holds of the changes others made (access-change events played), with how
 *                        the access-change function judged each (docs/drift.md)
 * @param awsAuth         per mapping of each aws-auth ConfigMap file played, its migration plan
 * @param inventory       the snapshot one reconciliation run published at the end, per registered cluster
 *                        (docs/drift.md, "Reconciliation and inventory")
 * @param commands        every {@code eks-access} command file played, in play order, with what the CLI printed
 */
public record Report(Settings settings, List<Cluster> clusters, List<AccessEntry> accessEntries, List<Event> events,
                     List<Request> requests, List<Approval> approvals, List<DeadLetter> deadLetters,
                     List<String> warnings, List<ExternalChange> externalChanges, List<AwsAuthMapping> awsAuth,
                     List<InventoryCluster> inventory, List<Command> commands) {

    public Report {
        commands = List.copyOf(commands);
        awsAuth = List.copyOf(awsAuth);
        inventory = List.copyOf(inventory);
        clusters = List.copyOf(clusters);
        accessEntries = List.copyOf(accessEntries);
        events = List.copyOf(events);
        requests = List.copyOf(requests);
        approvals = List.copyOf(approvals);
        deadLetters = List.copyOf(deadLetters);
        warnings = List.copyOf(warnings);
        externalChanges = List.copyOf(externalChanges);
    }

    /** A report without eks-access commands. */
    public Report(Settings settings, List<Cluster> clusters, List<AccessEntry> accessEntries, List<Event> events,
                  List<Request> requests, List<Approval> approvals, List<DeadLetter> deadLetters,
                  List<String> warnings, List<ExternalChange> externalChanges, List<AwsAuthMapping> awsAuth,
                  List<InventoryCluster> inventory) {
        this(settings, clusters, accessEntries, events, requests, approvals, deadLetters, warnings, externalChanges,
                awsAuth, inventory, List.of());
    }

    /** A report without an inventory. */
    public Report(Settings settings, List<Cluster> clusters, List<AccessEntry> accessEntries, List<Event> events,
                  List<Request> requests, List<Approval> approvals, List<DeadLetter> deadLetters,
                  List<String> warnings, List<ExternalChange> externalChanges, List<AwsAuthMapping> awsAuth) {
        this(settings, clusters, accessEntries, events, requests, approvals, deadLetters, warnings, externalChanges,
                awsAuth, List.of());
    }

    /** A report without aws-auth files. */
    public Report(Settings settings, List<Cluster> clusters, List<AccessEntry> accessEntries, List<Event> events,
                  List<Request> requests, List<Approval> approvals, List<DeadLetter> deadLetters,
                  List<String> warnings, List<ExternalChange> externalChanges) {
        this(settings, clusters, accessEntries, events, requests, approvals, deadLetters, warnings, externalChanges,
                List.of());
    }

    /** A report without external changes. */
    public Report(Settings settings, List<Cluster> clusters, List<AccessEntry> accessEntries, List<Event> events,
                  List<Request> requests, List<Approval> approvals, List<DeadLetter> deadLetters,
                  List<String> warnings) {
        this(settings, clusters, accessEntries, events, requests, approvals, deadLetters, warnings, List.of());
    }

    /**
     * The sandbox's account and region (the functions' own) and the configuration the functions ran with.
     *
     * @param eligibility         the eligibility document's file ({@code --eligibility}, or the built-in one)
     * @param clusterCreationRole the cluster-creation function's role, the only sender of bootstraps
     * @param expirySweepRole     the expiry sweep's role, the only sender of expiry revokes and expire messages
     */
    public record Settings(String accountId, String region, List<String> admins, boolean creatorAdmin,
                           boolean allowAuthModeSwitch, int batchSize, int maxReceiveCount, String eligibility,
                           String clusterCreationRole, String expirySweepRole) {
    }

    /**
     * @param registeredBy the registry record's {@code source}: the cluster-creation function's (the event's
     *                     {@code sourceIPAddress} or user agent) or {@code eks-access adopt (...)} for an adopted
     *                     cluster; null when the registry has no record of the cluster
     * @param updates      the cluster's configuration updates as EKS lists them (UpdateClusterConfig): what changed,
     *                     how it ended and when ({@code AuthenticationMode=API_AND_CONFIG_MAP Successful at ...})
     */
    public record Cluster(String arn, String name, String accountId, String region, String status,
                          Creator creator, String authenticationMode, Bootstrap bootstrap, String registeredBy,
                          List<String> updates) {

        public Cluster {
            updates = List.copyOf(updates);
        }
    }

    /** Who created the cluster: the registry's record, else the creator EKS knows. */
    public record Creator(String principalArn, String type) {
    }

    /** The registry's bootstrap status; null when the registry has no record of the cluster. */
    public record Bootstrap(String status, String reason) {
    }

    public record AccessEntry(String clusterName, String principalArn, String type, List<String> kubernetesGroups,
                              String username, List<Policy> policies) {
    }

    public record Policy(String policyArn, AccessScope accessScope) {
    }

    public record AccessScope(String type, List<String> namespaces) {
    }

    /**
     * @param id      the EventBridge event id
     * @param outcome {@code not-matched}, or the cluster-creation function's outcome (recorded, duplicate, replaced,
     *                stale, ignored, rejected), or the access-change function's (recorded, duplicate, own-call,
     *                ignored, rejected; its reason then starts with the severity), or {@code failed} when it kept
     *                throwing
     */
    public record Event(String file, String id, String outcome, String reason, String clusterArn) {
    }

    /**
     * @param sender   the IAM role or user ARN whose credentials sent the message (SQS SenderId, as the grant processor
     *                 resolves it)
     * @param outcome  how the message ended: applied, rejected, ignored, pending-approval, or dead-lettered
     * @param state    where the request stands now, from the outcome events: as the outcome, or, for a grant held for
     *                 approval, approved, applied, denied, expired (revoked for a revoke); null when no event says
     * @param attempts how often the grant processor received the message
     */
    public record Request(String messageId, String requestId, String action, String sender, String outcome,
                          String state, String reason, int attempts, String source) {
    }

    /**
     * A grant held for approval.
     *
     * @param requestId  the grant's request id, which approve and deny messages name ({@code pendingRequestId})
     * @param requester  who sent the grant
     * @param state      pending-approval, or how it ended: applied (approved, then applied), denied, expired, rejected
     * @param required   how many different approvers must approve
     * @param approvedBy who approved so far
     * @param approvers  who may approve (the rule's)
     * @param deniedBy   who denied it, or null
     * @param expiresAt  until when it may be approved
     */
    public record Approval(String requestId, String requester, String principalArn, String clusterName,
                           String policy, String state, int required, List<String> approvedBy, List<String> approvers,
                           String deniedBy, String expiresAt) {
    }

    public record DeadLetter(String messageId, String body, String receiveCount) {
    }

    /**
     * A change someone else made, as the ledger keeps it ({@code CLUSTER#<arn>}, {@code EXTERNAL#<eventId>}).
     *
     * @param change   the call in one line ({@code DeleteAccessEntry arn:…})
     * @param actor    who made it
     * @param severity harmless, conflicts-with-grant or lockout-risk
     * @param reason   why
     */
    public record ExternalChange(String clusterName, String eventId, String change, String actor, String severity,
                                 String reason) {
    }

    /**
     * One mapping of an aws-auth ConfigMap file played, as {@code eks-access migrate --plan} plans it.
     *
     * @param file            the file
     * @param clusterName     the cluster it was attached to
     * @param resourceVersion the ConfigMap's version as the cluster's Kubernetes API serves it
     * @param source          where in aws-auth the mapping is ({@code mapRoles[0]})
     * @param verdict         {@code MIGRATE}, or why not
     * @param entryType       the access entry's type, or null when it does not migrate
     * @param principalArn    the entry's principal (the role with its path, from IAM), else the mapping's subject
     * @param kubernetesGroups the entry's groups
     * @param clusterPolicies the access policies at cluster scope it gets
     * @param explanation     the planner's words
     */
    public record AwsAuthMapping(String file, String clusterName, String resourceVersion, String source,
                                 String verdict, String entryType, String principalArn, List<String> kubernetesGroups,
                                 List<String> clusterPolicies, String explanation) {
    }

    /**
     * One {@code eks-access} command file, run by the real CLI ({@code dev.eksaccess.cli.EksAccessCli}) in the sandbox.
     *
     * @param command  the command line as the file holds it
     * @param sender   whose credentials it ran with (the {@code --sender} in force: its SQS messages carry that SenderId)
     * @param exitCode the CLI's exit code
     * @param output   what it printed on standard output
     * @param errors   what it printed on standard error
     */
    public record Command(String file, String command, String sender, int exitCode, String output, String errors) {
    }

    /**
     * One cluster of the reconciliation's snapshot.
     *
     * @param authenticationMode as read, or null when unreadable
     * @param flags              cluster flags (CONFIG_MAP, ONLY_CREATOR_ADMIN, UNREADABLE)
     * @param failure            why it could not be read, or null
     */
    public record InventoryCluster(String clusterArn, String authenticationMode, List<String> flags, String failure,
                                   List<InventoryEntry> entries) {
    }

    /**
     * One access entry as the reconciliation found it.
     *
     * @param madeBy    SYSTEM (with the request behind it), CREATOR or EXTERNAL
     * @param requestId for SYSTEM: the latest applied grant's request id, else the entry's request-id tag; else null
     * @param expiresAt the earliest end of its time-bound grants, or null
     * @param flags     entry flags (NO_POLICY, PRINCIPAL_GONE, PAST_END)
     */
    public record InventoryEntry(String principalArn, String type, List<Policy> policies, String madeBy,
                                 String requestId, String expiresAt, List<String> flags) {
    }
}
