package dev.eksaccess.reconcile;

import dev.eksaccess.authz.PrincipalIds;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.RequestIds;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.ActingFor;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.inventory.ClusterInventory;
import dev.eksaccess.inventory.Flag;
import dev.eksaccess.inventory.InventoryEntry;
import dev.eksaccess.inventory.InventoryStore;
import dev.eksaccess.inventory.Origin;
import dev.eksaccess.inventory.Snapshot;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.request.AccessRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The scheduled reconciliation (docs/drift.md, "Reconciliation and inventory"): for every registered cluster, reads
 * its access entries and their policies from EKS and compares them with the grant states; reports what differs,
 * hands time-bound grants past their end that EKS still holds back to the expiry sweep, and publishes the inventory
 * snapshot.
 *
 * <p>Clusters are read one after another, and each cluster's entries one after another (EKS publishes no rate; the
 * clients retry throttling adaptively): a run costs 1 + ⌈entries/100⌉ + 2 × entries EKS calls per cluster. A cluster
 * that cannot be read is reported and the run goes on. It changes nothing in EKS itself.
 *
 * <p>A run has a time budget: once {@code outOfTime} says so, the clusters not read yet are reported
 * {@link Finding.Kind#CLUSTER_NOT_READ} (and flagged unreadable in the snapshot, which is still published), so a fleet
 * too large for one run never loses the whole run to the function's timeout. Each run starts at another cluster of the
 * registry (an offset from its run id), so no cluster is always the one left out.
 */
public final class Reconciler {

    private final RegisteredClusters registry;
    private final ClusterGrants grants;
    private final EksAccessProvider eks;
    private final PrincipalIds principals;
    private final ExpiryRequeue expiry;
    private final InventoryStore inventory;
    private final Clock clock;

    public Reconciler(RegisteredClusters registry, ClusterGrants grants, EksAccessProvider eks, PrincipalIds principals,
                      ExpiryRequeue expiry, InventoryStore inventory, Clock clock) {
        this.registry = registry;
        this.grants = grants;
        this.eks = eks;
        this.principals = principals;
        this.expiry = expiry;
        this.inventory = inventory;
        this.clock = clock;
    }

    /**
     * Reconciles every registered cluster and publishes the snapshot.
     *
     * @param runId the run's id: the snapshot's, and the role session's name in member accounts
     * @throws RuntimeException when the registry cannot be read or the snapshot cannot be stored (nothing is published)
     */
    public Reconciliation run(String runId) {
        return run(runId, () -> false);
    }

    /**
     * Like {@link #run(String)}, within a time budget: {@code outOfTime} is asked before each cluster.
     */
    public Reconciliation run(String runId, BooleanSupplier outOfTime) {
        Instant now = clock.instant();
        Run run = new Run(runId, now);
        List<ClusterRecord> records = registry.all();
        ClusterInventory[] clusters = new ClusterInventory[records.size()];
        int start = startOf(runId, records.size());
        for (int i = 0; i < records.size(); i++) {
            int index = (start + i) % records.size();
            ClusterRecord record = records.get(index);
            if (outOfTime.getAsBoolean()) {
                String why = "not read: the run's time ran out after " + i + " of " + records.size()
                        + " cluster(s); a later run starts elsewhere";
                clusters[index] = ClusterInventory.unreadable(record.clusterArn(), why);
                run.findings.add(new Finding(Finding.Kind.CLUSTER_NOT_READ, record.clusterArn(), null, null, why));
                continue;
            }
            try {
                clusters[index] = run.cluster(record);
            } catch (RuntimeException e) {
                String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                clusters[index] = ClusterInventory.unreadable(record.clusterArn(), why);
                run.findings.add(new Finding(Finding.Kind.CLUSTER_FAILED, record.clusterArn(), null, null, why));
            }
        }
        Snapshot snapshot = new Snapshot(runId, now, List.of(clusters));
        inventory.publish(snapshot);
        return new Reconciliation(snapshot, run.findings, run.principalsUnchecked);
    }

    /** The registry index run {@code runId} starts reading at, of {@code clusters}. */
    static int startOf(String runId, int clusters) {
        return clusters == 0 ? 0 : Math.floorMod(runId.hashCode(), clusters);
    }

    /** One run's state: its findings and what IAM said of each principal, asked once per run. */
    private final class Run {

        final String runId;
        final Instant now;
        final List<Finding> findings = new ArrayList<>();
        final Map<String, Optional<Boolean>> exists = new HashMap<>();
        int principalsUnchecked;

        Run(String runId, Instant now) {
            this.runId = runId;
            this.now = now;
        }

        ClusterInventory cluster(ClusterRecord record) {
            String arn = record.clusterArn();
            ClusterRef ref = ClusterRef.parseArn(arn).orElseThrow(() ->
                    new IllegalArgumentException("the registry's key is not an EKS cluster ARN: " + arn));
            EksAccess access = eks.forCluster(ref, ActingFor.function(SessionIdentity.RECONCILIATION, runId));
            ClusterState state = access.describeCluster(ref);
            if (!state.supportsAccessEntries()) {
                return new ClusterInventory(arn, state.authenticationMode(), null, Set.of(Flag.CONFIG_MAP), List.of());
            }
            Map<String, AccessEntry> entries = new LinkedHashMap<>();
            Map<String, List<AssociatedPolicy>> policies = new HashMap<>();
            for (String principal : access.listAccessEntries(ref, null)) {
                // Deleted between the listing and this read: not there any more.
                access.describeAccessEntry(ref, principal).ifPresent(entry -> {
                    entries.put(principal, entry);
                    policies.put(principal, entry.isStandard()
                            ? access.listAssociatedAccessPolicies(ref, principal) : List.of());
                });
            }
            Map<String, Map<String, GrantState>> granted = new HashMap<>();
            for (GrantState grant : grants.ofCluster(arn)) {
                if (grant.granted() && !grant.policyArn().equals(GrantState.ALL_POLICIES)) {
                    granted.computeIfAbsent(grant.principalArn(), p -> new HashMap<>()).put(grant.policyArn(), grant);
                }
            }
            Set<String> pastEnd = compareGrants(arn, granted, policies);
            compareOwnedEntries(arn, entries, policies, granted);

            List<InventoryEntry> rows = new ArrayList<>();
            for (AccessEntry entry : entries.values()) {
                rows.add(row(arn, record.creatorPrincipalArn(), entry, policies.get(entry.principalArn()),
                        granted.getOrDefault(entry.principalArn(), Map.of()), pastEnd.contains(entry.principalArn())));
            }
            String admin = AccessRequest.policyArn(ref.partition(), AccessPolicies.CLUSTER_ADMIN);
            List<String> admins = policies.entrySet().stream()
                    .filter(e -> e.getValue().stream().anyMatch(p -> p.policyArn().equals(admin)
                            && p.scope().type() == AccessScope.Type.CLUSTER))
                    .map(Map.Entry::getKey).toList();
            Set<Flag> flags = admins.size() == 1 && admins.get(0).equals(record.creatorPrincipalArn())
                    ? Set.of(Flag.ONLY_CREATOR_ADMIN) : Set.of();
            return new ClusterInventory(arn, state.authenticationMode(), null, flags, rows);
        }

        /** Grant states against EKS; returns the principals holding a grant past its end. */
        private Set<String> compareGrants(String arn, Map<String, Map<String, GrantState>> granted,
                                          Map<String, List<AssociatedPolicy>> policies) {
            Set<String> pastEnd = new java.util.HashSet<>();
            for (Map<String, GrantState> ofPrincipal : granted.values()) {
                for (GrantState grant : ofPrincipal.values()) {
                    boolean present = policies.getOrDefault(grant.principalArn(), List.of()).stream()
                            .anyMatch(p -> p.policyArn().equals(grant.policyArn()));
                    boolean ended = grant.expiresAt() != null && !grant.expiresAt().isAfter(now);
                    if (ended && present) {
                        pastEnd.add(grant.principalArn());
                        boolean requeued = expiry.requeue(grant);
                        findings.add(new Finding(requeued ? Finding.Kind.EXPIRED_REQUEUED
                                : Finding.Kind.EXPIRED_NOT_REQUEUED, arn, grant.principalArn(), grant.policyArn(),
                                "grant " + grant.lastRequestId() + " ended at " + grant.expiresAt() + (requeued
                                        ? "; handed back to the expiry sweep"
                                        : "; not handed back: kept overdue (a safety rule refused its revoke) or"
                                        + " changed meanwhile")));
                    } else if (!ended && !present) {
                        findings.add(new Finding(Finding.Kind.MISSING_GRANT, arn, grant.principalArn(),
                                grant.policyArn(), "grant " + grant.lastRequestId() + " is applied, EKS lacks "
                                + (policies.containsKey(grant.principalArn()) ? "the policy" : "the entry")));
                    }
                }
            }
            return pastEnd;
        }

        /** Entries this system created: every policy must be held by a grant, and the entry referenced. */
        private void compareOwnedEntries(String arn, Map<String, AccessEntry> entries,
                                         Map<String, List<AssociatedPolicy>> policies,
                                         Map<String, Map<String, GrantState>> granted) {
            for (AccessEntry entry : entries.values()) {
                if (!entry.createdByThisSystem() || bootstrapped(entry)) {
                    // The admin bootstrap's entries are referenced by the bootstrap, which keeps no grant state.
                    continue;
                }
                Map<String, GrantState> held = granted.getOrDefault(entry.principalArn(), Map.of());
                if (held.isEmpty()) {
                    findings.add(new Finding(Finding.Kind.UNREFERENCED_ENTRY, arn, entry.principalArn(), null,
                            "created by request " + entry.tags().get(AccessEntry.REQUEST_ID_TAG)
                                    + "; no grant state holds any of its policies"));
                    continue;
                }
                for (AssociatedPolicy policy : policies.get(entry.principalArn())) {
                    if (!held.containsKey(policy.policyArn())) {
                        findings.add(new Finding(Finding.Kind.EXTRA_POLICY, arn, entry.principalArn(),
                                policy.policyArn(), "associated at " + policy.scope() + "; no grant holds it"));
                    }
                }
            }
        }

        private InventoryEntry row(String arn, String creator, AccessEntry entry, List<AssociatedPolicy> policies,
                                   Map<String, GrantState> held, boolean pastEnd) {
            Origin origin;
            String requestId = null;
            Optional<GrantState> latest = held.values().stream().max(Comparator.comparing(GrantState::lastRequestedAt));
            if (latest.isPresent()) {
                origin = Origin.SYSTEM;
                requestId = latest.get().lastRequestId();
            } else if (entry.createdByThisSystem()) {
                origin = Origin.SYSTEM;
                requestId = entry.tags().get(AccessEntry.REQUEST_ID_TAG);
            } else {
                origin = entry.principalArn().equals(creator) ? Origin.CREATOR : Origin.EXTERNAL;
            }
            Instant expiresAt = held.values().stream()
                    .filter(g -> policies.stream().anyMatch(p -> p.policyArn().equals(g.policyArn())))
                    .map(GrantState::expiresAt).filter(java.util.Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(null);
            Set<Flag> flags = EnumSet.noneOf(Flag.class);
            if (entry.isStandard() && policies.isEmpty()) {
                flags.add(Flag.NO_POLICY);
            }
            if (pastEnd) {
                flags.add(Flag.PAST_END);
            }
            if (gone(entry.principalArn())) {
                flags.add(Flag.PRINCIPAL_GONE);
            }
            return new InventoryEntry(arn, entry.principalArn(), entry.type(), entry.kubernetesGroups(),
                    entry.username(), policies, origin, requestId, expiresAt, flags);
        }

        /** Whether IAM says the principal no longer exists; an IAM failure is counted, never taken for "gone". */
        private boolean gone(String principalArn) {
            Optional<Boolean> known = exists.computeIfAbsent(principalArn, arn -> {
                try {
                    return Optional.of(principals.uniqueIdOf(arn).isPresent());
                } catch (RuntimeException e) {
                    principalsUnchecked++;
                    return Optional.empty();
                }
            });
            return known.isPresent() && !known.get();
        }
    }

    private static boolean bootstrapped(AccessEntry entry) {
        String requestId = entry.tags().get(AccessEntry.REQUEST_ID_TAG);
        return requestId != null && requestId.startsWith(RequestIds.BOOTSTRAP);
    }
}
