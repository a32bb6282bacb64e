package dev.eksaccess.emulator.eks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.emulator.eks.AccessEntrySnapshot;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSnapshot;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.ClusterStatus;
import dev.eksaccess.emulator.eks.ClusterUpdateSnapshot;
import dev.eksaccess.emulator.eks.PolicyAssociation;
import dev.eksaccess.emulator.eks.internal.ClusterState.Association;
import dev.eksaccess.emulator.eks.internal.ClusterState.Entry;
import dev.eksaccess.emulator.eks.internal.ClusterState.Update;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The emulated EKS control plane: clusters, access entries, policy associations and access-config updates,
 * with the validation and state rules EKS applies. Every public method takes the one lock, so concurrent
 * callers see EKS-like atomic operations. Status changes (CREATING → ACTIVE, UPDATING → ACTIVE) happen
 * lazily when a call looks at a cluster, against the injected clock.
 */
public final class EksService {

    /** EKS's access-entry quota per cluster (not adjustable at AWS). */
    public static final int ACCESS_ENTRY_QUOTA = 3000;

    static final String STANDARD = "STANDARD";
    private static final Set<String> TYPES =
            Set.of(STANDARD, "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX", "EC2", "HYPERPOD_LINUX");
    private static final List<String> RESERVED_USERNAME_PREFIXES = List.of("system:", "eks:", "aws:", "amazon:", "iam:");
    private static final String SESSION_NAME = "{{SessionName}}";

    private final InstantSource clock;
    private final Duration defaultActivationDelay;
    private final Duration defaultUpdateDelay;
    private final int accessEntryQuota;
    private final Random random;
    private final TreeMap<String, ClusterState> clusters = new TreeMap<>();
    /** IAM principals known to exist, to refuse a role ARN that names a known role with another path. */
    private final Set<Principal> knownPrincipals = new HashSet<>();

    public EksService(InstantSource clock, Duration defaultActivationDelay, Duration defaultUpdateDelay,
                      int accessEntryQuota, Random random) {
        this.clock = clock;
        this.defaultActivationDelay = defaultActivationDelay;
        this.defaultUpdateDelay = defaultUpdateDelay;
        this.accessEntryQuota = accessEntryQuota;
        this.random = random;
    }

    // ---------------------------------------------------------------- control API (Java, not HTTP)

    public synchronized ClusterSnapshot createCluster(ClusterSpec spec) {
        if (clusters.containsKey(spec.name())) {
            throw new IllegalArgumentException("cluster already exists: " + spec.name());
        }
        Instant now = clock.instant();
        ClusterState cluster = new ClusterState(spec, spec.createdAt() != null ? spec.createdAt() : now,
                spec.activationDelay() == null ? defaultActivationDelay : spec.activationDelay(),
                spec.updateDelay() == null ? defaultUpdateDelay : spec.updateDelay());
        if (spec.creatorPrincipalArn() != null) {
            try {
                knownPrincipals.add(Principal.parse(spec.creatorPrincipalArn()));
            } catch (ApiError e) {
                throw new IllegalArgumentException("creatorPrincipalArn must be an IAM user or role ARN: "
                        + spec.creatorPrincipalArn(), e);
            }
        }
        clusters.put(spec.name(), cluster);
        bootstrapCreator(cluster, now);
        return snapshot(cluster);
    }

    public synchronized void deleteCluster(String name) {
        if (clusters.remove(name) == null) {
            throw new NoSuchElementException("no cluster " + name);
        }
    }

    public synchronized ClusterSnapshot snapshot(String name) {
        return snapshot(controlCluster(name));
    }

    /** The account that owns the cluster, if it exists. */
    public synchronized Optional<String> accountOf(String name) {
        return Optional.ofNullable(clusters.get(name)).map(cluster -> cluster.spec.accountId());
    }

    /** The cluster's region, if it exists. */
    public synchronized Optional<String> regionOf(String name) {
        return Optional.ofNullable(clusters.get(name)).map(cluster -> cluster.spec.region());
    }

    public synchronized List<ClusterSnapshot> snapshots() {
        Instant now = clock.instant();
        clusters.values().forEach(cluster -> refresh(cluster, now));
        return clusters.values().stream().map(this::snapshot).toList();
    }

