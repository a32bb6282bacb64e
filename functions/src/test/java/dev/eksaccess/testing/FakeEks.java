package dev.eksaccess.testing;

import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.CrossAccountNotConfiguredException;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.eks.EksInvalidParameterException;
import dev.eksaccess.eks.EksInvalidRequestException;
import dev.eksaccess.eks.EksLimitExceededException;
import dev.eksaccess.eks.EksNotFoundException;
import dev.eksaccess.eks.EksResourceInUseException;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.emulator.eks.internal.AccessPolicyCatalog;
import dev.eksaccess.model.ClusterRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-memory EKS with the access-entry behaviour the reference documents, and failure injection. It answers as
 * {@code SdkEksAccess} over the EKS emulator does: {@code dev.eksaccess.eks.FakeEksBehaviourTest} and
 * {@code EmulatedEksBehaviourIT} hold both to one suite.
 */
public final class FakeEks implements EksAccess, EksAccessProvider {

    /** Access entries per cluster (EKS's quota, not adjustable). */
    public static final int ACCESS_ENTRY_QUOTA = 3000;
    private static final List<String> MODES =
            List.of(ClusterState.CONFIG_MAP, ClusterState.API_AND_CONFIG_MAP, ClusterState.API);
    private static final List<String> RESERVED_USERNAME_PREFIXES = List.of("system:", "eks:", "aws:", "amazon:", "iam:");
    private static final String SESSION_NAME = "{{SessionName}}";
    /** An IAM user or role ARN: partition, account, kind, path (with its slashes), name. */
    private static final Pattern IAM_PRINCIPAL = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):(user|role)(/(?:[\\x21-\\x2E\\x30-\\x7E]+/)*)([\\w+=,.@-]{1,64})");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:(aws|aws-cn|aws-us-gov):eks::aws:cluster-access-policy/(.+)");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?\\*?|[a-z0-9][-a-z0-9]*\\*");

    private final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private final Deque<RuntimeException> nextFailures = new ArrayDeque<>();
    private final Map<String, RuntimeException> failuresByOperation = new HashMap<>();
    private final Set<String> reachableAccounts = new HashSet<>();
    private final Set<String> invisibleOnce = new HashSet<>();
    /** Principals known to exist, as "partition:account:kind:name" to their path, to refuse a path-stripped ARN. */
    private final Map<String, String> knownPrincipalPaths = new HashMap<>();
    /** Every call, as "operation principal", for assertions such as "no AWS call was made". */
    public final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<ActingFor> actedFor = new ArrayList<>();
    private volatile java.util.function.Consumer<String> onCall = call -> { };

    public FakeEks(String homeAccount) {
        reachableAccounts.add(homeAccount);
    }

    /** Adds a cluster; returns it for further set-up. */
    public synchronized Cluster cluster(ClusterRef ref, String status, String authenticationMode) {
        Cluster cluster = new Cluster(status, authenticationMode);
        clusters.put(ref.arn(), cluster);
        return cluster;
    }

    public synchronized Cluster cluster(ClusterRef ref) {
        return clusters.get(ref.arn());
    }

    /** The next DescribeAccessEntry of {@code principalArn} says "none": as if it was created concurrently. */
    public synchronized void hideOnce(String principalArn) {
        invisibleOnce.add(principalArn);
    }

    /** Runs {@code hook} on every call, outside the fake's lock (for concurrency tests). */
    public void onCall(java.util.function.Consumer<String> hook) {
        this.onCall = hook;
    }

    /** Declares that an IAM principal exists: EKS then refuses its ARN with another path or none ("invalid principal"). */
    public synchronized void registerIamPrincipal(String arn) {
        Matcher principal = principal(arn);
        knownPrincipalPaths.put(identity(principal), principal.group(4));
    }

    public void allowAccount(String account) {
        reachableAccounts.add(account);
    }

    /** The next call of {@code operation} (e.g. {@code associateAccessPolicy}) fails with {@code failure}. */
    public synchronized void failNextCallOf(String operation, RuntimeException failure) {
        failuresByOperation.put(operation, failure);
    }

    /** The next call fails with {@code failure} (queued: one failure per call). */
    public synchronized void failNext(RuntimeException failure) {
        nextFailures.add(failure);
    }

    /** Who each {@link #forCluster} call was made for, in order. */
    public synchronized List<ActingFor> actedFor() {
        return List.copyOf(actedFor);
    }

    @Override
    public EksAccess forCluster(ClusterRef cluster, ActingFor actingFor) {
        synchronized (this) {
            actedFor.add(actingFor);
        }
        if (!reachableAccounts.contains(cluster.accountId())) {
            throw new CrossAccountNotConfiguredException("cluster " + cluster.arn() + " is in account "
                    + cluster.accountId() + " and CROSS_ACCOUNT_ROLE_NAME is not set");
        }
        return this;
    }

    @Override
    public ClusterState describeCluster(ClusterRef ref) {
        onCall.accept("describeCluster " + ref.name());
        return describeClusterLocked(ref);
    }

    private synchronized ClusterState describeClusterLocked(ClusterRef ref) {
        Cluster cluster = call("describeCluster", ref, null, Needs.CLUSTER);
        ClusterState state = new ClusterState(cluster.status, cluster.authenticationMode);
        if (cluster.activeAfterDescribes > 0 && --cluster.activeAfterDescribes == 0) {
            cluster.completeUpdate();
        }
        return state;
    }

    @Override
    public synchronized Optional<AccessEntry> describeAccessEntry(ClusterRef ref, String principalArn) {
        Cluster cluster;
        try {
            cluster = call("describeAccessEntry", ref, principalArn, Needs.READ);
        } catch (EksNotFoundException e) {
            // Like SdkEksAccess: EKS answers 404 for a missing cluster as for a missing entry.
            return Optional.empty();
        }
        if (invisibleOnce.remove(principalArn)) {
            return Optional.empty();
        }
        Entry entry = cluster.entries.get(principalArn);
        return entry == null ? Optional.empty() : Optional.of(entry.entry);
    }

    @Override
    public synchronized AccessEntry createAccessEntry(ClusterRef ref, NewAccessEntry request) {
        Cluster cluster = call("createAccessEntry", ref, request.principalArn(), Needs.CHANGE);
        Replay replay = request.clientRequestToken() == null ? null : cluster.tokens.get(request.clientRequestToken());
        if (replay != null) {
            if (!replay.request().equals(request)) {
                throw new EksInvalidParameterException("The clientRequestToken " + request.clientRequestToken()
                        + " was already used with different parameters");
            }
            return replay.entry();
        }
        Matcher principal = principal(request.principalArn());
        String knownPath = knownPrincipalPaths.get(identity(principal));
        if (knownPath != null && !knownPath.equals(principal.group(4))) {
            throw new EksInvalidParameterException("invalid principal: " + request.principalArn());
        }
        validateGroups(request.kubernetesGroups());
        if (request.username() != null) {
            validateUsername(request.username());
        }
        validateTags(request.tags());
        if (cluster.entries.containsKey(request.principalArn())) {
            throw new EksResourceInUseException("The specified access entry resource is already in use on this cluster.");
        }
        if (cluster.entries.size() >= ACCESS_ENTRY_QUOTA) {
            throw new EksLimitExceededException("Cannot create more than " + ACCESS_ENTRY_QUOTA
                    + " access entries for cluster " + ref.name());
        }
        boolean standard = request.type().equals(AccessEntry.STANDARD);
        // As EKS: a node entry gets the node group and username (the emulator pins this to AWS).
        AccessEntry entry = new AccessEntry(request.principalArn(), request.type(),
                standard ? request.kubernetesGroups() : List.of("system:nodes"), !standard
                ? "system:node:{{EC2PrivateDNSName}}" : request.username() != null ? request.username()
                : defaultUsername(principal), request.tags());
        cluster.entries.put(request.principalArn(), new Entry(entry));
        if (request.clientRequestToken() != null) {
            cluster.tokens.put(request.clientRequestToken(), new Replay(request, entry));
        }
        return entry;
    }

    @Override
    public synchronized AccessEntry updateAccessEntry(ClusterRef ref, String principalArn, List<String> groups,
                                                      String username) {
        Entry entry = entry(call("updateAccessEntry", ref, principalArn, Needs.CHANGE), principalArn);
        if (!entry.entry.isStandard()) {
            throw new EksInvalidParameterException(
                    "kubernetesGroups and username can only be set on STANDARD access entries");
        }
        validateGroups(groups);
        if (username != null) {
            validateUsername(username);
        }
        entry.entry = new AccessEntry(principalArn, entry.entry.type(), groups,
                username != null ? username : entry.entry.username(), entry.entry.tags());
        return entry.entry;
    }

    @Override
    public synchronized void deleteAccessEntry(ClusterRef ref, String principalArn) {
        Cluster cluster = call("deleteAccessEntry", ref, principalArn, Needs.CHANGE);
        entry(cluster, principalArn);
        cluster.entries.remove(principalArn);
    }

    @Override
    public synchronized void associateAccessPolicy(ClusterRef ref, String principalArn, String policyArn,
                                                   AccessScope scope) {
        Entry entry = entry(call("associateAccessPolicy", ref, principalArn, Needs.CHANGE), principalArn);
        requireKnownPolicy(policyArn);
        if (!entry.entry.isStandard()) {
            throw new EksInvalidParameterException("access policies can only be associated with STANDARD entries");
        }
        entry.policies.put(policyArn, validScope(scope));
    }

    @Override
    public synchronized void disassociateAccessPolicy(ClusterRef ref, String principalArn, String policyArn) {
        Entry entry = entry(call("disassociateAccessPolicy", ref, principalArn, Needs.CHANGE), principalArn);
        if (entry.policies.remove(policyArn) == null) {
            throw new EksNotFoundException("policy " + policyArn + " is not associated");
        }
    }

    @Override
    public synchronized List<AssociatedPolicy> listAssociatedAccessPolicies(ClusterRef ref, String principalArn) {
        Entry entry = entry(call("listAssociatedAccessPolicies", ref, principalArn, Needs.READ), principalArn);
        return entry.policies.entrySet().stream().map(e -> new AssociatedPolicy(e.getKey(), e.getValue())).toList();
    }

    @Override
    public synchronized List<String> listAccessEntries(ClusterRef ref, String associatedPolicyArn) {
        Cluster cluster = call("listAccessEntries", ref, associatedPolicyArn, Needs.READ);
        if (associatedPolicyArn != null) {
            requireKnownPolicy(associatedPolicyArn);
        }
        return cluster.entries.entrySet().stream()
                .filter(e -> associatedPolicyArn == null || e.getValue().policies.containsKey(associatedPolicyArn))
                .map(Map.Entry::getKey).toList();
    }

    @Override
    public synchronized void updateAuthenticationMode(ClusterRef ref, String mode) {
        Cluster cluster = call("updateAuthenticationMode", ref, mode, Needs.CLUSTER);
        if (!cluster.status.equals(ClusterState.ACTIVE)) {
            throw new EksResourceInUseException("Cluster " + ref.name() + " is in " + cluster.status + " state");
        }
        if (!MODES.contains(mode)) {
            throw new EksInvalidParameterException("authenticationMode must be one of " + MODES);
        }
        if (MODES.indexOf(mode) != MODES.indexOf(cluster.authenticationMode) + 1) {
            // One step forwards only; the same mode again is refused too.
            throw new EksInvalidParameterException("Unsupported authentication mode update from "
                    + cluster.authenticationMode + " to " + mode);
        }
        // The mode changes when the update completes, as DescribeCluster shows it.
        cluster.pendingAuthenticationMode = mode;
        cluster.status = ClusterState.UPDATING;
        cluster.activeAfterDescribes = 1;
    }

    /** What a call needs of the cluster: to exist; or access entries and a status that allows reading or changing them. */
    private enum Needs { CLUSTER, READ, CHANGE }

    private Cluster call(String operation, ClusterRef ref, String subject, Needs needs) {
        calls.add(operation + (subject == null ? "" : " " + subject));
        if (!nextFailures.isEmpty()) {
            throw nextFailures.poll();
        }
        RuntimeException failure = failuresByOperation.remove(operation);
        if (failure != null) {
            throw failure;
        }
        Cluster cluster = clusters.get(ref.arn());
        if (cluster == null) {
            throw new EksNotFoundException("No cluster found for name: " + ref.name() + ".");
        }
        if (needs == Needs.CLUSTER) {
            return cluster;
        }
        boolean readable = cluster.status.equals(ClusterState.ACTIVE) || cluster.status.equals(ClusterState.UPDATING);
        if (needs == Needs.CHANGE ? !cluster.status.equals(ClusterState.ACTIVE) : !readable) {
            throw new EksInvalidRequestException("Cluster " + ref.name() + " is in " + cluster.status
                    + " state; access entries can be changed only on an ACTIVE cluster");
        }
        if (cluster.authenticationMode.equals(ClusterState.CONFIG_MAP)) {
            throw new EksInvalidRequestException(
                    "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.");
        }
        return cluster;
    }

    private static Entry entry(Cluster cluster, String principalArn) {
        Entry entry = cluster.entries.get(principalArn);
        if (entry == null) {
            throw new EksNotFoundException("The specified principalArn could not be found.");
        }
        return entry;
    }

    /** Parses an IAM user or role ARN; STS sessions, root, service-linked roles and the rest are refused. */
    private static Matcher principal(String arn) {
        Matcher principal = IAM_PRINCIPAL.matcher(arn);
        if (!principal.matches()) {
            throw new EksInvalidParameterException("principalArn parameter format is not valid");
        }
        if (principal.group(3).equals("role") && principal.group(4).startsWith("/aws-service-role/")) {
            throw new EksInvalidParameterException("The principalArn " + arn + " is a service-linked role, which can't"
                    + " be used as an access entry principal");
        }
        return principal;
    }

    /** Partition, account, kind and name: the same for a role ARN with and without its path. */
    private static String identity(Matcher principal) {
        return principal.group(1) + ":" + principal.group(2) + ":" + principal.group(3) + ":" + principal.group(5);
    }

    /** The username EKS gives a STANDARD entry: the user ARN, or the role's session template without its path. */
    private static String defaultUsername(Matcher principal) {
        return principal.group(3).equals("user") ? principal.group()
                : "arn:" + principal.group(1) + ":sts::" + principal.group(2) + ":assumed-role/" + principal.group(5)
                        + "/" + SESSION_NAME;
    }

    private static void validateGroups(List<String> groups) {
        for (String group : groups) {
            if (group.isBlank() || group.startsWith("system:")) {
                throw new EksInvalidParameterException("kubernetesGroups can't be empty or start with system: (" + group + ")");
            }
        }
    }

    private static void validateUsername(String username) {
        String lower = username.toLowerCase(Locale.ROOT);
        if (username.isBlank() || RESERVED_USERNAME_PREFIXES.stream().anyMatch(lower::startsWith)) {
            throw new EksInvalidParameterException("username can't be empty or start with " + RESERVED_USERNAME_PREFIXES);
        }
        int session = username.indexOf(SESSION_NAME);
        if (session >= 0 && username.substring(0, session).indexOf(':') < 0) {
            throw new EksInvalidParameterException("username must have a colon before " + SESSION_NAME);
        }
    }

    private static void validateTags(Map<String, String> tags) {
        if (tags.size() > 50) {
            throw new EksInvalidParameterException("An access entry can have at most 50 tags");
        }
        tags.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 128 || value.length() > 256
                    || key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw new EksInvalidParameterException("Tag keys need 1-128 characters, not starting with aws:, and"
                        + " values at most 256: " + key);
            }
        });
    }

    /** EKS has no custom access policies: only those ListAccessPolicies names (the emulator's catalog). */
    private static void requireKnownPolicy(String policyArn) {
        Matcher policy = POLICY_ARN.matcher(policyArn);
        if (!policy.matches() || !AccessPolicyCatalog.NAMES.contains(policy.group(2))) {
            throw new EksInvalidParameterException("The policyArn " + policyArn + " is not a valid access policy");
        }
    }

    /** A namespace scope needs valid namespace names; a cluster scope carries none (SdkEksAccess sends none). */
    private static AccessScope validScope(AccessScope scope) {
        if (scope.type() == AccessScope.Type.CLUSTER) {
            return AccessScope.cluster();
        }
        if (scope.namespaces().isEmpty()) {
            throw new EksInvalidParameterException("An accessScope of type namespace needs at least one namespace");
        }
        for (String namespace : scope.namespaces()) {
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw new EksInvalidParameterException("Namespace " + namespace + " is not a valid namespace name");
            }
        }
        return scope;
    }

    /** One cluster's state. */
    public static final class Cluster {
        public String status;
        public String authenticationMode;
        /** The mode an UpdateClusterConfig in progress switches to; null when none runs. */
        public String pendingAuthenticationMode;
        /** When positive, the cluster turns ACTIVE after this many more DescribeCluster calls. */
        public int activeAfterDescribes;
        final Map<String, Entry> entries = new LinkedHashMap<>();
        final Map<String, Replay> tokens = new HashMap<>();

        Cluster(String status, String authenticationMode) {
            this.status = status;
            this.authenticationMode = authenticationMode;
        }

        /** Ends the running update now: the cluster is ACTIVE, in the new mode when it was a mode switch. */
        public void completeUpdate() {
            if (pendingAuthenticationMode != null) {
                authenticationMode = pendingAuthenticationMode;
                pendingAuthenticationMode = null;
            }
            status = ClusterState.ACTIVE;
            activeAfterDescribes = 0;
        }

        /**
         * Adds an entry as something other than this system would have (no managed-by tag unless given), with the
         * username and groups EKS gives its type.
         */
        public Cluster withEntry(String principalArn, String type, Map<String, String> tags, String... policyArns) {
            boolean standard = type.equals(AccessEntry.STANDARD);
            String username = standard ? defaultUsername(principal(principalArn))
                    : type.equals("FARGATE_LINUX") || type.equals("HYBRID_LINUX") ? "system:node:" + SESSION_NAME
                    : "system:node:{{EC2PrivateDNSName}}";
            Entry entry = new Entry(new AccessEntry(principalArn, type, standard ? List.of() : List.of("system:nodes"),
                    username, tags));
            for (String policyArn : policyArns) {
                entry.policies.put(policyArn, AccessScope.cluster());
            }
            entries.put(principalArn, entry);
            return this;
        }

        public Optional<AccessEntry> entry(String principalArn) {
            Entry entry = entries.get(principalArn);
            return entry == null ? Optional.empty() : Optional.of(entry.entry);
        }

        public Map<String, AccessScope> policies(String principalArn) {
            Entry entry = entries.get(principalArn);
            return entry == null ? Map.of() : Map.copyOf(entry.policies);
        }

        public List<String> principals() {
            return new ArrayList<>(entries.keySet());
        }
    }

    /** What a create with a client request token answered, to answer its retry the same way. */
    private record Replay(NewAccessEntry request, AccessEntry entry) {
    }

    static final class Entry {
        AccessEntry entry;
        final Map<String, AccessScope> policies = new LinkedHashMap<>();

        Entry(AccessEntry entry) {
            this.entry = entry;
        }
    }
}
