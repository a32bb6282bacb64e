package dev.eksaccess.engine;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.IamPrincipal;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.EksAccessException;
import dev.eksaccess.eks.EksAccessDeniedException;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.eks.EksInvalidParameterException;
import dev.eksaccess.eks.EksInvalidRequestException;
import dev.eksaccess.eks.EksLimitExceededException;
import dev.eksaccess.eks.EksNotFoundException;
import dev.eksaccess.eks.EksResourceInUseException;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.registry.ClusterRegistry;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.BootstrapRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns validated requests into EKS access-entry changes: the one code path for team grants and revokes and for the
 * admin bootstrap of new clusters, and the one place where the {@link SafetyRules} are applied.
 *
 * <p>Refusals and requests EKS cannot carry out come back as {@link ChangeResult.Rejected}; conditions that may pass
 * (a cluster not ACTIVE yet, throttling, 5xx) throw {@link RetryLaterException}.
 */
public final class AccessEngine {

    /**
     * How long after its CreateCluster call a bootstrap waits for the cluster to become ACTIVE (and for the mode switch
     * it asked for to finish). EKS creates a cluster in 10 to 15 minutes and rarely takes more than an hour; two hours
     * leaves the slowest creation and a mode switch after it room, and a cluster still not ACTIVE then will not become
     * so without someone's help.
     */
    public static final Duration BOOTSTRAP_DEADLINE = Duration.ofHours(2);

    /** The errorType of a bootstrap whose cluster did not become ACTIVE by {@link #BOOTSTRAP_DEADLINE}. */
    public static final String BOOTSTRAP_DEADLINE_EXCEEDED = "BootstrapDeadlineExceeded";

    private final EksAccessProvider eksProvider;
    private final ClusterRegistry registry;
    private final SafetyRules safety;
    private final BootstrapSettings bootstrap;

    public AccessEngine(EksAccessProvider eksProvider, ClusterRegistry registry, BootstrapSettings bootstrap) {
        this.eksProvider = Objects.requireNonNull(eksProvider);
        this.registry = Objects.requireNonNull(registry);
        this.bootstrap = Objects.requireNonNull(bootstrap);
        this.safety = new SafetyRules(bootstrap.admins());
    }

    /**
     * Ensures a STANDARD entry with the requested groups and username, then associates the policy with the scope.
     * A recover comes this way too (cluster admin at cluster scope, time-bound), switching a CONFIG_MAP cluster to
     * API_AND_CONFIG_MAP first when the deployment allows it, as a migrate does.
     *
     * @param actingFor who asked, for the session that reaches another account
     */
    public ChangeResult grant(AccessRequest request, ActingFor actingFor) {
        return guarded(request.cluster(), () -> changeStandardEntry(request, actingFor));
    }

    /**
     * Moves one aws-auth mapping to an access entry: a STANDARD entry as a grant makes it (same safety rules), with
     * its policy at cluster scope when it has one, or an EC2_LINUX entry for a node role. A CONFIG_MAP cluster is
     * first switched to API_AND_CONFIG_MAP when the deployment allows it ({@code ALLOW_AUTH_MODE_SWITCH}), else the
     * migrate is refused naming that setting; never to API, and aws-auth is never touched.
     */
    public ChangeResult migrate(AccessRequest request, ActingFor actingFor) {
        return guarded(request.cluster(), () -> request.migration().nodeEntry()
                ? createNodeEntry(request, actingFor) : changeStandardEntry(request, actingFor));
    }