    /** Forces a status; the cluster no longer turns ACTIVE by itself unless {@code status} is CREATING again. */
    public synchronized void setStatus(String name, ClusterStatus status) {
        ClusterState cluster = controlCluster(name);
        cluster.status = status;
        cluster.activatesAt = null;
        cluster.statusForced = status != ClusterStatus.ACTIVE;
    }

    /** Finishes the running updates and a pending activation now, whatever their delays. */
    public synchronized void completePendingChanges(String name) {
        ClusterState cluster = controlCluster(name);
        Instant now = clock.instant();
        if (cluster.activatesAt != null) {
            cluster.activatesAt = now;
        }
        cluster.updates.stream().filter(u -> u.status.equals(Update.IN_PROGRESS)).forEach(u -> u.completesAt = now);
        refresh(cluster, now);
    }

    /** Forces the mode, bypassing the one-way rule: for setting up a scenario, not for emulating a call. */
    public synchronized void setAuthenticationMode(String name, AuthenticationMode mode) {
        ClusterState cluster = controlCluster(name);
        cluster.mode = mode;
    }

    /** Makes a principal known to exist, so that its ARN with another (or no) path is refused. */
    public synchronized void registerIamPrincipal(String arn) {
        knownPrincipals.add(Principal.parse(arn));
    }

    /**
     * Adds a STANDARD entry as CreateAccessEntry would, validation included, but regardless of the cluster's
     * status and mode: for preparing existing state quickly (the quota, for example).
     */
    public synchronized void seedAccessEntry(String name, String principalArn, List<String> groups) {
        ClusterState cluster = controlCluster(name);
        ObjectNode request = Json.object().put("principalArn", principalArn);
        request.set("kubernetesGroups", Json.strings(groups));
        createEntry(cluster, request, clock.instant());
    }

    /** Associates a policy as AssociateAccessPolicy would, regardless of the cluster's status and mode. */
    public synchronized void seedPolicyAssociation(String name, String principalArn, String policyArn, AccessScope scope) {
        ClusterState cluster = controlCluster(name);
        associate(cluster, entry(cluster, principalArn), policyArn, scope, clock.instant());
    }

    private ClusterState controlCluster(String name) {
        ClusterState cluster = clusters.get(name);
        if (cluster == null) {
            throw new NoSuchElementException("no cluster " + name);
        }
        refresh(cluster, clock.instant());
        return cluster;
    }

    // ---------------------------------------------------------------- clusters

    /** What DescribeCluster reports of a cluster's Kubernetes API, once a test started one. */
    public record ApiEndpoint(String endpoint, String certificateAuthorityData, boolean publicAccess) {
    }

    private final Map<String, ApiEndpoint> apiEndpoints = new HashMap<>();

    public synchronized void setApiEndpoint(String name, ApiEndpoint endpoint) {
        cluster(name);
        apiEndpoints.put(name, endpoint);
    }

    public synchronized ObjectNode describeCluster(String name) {
        ClusterState cluster = cluster(name);
        ObjectNode out = Json.object();
        ObjectNode c = out.putObject("cluster");
        c.put("name", cluster.spec.name());
        c.put("arn", cluster.arn);
        c.put("createdAt", Json.timestamp(cluster.createdAt));
        c.put("version", cluster.spec.version());
        c.put("status", cluster.status.name());
        c.put("platformVersion", "eks.1");
        c.set("tags", Json.stringMap(cluster.spec.tags()));
        ObjectNode access = c.putObject("accessConfig");
        access.put("bootstrapClusterCreatorAdminPermissions", cluster.spec.bootstrapClusterCreatorAdminPermissions());
        access.put("authenticationMode", cluster.mode.name());
        ApiEndpoint api = apiEndpoints.get(name);
        if (api != null) {
            c.put("endpoint", api.endpoint());
            c.putObject("certificateAuthority").put("data", api.certificateAuthorityData());
            c.putObject("resourcesVpcConfig").put("endpointPublicAccess", api.publicAccess())
                    .put("endpointPrivateAccess", true);
        }
        return out;
    }

