package dev.eksaccess.testsupport;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.emulator.eks.AccessEntrySnapshot;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSnapshot;
import dev.eksaccess.emulator.eks.ClusterStatus;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.emulator.eks.RecordedCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold in the EKS emulator after any run of the system, so that nobody is locked out of a cluster
 * (see "Lockout" in {@code eks-access-reference.md}). Checked on what the emulator received and holds, whatever the
 * code under test believes it did:
 * <ol>
 *   <li>no request ever carried a Kubernetes group starting with {@code system:} (such as {@code system:masters}),
 *       even one EKS refused;</li>
 *   <li>no UpdateClusterConfig ever asked for authentication mode {@code API} or {@code CONFIG_MAP}: the system
 *       only moves CONFIG_MAP clusters to API_AND_CONFIG_MAP, never further and never back;</li>
 *   <li>every ACTIVE cluster whose mode uses access entries still has at least one principal holding
 *       AmazonEKSClusterAdminPolicy at cluster scope.</li>
 * </ol>
 */
public final class LockoutInvariants {

    private static final String CLUSTER_ADMIN_ARN = AccessPolicies.arnOf(AccessPolicies.CLUSTER_ADMIN);
    private static final String RESERVED_GROUP_PREFIX = "system:";
    private static final Set<String> REFUSED_MODES = Set.of(AuthenticationMode.API.name(),
            AuthenticationMode.CONFIG_MAP.name());

    private LockoutInvariants() {
    }

    /** @throws AssertionError listing every violation, with the call or cluster it concerns */
    public static void assertHold(EksEmulator eks) {
        List<String> violations = violations(eks);
        if (!violations.isEmpty()) {
            throw new AssertionError("lockout invariants violated:\n - " + String.join("\n - ", violations));
        }
    }

    /**
     * As {@link #assertHold(EksEmulator)}, but a cluster the test created without any cluster admin (creator admin
     * off, or CONFIG_MAP) is not required to have one while nobody was ever given it there: only this system's calls
     * are judged. Once a call associated AmazonEKSClusterAdminPolicy at cluster scope on it, it must keep a holder.
     */
    public static void assertHold(EksEmulator eks, Set<String> clustersStartedWithoutAdmin) {
        Set<String> withoutAdminSoFar = new HashSet<>(clustersStartedWithoutAdmin);
        withoutAdminSoFar.removeAll(clustersGivenAnAdmin(eks));
        List<String> violations = violations(eks).stream().filter(v -> withoutAdminSoFar.stream()
                .noneMatch(name -> v.startsWith("ACTIVE cluster " + name + " "))).toList();
        if (!violations.isEmpty()) {
            throw new AssertionError("lockout invariants violated:\n - " + String.join("\n - ", violations));
        }
    }

    /** Every violation, in words; empty when all invariants hold. */
    public static List<String> violations(EksEmulator eks) {
        List<String> violations = new ArrayList<>();
        for (RecordedCall call : eks.calls()) {
            reservedGroups(call).forEach(group -> violations.add(call.operation() + " on cluster "
                    + call.clusterName().orElse("?") + " sent Kubernetes group " + group + " (answered "
                    + call.status() + ")"));
            if (call.operation().equals("UpdateClusterConfig")) {
                String mode = requestedMode(call);
                if (REFUSED_MODES.contains(mode)) {
                    violations.add("UpdateClusterConfig on cluster " + call.clusterName().orElse("?")
                            + " asked for authentication mode " + mode + " (answered " + call.status()
                            + "); only API_AND_CONFIG_MAP is allowed");
                }
            }
        }
        for (ClusterSnapshot cluster : eks.clusters()) {
            boolean usesAccessEntries = cluster.authenticationMode() != AuthenticationMode.CONFIG_MAP;
            if (cluster.status() == ClusterStatus.ACTIVE && usesAccessEntries && clusterAdmins(cluster).isEmpty()) {
                violations.add("ACTIVE cluster " + cluster.name() + " (" + cluster.authenticationMode()
                        + ") has no principal with AmazonEKSClusterAdminPolicy at cluster scope; entries: "
                        + describe(cluster.accessEntries()));
            }
        }
        return violations;
    }

    /** The principals holding AmazonEKSClusterAdminPolicy at cluster scope. */
    public static List<String> clusterAdmins(ClusterSnapshot cluster) {
        return cluster.accessEntries().stream().filter(e -> e.hasClusterScoped(CLUSTER_ADMIN_ARN))
                .map(AccessEntrySnapshot::principalArn).toList();
    }

    /** The clusters on which a call associated AmazonEKSClusterAdminPolicy at cluster scope, and EKS accepted it. */
    private static Set<String> clustersGivenAnAdmin(EksEmulator eks) {
        Set<String> clusters = new HashSet<>();
        for (RecordedCall call : eks.calls("AssociateAccessPolicy")) {
            Map<String, Object> body = call.bodyJson();
            if (call.succeeded() && CLUSTER_ADMIN_ARN.equals(body.get("policyArn"))
                    && body.get("accessScope") instanceof Map<?, ?> scope && "cluster".equals(scope.get("type"))) {
                call.clusterName().ifPresent(clusters::add);
            }
        }
        return clusters;
    }

    private static List<String> reservedGroups(RecordedCall call) {
        if (!(call.bodyJson().get("kubernetesGroups") instanceof List<?> groups)) {
            return List.of();
        }
        return groups.stream().map(String::valueOf).filter(g -> g.startsWith(RESERVED_GROUP_PREFIX)).toList();
    }

    private static String requestedMode(RecordedCall call) {
        if (call.bodyJson().get("accessConfig") instanceof Map<?, ?> accessConfig
                && accessConfig.get("authenticationMode") != null) {
            return String.valueOf(accessConfig.get("authenticationMode"));
        }
        return null;
    }

    private static String describe(List<AccessEntrySnapshot> entries) {
        if (entries.isEmpty()) {
            return "none";
        }
        List<String> described = new ArrayList<>();
        for (AccessEntrySnapshot entry : entries) {
            described.add(entry.principalArn() + " " + entry.policies().stream()
                    .map(p -> p.policyName() + "@" + p.scope().type()).toList());
        }
        return String.join(", ", described);
    }
}