    private ChangeResult changeStandardEntry(AccessRequest request, ActingFor actingFor) {
        ClusterRef cluster = request.cluster();
        EksAccess eks = eksProvider.forCluster(cluster, actingFor);
        refuseIfPresent(safety.refuseTeamRequest(request.principalArn(), registry.find(cluster.arn())));
        AccessSnapshot before = beforeAnyChange(() -> {
            requireAccessEntriesUsable(eks, cluster, request);
            return snapshot(eks, cluster, request.principalArn());
        });
        refuseIfPresent(safety.refuseNonStandard(before.entry()));
        refuseIfPresent(safety.refuseRewritingIdentity(before.entry(), request.kubernetesGroups(),
                request.username()));
        refuseImpersonation(eks, cluster, request, before);
        refuseNarrowingLastClusterAdmin(eks, cluster, request, before);
        List<String> changes = new ArrayList<>();
        ensureEntry(eks, cluster, request.principalArn(), request.kubernetesGroups(), request.username(),
                request.requestId(), before.entry(), true, changes);
        if (request.policyName() != null) {
            eks.associateAccessPolicy(cluster, request.principalArn(), request.policyArn(), request.scope());
            changes.add(associationChange(before, request.policyArn(), request.scope()));
        } else if (changes.isEmpty()) {
            changes.add("the STANDARD entry has these groups and username already");
        }
        AccessSnapshot after = snapshot(eks, cluster, request.principalArn());
        return new ChangeResult.Applied(String.join("; ", changes), before, after, List.of());
    }

    /**
     * A migrated node role's EC2_LINUX entry (no policy, groups or username: EKS gives it the node's). An entry of
     * another type for the principal is never replaced: an entry's type cannot change, and deleting it would cut off
     * whoever uses it.
     */
    private ChangeResult createNodeEntry(AccessRequest request, ActingFor actingFor) {
        ClusterRef cluster = request.cluster();
        String principal = request.principalArn();
        String type = request.migration().entryType();
        EksAccess eks = eksProvider.forCluster(cluster, actingFor);
        refuseIfPresent(safety.refuseTeamRequest(principal, registry.find(cluster.arn())));
        AccessSnapshot before = beforeAnyChange(() -> {
            requireAccessEntriesUsable(eks, cluster, request);
            return snapshot(eks, cluster, principal);
        });
        AccessEntry existing = before.entry();
        if (existing == null) {
            try {
                eks.createAccessEntry(cluster, new NewAccessEntry(principal, null, null, ownTags(request.requestId()),
                        idempotencyToken(), type));
                return new ChangeResult.Applied("created " + type + " access entry", before,
                        snapshot(eks, cluster, principal), List.of());
            } catch (EksResourceInUseException exists) {
                existing = eks.describeAccessEntry(cluster, principal).orElseThrow(() ->
                        new RetryLaterException("access entry of " + principal + " is in use but not readable yet"));
            }
        }
        if (!existing.type().equals(type)) {
            throw new Refusal("the access entry of " + principal + " is of type " + existing.type() + ", not " + type
                    + " as the mapping makes it; an entry's type never changes, and it is not replaced", true);
        }
        return new ChangeResult.Applied("the " + type + " entry exists already", before, before, List.of());
    }

    /**
     * The cluster's tags, which eligibility rules may select clusters by; empty when EKS cannot say (no such cluster,
     * or no permission): rules that select by tag then do not match.
     *
     * @throws RetryLaterException when EKS cannot answer now (throttled, unavailable); nothing was changed
     */
    public Optional<Map<String, String>> clusterTags(ClusterRef cluster, ActingFor actingFor) {
        try {
            return Optional.of(eksProvider.forCluster(cluster, actingFor).describeCluster(cluster).tags());
        } catch (EksAccessException e) {
            if (e.retryable()) {
                throw new RetryLaterException("reading the cluster's tags for the eligibility rules: "
                        + e.getMessage(), e).beforeAnyChange();
            }
            return Optional.empty();
        }
    }