    /**
     * ListClusters: with a caller's account, the clusters of that account in {@code region}, as EKS answers per
     * account and region; without one, every cluster.
     */
    public synchronized ObjectNode listClusters(Integer maxResults, String nextToken, Optional<String> callerAccount,
                                                String region) {
        List<String> names = clusters.entrySet().stream()
                .filter(e -> callerAccount.isEmpty() || (e.getValue().spec.accountId().equals(callerAccount.get())
                        && e.getValue().spec.region().equals(region)))
                .map(Map.Entry::getKey).toList();
        Pages.Page<String> page = Pages.of(names, n -> n, maxResults, nextToken);
        ObjectNode out = Json.object();
        out.set("clusters", Json.strings(page.items()));
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    public synchronized ObjectNode updateClusterConfig(String name, JsonNode body) {
        ClusterState cluster = cluster(name);
        Optional<String> token = Json.optionalString(body, "clientRequestToken");
        if (token.isPresent() && cluster.updateTokens.containsKey(token.get())) {
            return updateJson(cluster.updateTokens.get(token.get()));
        }
        JsonNode accessConfig = body.get("accessConfig");
        Set<String> others = new HashSet<>();
        body.fieldNames().forEachRemaining(others::add);
        others.removeAll(Set.of("accessConfig", "clientRequestToken"));
        if (!others.isEmpty()) {
            throw ApiError.invalidParameter("The emulator supports only accessConfig updates, not " + others);
        }
        if (accessConfig == null || !accessConfig.isObject()) {
            throw ApiError.invalidParameter("accessConfig is required");
        }
        AuthenticationMode target = parseMode(Json.requiredString(accessConfig, "authenticationMode"));
        if (cluster.hasUpdateInProgress()) {
            throw ApiError.inUse("Cluster " + name + " has an update in progress");
        }
        if (cluster.status != ClusterStatus.ACTIVE) {
            throw ApiError.inUse("Cluster " + name + " is in " + cluster.status + " state");
        }
        if (target == cluster.mode) {
            throw ApiError.invalidParameter("Unsupported authentication mode update from " + cluster.mode + " to "
                    + target + ": the cluster already uses " + target);
        }
        if (!cluster.mode.canSwitchTo(target)) {
            throw ApiError.invalidParameter("Unsupported authentication mode update from " + cluster.mode + " to "
                    + target);
        }
        Instant now = clock.instant();
        Update update = new Update(newId(), target, now, now.plus(cluster.updateDelay));
        cluster.updates.add(update);
        token.ifPresent(t -> cluster.updateTokens.put(t, update));
        cluster.status = ClusterStatus.UPDATING;
        cluster.statusForced = false;
        ObjectNode out = updateJson(update);
        refresh(cluster, now);
        return out;
    }

    public synchronized ObjectNode describeUpdate(String name, String updateId) {
        ClusterState cluster = cluster(name);
        return cluster.updates.stream().filter(u -> u.id.equals(updateId)).findFirst()
                .map(this::updateJson)
                .orElseThrow(() -> ApiError.notFound("No update found for ID: " + updateId));
    }

    // ---------------------------------------------------------------- access entries

    public synchronized ObjectNode createAccessEntry(String name, JsonNode body) {
        ClusterState cluster = usableCluster(name, true);
        Optional<String> token = Json.optionalString(body, "clientRequestToken");
        if (token.isPresent()) {
            ClusterState.Replay replay = cluster.createTokens.get(token.get());
            if (replay != null) {
                if (!replay.request().equals(body)) {
                    throw ApiError.invalidParameter("The clientRequestToken " + token.get()
                            + " was already used with different parameters");
                }
                return replay.response().deepCopy();
            }
        }
        Entry entry = createEntry(cluster, body, clock.instant());
        ObjectNode out = Json.object();
        out.set("accessEntry", entryJson(cluster, entry));
        token.ifPresent(t -> cluster.createTokens.put(t, new ClusterState.Replay(body.deepCopy(), out.deepCopy())));
        return out;
    }

    public synchronized ObjectNode describeAccessEntry(String name, String principalArn) {
        ClusterState cluster = usableCluster(name, false);
        ObjectNode out = Json.object();
        out.set("accessEntry", entryJson(cluster, entry(cluster, principalArn)));
        return out;
    }

    public synchronized ObjectNode listAccessEntries(String name, String associatedPolicyArn, Integer maxResults,
                                                     String nextToken) {
        ClusterState cluster = usableCluster(name, false);
        if (associatedPolicyArn != null) {
            AccessPolicyCatalog.requireKnown(associatedPolicyArn);
        }
        List<String> principals = cluster.entries.values().stream()
                .filter(e -> associatedPolicyArn == null || e.policies.containsKey(associatedPolicyArn))
                .map(e -> e.principalArn)
                .toList();
        Pages.Page<String> page = Pages.of(principals, p -> p, maxResults, nextToken);
        ObjectNode out = Json.object();
        out.set("accessEntries", Json.strings(page.items()));
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    public synchronized ObjectNode updateAccessEntry(String name, String principalArn, JsonNode body) {
        ClusterState cluster = usableCluster(name, true);
        Entry entry = entry(cluster, principalArn);
        Optional<List<String>> groups = Json.optionalStringList(body, "kubernetesGroups");
        Optional<String> username = Json.optionalString(body, "username");
        if (!entry.type.equals(STANDARD) && (groups.isPresent() || username.isPresent())) {
            throw ApiError.invalidParameter("kubernetesGroups and username can only be set on STANDARD access entries");
        }
        groups.ifPresent(EksService::validateGroups);
        username.ifPresent(EksService::validateUsername);
        groups.ifPresent(g -> entry.groups = List.copyOf(g));
        username.ifPresent(u -> entry.username = u);
        entry.modifiedAt = clock.instant();
        ObjectNode out = Json.object();
        out.set("accessEntry", entryJson(cluster, entry));
        return out;
    }

    public synchronized ObjectNode deleteAccessEntry(String name, String principalArn) {
        ClusterState cluster = usableCluster(name, true);
        entry(cluster, principalArn);
        cluster.entries.remove(principalArn);
        return Json.object();
    }

    // ---------------------------------------------------------------- access policies

    public synchronized ObjectNode associateAccessPolicy(String name, String principalArn, JsonNode body) {
        ClusterState cluster = usableCluster(name, true);
        Entry entry = entry(cluster, principalArn);
        String policyArn = Json.requiredString(body, "policyArn");
        JsonNode scopeNode = body.get("accessScope");
        if (scopeNode == null || !scopeNode.isObject()) {
            throw ApiError.invalidParameter("accessScope is required");
        }
        AccessScope scope = new AccessScope(Json.requiredString(scopeNode, "type"),
                Json.optionalStringList(scopeNode, "namespaces").orElse(List.of()));
        Association association = associate(cluster, entry, policyArn, scope, clock.instant());
        ObjectNode out = Json.object();
        out.put("clusterName", cluster.spec.name());
        out.put("principalArn", entry.principalArn);
        out.set("associatedAccessPolicy", associationJson(association));
        return out;
    }

    public synchronized ObjectNode disassociateAccessPolicy(String name, String principalArn, String policyArn) {
        ClusterState cluster = usableCluster(name, true);
        Entry entry = entry(cluster, principalArn);
        if (entry.policies.remove(policyArn) == null) {
            throw ApiError.notFound("The access policy " + policyArn + " is not associated with the access entry "
                    + principalArn);
        }
        return Json.object();
    }

    public synchronized ObjectNode listAssociatedAccessPolicies(String name, String principalArn, Integer maxResults,
                                                                String nextToken) {
        ClusterState cluster = usableCluster(name, false);
        Entry entry = entry(cluster, principalArn);
        Pages.Page<Association> page = Pages.of(List.copyOf(entry.policies.values()), a -> a.policyArn, maxResults,
                nextToken);
        ObjectNode out = Json.object();
        out.put("clusterName", cluster.spec.name());
        out.put("principalArn", entry.principalArn);
        ArrayNode list = out.putArray("associatedAccessPolicies");
        page.items().forEach(a -> list.add(associationJson(a)));
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    public synchronized ObjectNode listAccessPolicies(Integer maxResults, String nextToken) {
        Pages.Page<String> page = Pages.of(AccessPolicyCatalog.NAMES, n -> n, maxResults, nextToken);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("accessPolicies");
        page.items().forEach(n -> list.addObject().put("name", n).put("arn", AccessPolicyCatalog.ARN_PREFIX + n));
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    // ---------------------------------------------------------------- rules

    private ClusterState cluster(String name) {
        ClusterState cluster = clusters.get(name);
        if (cluster == null) {
            throw ApiError.notFound("No cluster found for name: " + name + ".");
        }
        refresh(cluster, clock.instant());
        return cluster;
    }

    /**
     * A cluster on which access-entry calls are allowed: not in CONFIG_MAP mode, and ACTIVE for changes
     * (reads are also allowed while an update runs).
     */
    private ClusterState usableCluster(String name, boolean change) {
        ClusterState cluster = cluster(name);
        boolean readable = cluster.status == ClusterStatus.ACTIVE || cluster.status == ClusterStatus.UPDATING;
        if (change ? cluster.status != ClusterStatus.ACTIVE : !readable) {
            throw ApiError.invalidRequest("Cluster " + name + " is in " + cluster.status
                    + " state; access entries can be changed only on an ACTIVE cluster");
        }
        if (cluster.mode == AuthenticationMode.CONFIG_MAP) {
            throw ApiError.invalidRequest("The cluster's authentication mode must be set to one of "
                    + "[API, API_AND_CONFIG_MAP] to perform this operation.");
        }
        return cluster;
    }

    private Entry entry(ClusterState cluster, String principalArn) {
        Entry entry = cluster.entries.get(principalArn);
        if (entry == null) {
            throw ApiError.notFound("The specified principalArn " + principalArn
                    + " could not be found. You can view your available access entries with 'list-access-entries'.");
        }
        return entry;
    }

    /** Moves a cluster along in time: CREATING → ACTIVE, finished updates applied, UPDATING → ACTIVE. */
    private void refresh(ClusterState cluster, Instant now) {
        if (cluster.status == ClusterStatus.CREATING && cluster.activatesAt != null
                && !now.isBefore(cluster.activatesAt)) {
            cluster.status = ClusterStatus.ACTIVE;
            cluster.activatesAt = null;
        }
        for (Update update : cluster.updates) {
            if (update.status.equals(Update.IN_PROGRESS) && !now.isBefore(update.completesAt)) {
                AuthenticationMode before = cluster.mode;
                cluster.mode = update.target;
                update.status = Update.SUCCESSFUL;
                if (before == AuthenticationMode.CONFIG_MAP && cluster.spec.creatorEntryOnLeavingConfigMap()) {
                    bootstrapCreator(cluster, update.completesAt);
                }
            }
        }
        if (cluster.status == ClusterStatus.UPDATING && !cluster.statusForced && !cluster.hasUpdateInProgress()) {
            cluster.status = ClusterStatus.ACTIVE;
        }
    }

    /**
     * The creator's cluster-admin entry EKS makes when {@code bootstrapClusterCreatorAdminPermissions} is set,
     * as soon as the mode allows entries. Whether it also appears when a CONFIG_MAP cluster moves to access
     * entries is not documented; {@link ClusterSpec#creatorEntryOnLeavingConfigMap()} chooses.
     */
    private void bootstrapCreator(ClusterState cluster, Instant at) {
        String creator = cluster.spec.creatorPrincipalArn();
        if (!cluster.spec.bootstrapClusterCreatorAdminPermissions() || creator == null
                || cluster.mode == AuthenticationMode.CONFIG_MAP || cluster.entries.containsKey(creator)) {
            return;
        }
        Principal principal = Principal.parse(creator);
        Entry entry = new Entry(creator, STANDARD, entryArn(cluster, principal), at,
                principal.defaultStandardUsername(), List.of(), Map.of());
        cluster.entries.put(creator, entry);
        entry.policies.put(AccessPolicyCatalog.CLUSTER_ADMIN,
                new Association(AccessPolicyCatalog.CLUSTER_ADMIN, AccessScope.cluster(), at));
    }

    private Entry createEntry(ClusterState cluster, JsonNode body, Instant now) {
        String principalArn = Json.requiredString(body, "principalArn");
        Principal principal = Principal.parse(principalArn);
        for (Principal known : knownPrincipals) {
            if (known.sameIdentityAs(principal) && !known.path().equals(principal.path())) {
                throw ApiError.invalidParameter("invalid principal: " + principalArn);
            }
        }
        String type = Json.optionalString(body, "type").orElse(STANDARD);
        if (!TYPES.contains(type)) {
            throw ApiError.invalidParameter("type must be one of " + TYPES.stream().sorted().toList());
        }
        Optional<List<String>> groups = Json.optionalStringList(body, "kubernetesGroups");
        Optional<String> username = Json.optionalString(body, "username");
        Map<String, String> tags = Json.optionalStringMap(body, "tags").orElse(Map.of());
        validateTags(tags);
        String effectiveUsername;
        List<String> effectiveGroups;
        if (type.equals(STANDARD)) {
            groups.ifPresent(EksService::validateGroups);
            username.ifPresent(EksService::validateUsername);
            effectiveUsername = username.orElse(principal.defaultStandardUsername());
            effectiveGroups = groups.orElse(List.of());
        } else {
            if (groups.filter(g -> !g.isEmpty()).isPresent() || username.isPresent()) {
                throw ApiError.invalidParameter("kubernetesGroups and username can only be set on STANDARD access entries");
            }
            if (!principal.isRole()) {
                throw ApiError.invalidParameter("An access entry of type " + type + " needs an IAM role principal");
            }
            effectiveUsername = type.equals("FARGATE_LINUX") || type.equals("HYBRID_LINUX")
                    ? "system:node:{{SessionName}}"
                    : "system:node:{{EC2PrivateDNSName}}";
            effectiveGroups = List.of("system:nodes");
        }
        if (cluster.entries.containsKey(principalArn)) {
            throw ApiError.inUse("The specified access entry resource is already in use on this cluster.");
        }
        if (cluster.entries.size() >= accessEntryQuota) {
            throw ApiError.limitExceeded("Cannot create more than " + accessEntryQuota
                    + " access entries for cluster " + cluster.spec.name());
        }
        Entry entry = new Entry(principalArn, type, entryArn(cluster, principal), now, effectiveUsername,
                effectiveGroups, tags);
        cluster.entries.put(principalArn, entry);
        return entry;
    }

    private Association associate(ClusterState cluster, Entry entry, String policyArn, AccessScope scope, Instant now) {
        AccessPolicyCatalog.requireKnown(policyArn);
        if (!entry.type.equals(STANDARD)) {
            throw ApiError.invalidParameter("Access policies can only be associated with STANDARD access entries");
        }
        validateScope(scope);
        Association existing = entry.policies.get(policyArn);
        if (existing != null) {
            existing.scope = scope;
            existing.modifiedAt = now;
            return existing;
        }
        Association association = new Association(policyArn, scope, now);
        entry.policies.put(policyArn, association);
        return association;
    }

    private static void validateScope(AccessScope scope) {
        switch (scope.type()) {
            case AccessScope.CLUSTER -> {
                if (!scope.namespaces().isEmpty()) {
                    throw ApiError.invalidParameter("namespaces can't be given for an accessScope of type cluster");
                }
            }
            case AccessScope.NAMESPACE -> {
                if (scope.namespaces().isEmpty()) {
                    throw ApiError.invalidParameter("An accessScope of type namespace needs at least one namespace");
                }
                for (String ns : scope.namespaces()) {
                    if (!ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?\\*?|[a-z0-9][-a-z0-9]*\\*")) {
                        throw ApiError.invalidParameter("Namespace " + ns + " is not a valid namespace name");
                    }
                }
            }
            default -> throw ApiError.invalidParameter("accessScope type must be cluster or namespace, not "
                    + scope.type());
        }
    }

    private static void validateGroups(List<String> groups) {
        for (String group : groups) {
            if (group.isBlank()) {
                throw ApiError.invalidParameter("kubernetesGroups can't contain an empty group");
            }
            if (group.startsWith("system:")) {
                throw ApiError.invalidParameter("kubernetesGroups can't start with system: (" + group + ")");
            }
        }
    }

    private static void validateUsername(String username) {
        if (username.isBlank()) {
            throw ApiError.invalidParameter("username can't be empty");
        }
        String lower = username.toLowerCase(Locale.ROOT);
        for (String prefix : RESERVED_USERNAME_PREFIXES) {
            if (lower.startsWith(prefix)) {
                throw ApiError.invalidParameter("username can't start with " + prefix);
            }
        }
        int session = username.indexOf(SESSION_NAME);
        if (session >= 0 && username.substring(0, session).indexOf(':') < 0) {
            throw ApiError.invalidParameter("username must have a colon before " + SESSION_NAME);
        }
    }

    private static void validateTags(Map<String, String> tags) {
        if (tags.size() > 50) {
            throw ApiError.invalidParameter("An access entry can have at most 50 tags");
        }
        tags.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 128 || value.length() > 256) {
                throw ApiError.invalidParameter("Tag keys need 1-128 characters and values at most 256: " + key);
            }
            if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw ApiError.invalidParameter("Tag keys can't start with aws: (" + key + ")");
            }
        });
    }

