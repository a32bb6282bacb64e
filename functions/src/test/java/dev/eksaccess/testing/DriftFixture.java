package dev.eksaccess.testing;

import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.model.ClusterRef;
import java.time.Instant;
import java.util.Map;

/**
 * The cluster the access-change samples ({@code events/cloudtrail/access-changes/}) name, as the drift tests start
 * it: created by the provisioner role, which holds cluster admin like the platform role, and a team viewer whose
 * entry and policy eks-access granted.
 */
public final class DriftFixture {

    public static final ClusterRef PAYMENTS = new ClusterRef("aws", "eu-west-1", "111122223333", "payments-dev");
    public static final String TEAM = "arn:aws:iam::111122223333:role/teams/payments-developers";
    public static final String CREATOR = "arn:aws:iam::111122223333:role/platform/eks-provisioner";
    public static final String PLATFORM = "arn:aws:iam::111122223333:role/platform/eks-admin";
    public static final String ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    public static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

    private DriftFixture() {
    }

    /** Registers the cluster, gives it the three entries, and the team's grant state as of {@code now}. */
    public static void twoAdminsAndATeamViewer(FakeRegistry registry, FakeEks eks, FakeGrantStates grants,
                                               Instant now) {
        registry.putIfAbsent(FakeRegistry.record(PAYMENTS.arn(), CREATOR, "API_AND_CONFIG_MAP", true));
        eks.cluster(PAYMENTS, "ACTIVE", "API_AND_CONFIG_MAP")
                .withEntry(CREATOR, AccessEntry.STANDARD, Map.of(), ADMIN)
                .withEntry(PLATFORM, AccessEntry.STANDARD, Map.of(), ADMIN)
                .withEntry(TEAM, AccessEntry.STANDARD, Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE),
                        VIEW);
        grants.save(new GrantState(PAYMENTS.arn(), TEAM, VIEW, true, now.minusSeconds(3600), "req-1", null));
    }
}