    /**
     * Disassociates the named policy, or every policy in {@code grantedPolicyArns} (what this system granted and
     * has not revoked since) when the request names none; deletes the entry when nothing is left and this system
     * created it.
     */
    public ChangeResult revoke(AccessRequest request, List<String> grantedPolicyArns, ActingFor actingFor) {
        return guarded(request.cluster(), () -> {
            ClusterRef cluster = request.cluster();
            String principal = request.principalArn();
            EksAccess eks = eksProvider.forCluster(cluster, actingFor);
            refuseIfPresent(safety.refuseTeamRequest(principal, registry.find(cluster.arn())));
            requireAccessEntriesUsable(readyCluster(eks, cluster));
            AccessSnapshot before = snapshot(eks, cluster, principal);
            List<String> wanted = request.revokesAll() ? grantedPolicyArns : List.of(request.policyArn());
            if (before.entry() == null) {
                return new ChangeResult.Applied("no access entry; nothing to revoke", before, before, wanted);
            }
            refuseIfPresent(safety.refuseNonStandard(before.entry()));
            List<String> associated = before.policies().stream().map(AssociatedPolicy::policyArn).toList();
            List<String> targets = wanted.stream().filter(associated::contains).toList();
            String clusterAdmin = AccessRequest.policyArn(cluster.partition(), AccessPolicies.CLUSTER_ADMIN);
            if (targets.contains(clusterAdmin)) {
                refuseIfPresent(safety.refuseRemovingLastClusterAdmin(principal,
                        otherClusterScopeAdmins(eks, cluster, clusterAdmin, principal)));
            }
            List<String> changes = new ArrayList<>();
            for (String policyArn : targets) {
                try {
                    eks.disassociateAccessPolicy(cluster, principal, policyArn);
                } catch (EksNotFoundException alreadyGone) {
                    // Removed concurrently: the goal is reached.
                }
                changes.add("disassociated " + policyArn);
            }
            if (targets.isEmpty()) {
                changes.add(request.revokesAll() ? "no policy granted by eks-access is associated"
                        : request.policyArn() + " is not associated");
            }
            if (eks.listAssociatedAccessPolicies(cluster, principal).isEmpty()) {
                Optional<String> keep = safety.refuseDeletingEntry(before.entry());
                if (keep.isPresent()) {
                    changes.add(keep.get());
                } else {
                    try {
                        eks.deleteAccessEntry(cluster, principal);
                    } catch (EksNotFoundException alreadyGone) {
                        // Deleted concurrently: the goal is reached.
                    }
                    changes.add("deleted the access entry (no policy left)");
                }
            }
            AccessSnapshot after = snapshot(eks, cluster, principal);
            return new ChangeResult.Applied(String.join("; ", changes), before, after, wanted);
        });
    }

    /**
     * Bootstraps a new cluster: every configured admin gets its policy at cluster scope, and the creator gets cluster
     * admin when EKS did not give it and {@code CREATOR_ADMIN} is on. Updates the registry's bootstrap status. A request
     * whose id is not {@code bootstrap:} + the registry record's event id belongs to an earlier cluster with the same
     * ARN and is ignored.
     *
     * <p>A cluster still on its way to ACTIVE makes the bootstrap wait ({@link RetryLaterException#waitingForCluster})
     * until {@link #BOOTSTRAP_DEADLINE} after its CreateCluster call; past that it is rejected with
     * {@link #BOOTSTRAP_DEADLINE_EXCEEDED} and recorded {@code BLOCKED} with the reason. A cluster that is FAILED or
     * DELETING, or gone, is rejected and recorded {@code BLOCKED} at once.
     *
     * @param actingFor for whom EKS is called (the member account's session names it)
     * @param now       the time of this attempt, to compare with the deadline
     */
    public ChangeResult bootstrap(BootstrapRequest request, ActingFor actingFor, Instant now) {
        Optional<ClusterRecord> found = registry.find(request.clusterArn());
        if (found.isEmpty()) {
            return new ChangeResult.Rejected("cluster " + request.clusterArn() + " is not in the registry", null);
        }
        ClusterRecord record = found.get();
        if (!request.requestId().equals(BootstrapRequest.requestIdFor(record.eventId()))) {
            // A late request from the CreateCluster of an earlier cluster with this ARN: that cluster was deleted and
            // created again, the registry now describes the new one, and the new event's own request bootstraps it.
            return new ChangeResult.Ignored("bootstrap request " + request.requestId() + " is for an earlier cluster "
                    + "with this ARN: the registry records CreateCluster event " + record.eventId()
                    + " (the cluster was created again), whose own bootstrap request applies");
        }
        if (record.bootstrapStatus() == BootstrapStatus.DONE) {
            return new ChangeResult.Ignored("bootstrap of " + request.clusterArn() + " is already done");
        }
        ClusterRef cluster = ClusterRef.parseArn(request.clusterArn()).orElseThrow();
        ChangeResult result = guarded(cluster, () -> {
            try {
                return bootstrapActive(cluster, record, actingFor);
            } catch (RetryLaterException e) {
                // An adopted cluster's bootstrap is made long after its CreateCluster (docs/adopt.md): from the request.
                Instant since = record.eventTime() != null && !request.fromAdoption()
                        ? record.eventTime() : request.requestedAt();
                if (!e.waitingForCluster() || now.isBefore(since.plus(BOOTSTRAP_DEADLINE))) {
                    throw e;
                }
                return new ChangeResult.Rejected(e.getMessage() + (since.equals(record.eventTime())
                        && !request.fromAdoption() ? " since CreateCluster at " : " since the request at ") + since + ", which is "
                        + "past the bootstrap's deadline of " + BOOTSTRAP_DEADLINE.toMinutes() + " minutes: no admin "
                        + "was given access; once the cluster is ACTIVE, send the bootstrap again", null,
                        BOOTSTRAP_DEADLINE_EXCEEDED);
            }
        });
        if (result instanceof ChangeResult.Rejected rejected) {
            registry.updateBootstrap(record.clusterArn(), BootstrapStatus.BLOCKED, rejected.summary());
        }
        return result;
    }