    private static AuthenticationMode parseMode(String value) {
        try {
            return AuthenticationMode.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidParameter("authenticationMode must be one of CONFIG_MAP, API_AND_CONFIG_MAP, API");
        }
    }

    private String entryArn(ClusterState cluster, Principal principal) {
        return "arn:aws:eks:" + cluster.spec.region() + ":" + cluster.spec.accountId() + ":access-entry/"
                + cluster.spec.name() + "/" + principal.kind() + "/" + principal.accountId() + "/" + principal.name()
                + "/" + newId();
    }

    /** A UUID-shaped id drawn from the seeded random source, so runs with one seed are repeatable. */
    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (bytes[i] & 0xff);
            lsb = (lsb << 8) | (bytes[i + 8] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    // ---------------------------------------------------------------- output shapes

    private ObjectNode entryJson(ClusterState cluster, Entry entry) {
        ObjectNode e = Json.object();
        e.put("clusterName", cluster.spec.name());
        e.put("principalArn", entry.principalArn);
        e.set("kubernetesGroups", Json.strings(entry.groups));
        e.put("accessEntryArn", entry.accessEntryArn);
        e.put("createdAt", Json.timestamp(entry.createdAt));
        e.put("modifiedAt", Json.timestamp(entry.modifiedAt));
        e.set("tags", Json.stringMap(entry.tags));
        e.put("username", entry.username);
        e.put("type", entry.type);
        return e;
    }

    private static ObjectNode associationJson(Association association) {
        ObjectNode a = Json.object();
        a.put("policyArn", association.policyArn);
        ObjectNode scope = a.putObject("accessScope");
        scope.put("type", association.scope.type());
        scope.set("namespaces", Json.strings(association.scope.namespaces()));
        a.put("associatedAt", Json.timestamp(association.associatedAt));
        a.put("modifiedAt", Json.timestamp(association.modifiedAt));
        return a;
    }

    private ObjectNode updateJson(Update update) {
        ObjectNode out = Json.object();
        ObjectNode u = out.putObject("update");
        u.put("id", update.id);
        u.put("status", update.status);
        u.put("type", "AccessConfigUpdate");
        u.putArray("params").addObject().put("type", "AuthenticationMode").put("value", update.target.name());
        u.put("createdAt", Json.timestamp(update.createdAt));
        u.putArray("errors");
        return out;
    }

    private ClusterSnapshot snapshot(ClusterState cluster) {
        List<AccessEntrySnapshot> entries = new ArrayList<>();
        for (Entry e : cluster.entries.values()) {
            List<PolicyAssociation> policies = e.policies.values().stream()
                    .map(a -> new PolicyAssociation(a.policyArn, a.scope, a.associatedAt, a.modifiedAt))
                    .toList();
            entries.add(new AccessEntrySnapshot(e.principalArn, e.type, e.username, e.groups, e.tags,
                    e.accessEntryArn, e.createdAt, e.modifiedAt, policies));
        }
        List<ClusterUpdateSnapshot> updates = cluster.updates.stream()
                .map(u -> new ClusterUpdateSnapshot(u.id, "AccessConfigUpdate", u.status,
                        Map.of("AuthenticationMode", u.target.name()), u.createdAt))
                .toList();
        return new ClusterSnapshot(cluster.spec.name(), cluster.arn, cluster.spec.accountId(), cluster.spec.region(),
                cluster.status, cluster.mode, cluster.spec.bootstrapClusterCreatorAdminPermissions(),
                cluster.spec.creatorPrincipalArn(), cluster.createdAt, cluster.spec.tags(), entries, updates);
    }
}