    private ChangeResult bootstrapActive(ClusterRef cluster, ClusterRecord record, ActingFor actingFor) {
        EksAccess eks = eksProvider.forCluster(cluster, actingFor);
        ClusterState state = readyCluster(eks, cluster);
        if (!state.supportsAccessEntries()) {
            String reason = switchToApiAndConfigMap(eks, cluster, state, "the bootstrap");
            registry.updateBootstrap(record.clusterArn(), BootstrapStatus.PENDING, reason);
            throw RetryLaterException.waitingForCluster(reason);
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (AdminGrant admin : bootstrap.admins()) {
            wanted.put(admin.principalArn(), admin.policyName());
        }
        String creator = record.creatorPrincipalArn();
        if (!record.bootstrapCreatorAdmin() && bootstrap.creatorAdmin() && IamPrincipal.isValid(creator)) {
            wanted.putIfAbsent(creator, AccessPolicies.CLUSTER_ADMIN);
        }
        if (wanted.isEmpty()) {
            String reason = "no admin principals configured and nothing to grant the creator";
            registry.updateBootstrap(record.clusterArn(), BootstrapStatus.NOT_NEEDED, reason);
            return new ChangeResult.Applied(reason, null, null, List.of());
        }
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> admin : wanted.entrySet()) {
            String principal = admin.getKey();
            Optional<AccessEntry> existing = eks.describeAccessEntry(cluster, principal);
            Optional<String> nonStandard = safety.refuseNonStandard(existing.orElse(null));
            if (nonStandard.isPresent()) {
                changes.add(principal + ": " + nonStandard.get());
                continue;
            }
            String policyArn = AccessRequest.policyArn(cluster.partition(), admin.getValue());
            List<String> entryChanges = new ArrayList<>();
            if (existing.isPresent()) {
                // The creator's entry (EKS made it) or one made before, possibly by an earlier attempt of this
                // bootstrap that failed before its association: used as it is, never re-created or updated, and the
                // policy is still associated, as after a 409 on create.
                entryChanges.add(principal.equals(creator) ? "kept the creator's existing entry" : "kept the existing entry");
            }
            ensureEntry(eks, cluster, principal, null, null, BootstrapRequest.requestIdFor(record.eventId()),
                    existing.orElse(null), false, entryChanges);
            eks.associateAccessPolicy(cluster, principal, policyArn, AccessScope.cluster());
            entryChanges.add("associated " + admin.getValue() + " at cluster scope");
            changes.add(principal + ": " + String.join(", ", entryChanges));
        }
        String summary = String.join("; ", changes);
        registry.updateBootstrap(record.clusterArn(), BootstrapStatus.DONE, summary);
        return new ChangeResult.Applied(summary, null, null, List.of());
    }

    /**
     * Most entries a cluster has whose usernames are read to check a new username against them; a cluster with more
     * refuses new usernames (it cannot be checked within the function's time), rather than risk an impersonation.
     */
    static final int USERNAME_CHECK_LIMIT = 200;

    /**
     * Refuses a username that would pass for another principal's ({@link SafetyRules#refuseImpersonatingUsername}):
     * checked when the grant sets a username the entry does not have yet, by reading the cluster's other entries.
     */
    private void refuseImpersonation(EksAccess eks, ClusterRef cluster, AccessRequest request, AccessSnapshot before) {
        String username = request.username();
        if (username == null || (before.entry() != null && username.equals(before.entry().username()))) {
            return;
        }
        refuseIfPresent(safety.refuseImpersonatingUsername(request.principalArn(), username, Map.of()));
        Map<String, String> others = beforeAnyChange(() -> {
            List<String> principals = eks.listAccessEntries(cluster, null);
            if (principals.size() > USERNAME_CHECK_LIMIT) {
                throw new Refusal("the cluster has " + principals.size() + " access entries, more than the "
                        + USERNAME_CHECK_LIMIT + " whose usernames eks-access reads to check that username " + username
                        + " impersonates nobody; send the grant without a username", true);
            }
            Map<String, String> usernames = new LinkedHashMap<>();
            for (String principal : principals) {
                if (!principal.equals(request.principalArn())) {
                    eks.describeAccessEntry(cluster, principal)
                            .filter(entry -> entry.username() != null)
                            .ifPresent(entry -> usernames.put(principal, entry.username()));
                }
            }
            return usernames;
        });
        refuseIfPresent(safety.refuseImpersonatingUsername(request.principalArn(), username, others));
    }

    /**
     * Re-associating replaces the scope, so narrowing AmazonEKSClusterAdminPolicy from the cluster to namespaces
     * removes cluster admin just as a revoke would: the same last-admin rule applies.
     */
    private void refuseNarrowingLastClusterAdmin(EksAccess eks, ClusterRef cluster, AccessRequest request,
                                                 AccessSnapshot before) {
        String clusterAdmin = AccessRequest.policyArn(cluster.partition(), AccessPolicies.CLUSTER_ADMIN);
        boolean narrows = clusterAdmin.equals(request.policyArn())
                && request.scope().type() == AccessScope.Type.NAMESPACE
                && before.policies().stream().anyMatch(p -> p.policyArn().equals(clusterAdmin)
                        && p.scope().type() == AccessScope.Type.CLUSTER);
        if (narrows) {
            refuseIfPresent(safety.refuseRemovingLastClusterAdmin(request.principalArn(),
                    otherClusterScopeAdmins(eks, cluster, clusterAdmin, request.principalArn())));
        }
    }

    /**
     * Another principal that holds AmazonEKSClusterAdminPolicy at cluster scope, if any: the policy scoped to a
     * namespace does not let anyone repair the cluster's access, so such holders do not count. Holders are read until
     * the first that counts.
     */
    private static List<String> otherClusterScopeAdmins(EksAccess eks, ClusterRef cluster, String clusterAdmin,
                                                        String principal) {
        return eks.clusterScopeHolders(cluster, clusterAdmin, principal).findFirst().map(List::of).orElse(List.of());
    }

    /** Creates the entry when absent; updates groups and username when asked to and they differ. */
    private void ensureEntry(EksAccess eks, ClusterRef cluster, String principal, List<String> groups,
                                    String username, String requestId, AccessEntry existing, boolean updateExisting,
                                    List<String> changes) {
        if (existing == null) {
            try {
                eks.createAccessEntry(cluster, new NewAccessEntry(principal, groups, username, ownTags(requestId),
                        idempotencyToken()));
                changes.add("created STANDARD access entry");
                return;
            } catch (EksResourceInUseException exists) {
                // Created meanwhile (or by EKS for the creator): treat it as the existing entry.
                existing = eks.describeAccessEntry(cluster, principal).orElseThrow(() ->
                        new RetryLaterException("access entry of " + principal + " is in use but not readable yet"));
                refuseIfPresent(safety.refuseNonStandard(existing));
            }
        }
        if (!updateExisting) {
            return;
        }
        // Again here: the entry may have been made by someone else between the first read and the create.
        refuseIfPresent(safety.refuseRewritingIdentity(existing, groups, username));
        boolean groupsDiffer = groups != null
                && !new HashSet<>(groups).equals(new HashSet<>(existing.kubernetesGroups()));
        boolean usernameDiffers = username != null && !username.equals(existing.username());
        if (groupsDiffer || usernameDiffers) {
            eks.updateAccessEntry(cluster, principal, groups != null ? groups : existing.kubernetesGroups(),
                    usernameDiffers ? username : null);
            changes.add("updated entry" + (groupsDiffer ? " groups " + existing.kubernetesGroups() + " -> " + groups : "")
                    + (usernameDiffers ? " username " + existing.username() + " -> " + username : ""));
        }
    }

    private static String associationChange(AccessSnapshot before, String policyArn, AccessScope scope) {
        Optional<AssociatedPolicy> previous = before.policies().stream()
                .filter(p -> p.policyArn().equals(policyArn)).findFirst();
        if (previous.isEmpty()) {
            return "associated " + policyArn + " at " + scope;
        }
        if (previous.get().scope().sameAs(scope)) {
            return policyArn + " already associated at " + scope;
        }
        return "changed scope of " + policyArn + " from " + previous.get().scope() + " to " + scope;
    }

    /**
     * Starts the switch of a CONFIG_MAP cluster to API_AND_CONFIG_MAP (never to API: aws-auth keeps working) when the
     * deployment allows it, and says what is being waited for; refuses, naming the setting, when it does not.
     *
     * @param what what to send again once the operator switched it by hand ("the bootstrap")
     */
    private String switchToApiAndConfigMap(EksAccess eks, ClusterRef cluster, ClusterState state, String what) {
        if (!bootstrap.allowAuthModeSwitch()) {
            throw new Refusal("cluster uses authentication mode " + state.authenticationMode()
                    + ", in which access entries do not work; set ALLOW_AUTH_MODE_SWITCH=true to let eks-access "
                    + "switch it to API_AND_CONFIG_MAP, or switch it yourself and send " + what + " again");
        }
        try {
            eks.updateAuthenticationMode(cluster, ClusterState.API_AND_CONFIG_MAP);
        } catch (EksResourceInUseException busy) {
            throw new RetryLaterException("another update of the cluster is in progress", busy);
        } catch (EksInvalidParameterException | EksInvalidRequestException refused) {
            // Another request for this cluster (other principals hold other leases) switched it meanwhile: EKS
            // refuses a switch to the mode the cluster has. Go on once it is there, as after our own switch.
            ClusterState now = eks.describeCluster(cluster);
            if (now.supportsAccessEntries() || now.isSettling()) {
                throw RetryLaterException.waitingForCluster("the authentication mode was switched to "
                        + now.authenticationMode() + " meanwhile (cluster " + now.status() + ")");
            }
            throw refused;
        }
        return "switching authentication mode from " + state.authenticationMode()
                + " to API_AND_CONFIG_MAP; waiting for the cluster to be ACTIVE";
    }

    /**
     * Rejects clusters where access entries cannot work, except that a migrate or a recover switches a CONFIG_MAP cluster when
     * allowed (and waits for it); waits (retry) for clusters on their way to ACTIVE.
     */
    private void requireAccessEntriesUsable(EksAccess eks, ClusterRef cluster, AccessRequest request) {
        ClusterState state = readyCluster(eks, cluster);
        if (!state.supportsAccessEntries() && request.action().switchesAuthMode()) {
            throw RetryLaterException.waitingForCluster(switchToApiAndConfigMap(eks, cluster, state,
                    "the " + request.action().wireName() + " request"));
        }
        requireAccessEntriesUsable(state);
    }

    private static void requireAccessEntriesUsable(ClusterState state) {
        if (!state.supportsAccessEntries()) {
            throw new Refusal("cluster uses authentication mode " + state.authenticationMode()
                    + ", in which access entries do not work; switch it to API_AND_CONFIG_MAP first");
        }
    }

    private static ClusterState readyCluster(EksAccess eks, ClusterRef cluster) {
        ClusterState state;
        try {
            state = eks.describeCluster(cluster);
        } catch (EksNotFoundException e) {
            throw new Refusal("cluster " + cluster.arn() + " does not exist");
        }
        if (state.isSettling()) {
            throw RetryLaterException.waitingForCluster("cluster is " + state.status() + "; waiting for ACTIVE");
        }
        if (!state.isActive()) {
            throw new Refusal("cluster is " + state.status() + "; access can only change on an ACTIVE cluster");
        }
        return state;
    }

    private static AccessSnapshot snapshot(EksAccess eks, ClusterRef cluster, String principal) {
        Optional<AccessEntry> entry = eks.describeAccessEntry(cluster, principal);
        if (entry.isEmpty()) {
            return AccessSnapshot.NONE;
        }
        List<AssociatedPolicy> policies = entry.get().isStandard()
                ? eks.listAssociatedAccessPolicies(cluster, principal) : List.of();
        return new AccessSnapshot(entry.get(), policies);
    }

    /**
     * Runs the reads that precede a grant's first change, marking a transient failure among them as one that changed
     * nothing: the processor then need not count the grant as pending (see the delivery package's RequestProcessor).
     */
    private static <T> T beforeAnyChange(Supplier<T> reads) {
        try {
            return reads.get();
        } catch (RetryLaterException e) {
            throw e.beforeAnyChange();
        } catch (EksAccessException e) {
            if (e.retryable()) {
                throw new RetryLaterException(reason(null, e), e).beforeAnyChange();
            }
            throw e;
        }
    }

    /**
     * Runs one change and maps refusals and EKS failures to results or retries: a failure that {@linkplain
     * EksAccessException#retryable() can pass} is retried, any other rejects the request with its reason.
     */
    private static ChangeResult guarded(ClusterRef cluster, Supplier<ChangeResult> change) {
        try {
            return change.get();
        } catch (Refusal refusal) {
            return new ChangeResult.Rejected(refusal.getMessage(), null, null, refusal.safetyRule);
        } catch (EksAccessException failure) {
            if (failure.retryable()) {
                throw new RetryLaterException(reason(cluster, failure), failure);
            }
            return new ChangeResult.Rejected(reason(cluster, failure), null,
                    failure instanceof EksAccessDeniedException ? "AccessDenied" : null);
        }
    }

    /**
     * What an EKS failure means for the request, in words for the ledger. A switch over the sealed hierarchy: a new
     * failure mode does not compile until it is described here.
     *
     * @param cluster the cluster being changed, or null where the reason need not name it
     */
    static String reason(ClusterRef cluster, EksAccessException failure) {
        String on = cluster == null ? "" : " on " + cluster.name();
        return switch (failure) {
            case EksNotFoundException e -> "EKS: not found: " + e.getMessage();
            case CrossAccountNotConfiguredException e -> e.getMessage();
            case EksInvalidParameterException e -> "EKS refused the change" + on + ": " + e.getMessage();
            case EksInvalidRequestException e -> "EKS refused the change" + on + ": " + e.getMessage();
            case EksLimitExceededException e -> "EKS refused the change" + on + ": " + e.getMessage();
            case EksResourceInUseException e -> "EKS: " + e.getMessage();
            case EksTransientException e -> "EKS: " + e.getMessage();
            case EksAccessDeniedException e -> "configuration error: the grant processor may not make this call" + on
                    + " (its role, or the role it assumes in the cluster's account, lacks the permission); fix the "
                    + "deployment, then send the request again. EKS: " + e.getMessage();
        };
    }

    private static void refuseIfPresent(Optional<String> reason) {
        if (reason.isPresent()) {
            throw new Refusal(reason.get(), true);
        }
    }

    /** The tags of an entry this system creates: who made it, and for which request. */
    private static Map<String, String> ownTags(String requestId) {
        return Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE, AccessEntry.REQUEST_ID_TAG,
                tagValue(requestId));
    }

    /** Tag values allow at most 256 characters. */
    private static String tagValue(String value) {
        return value.length() <= 256 ? value : value.substring(0, 256);
    }

    /**
     * A token for one create call, which the SDK's own retries of that call repeat, so a create whose answer was lost
     * is not done twice. Not one per request: a later delivery of the same request may have to create the entry
     * again (a later-arriving revoke deleted it meanwhile), and EKS answers a reused token with the first call's
     * result without creating anything.
     */
    private static String idempotencyToken() {
        return UUID.randomUUID().toString();
    }

    /** A safety rule or the cluster's state refuses the change; unwinds to a {@link ChangeResult.Rejected}. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Whether one of the {@link SafetyRules} refused, rather than the cluster's state. */
        final boolean safetyRule;

        Refusal(String reason) {
            this(reason, false);
        }

        Refusal(String reason, boolean safetyRule) {
            super(reason, null, false, false);
            this.safetyRule = safetyRule;
        }
    }
}
