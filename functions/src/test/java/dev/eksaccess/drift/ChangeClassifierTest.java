package dev.eksaccess.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.drift.ChangeClass.Severity;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.testing.EventFiles;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangeClassifierTest {

    private static final String TEAM = "arn:aws:iam::111122223333:role/teams/payments-developers";
    private static final String CREATOR = "arn:aws:iam::111122223333:role/platform/eks-provisioner";
    private static final String PLATFORM = "arn:aws:iam::111122223333:role/platform/eks-admin";
    private static final String ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    private static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

    private final ChangeClassifier classifier = new ChangeClassifier();

    private static AccessChange change(String sample) {
        return ((AccessChangeParser.Change) new AccessChangeParser()
                .parse(EventFiles.bytes("cloudtrail/access-changes/" + sample))).change();
    }

    private static ClusterAccessView view(String creator, Set<String> admins, Map<String, Set<String>> granted,
                                          Set<String> ours) {
        return new ClusterAccessView(creator, admins, granted, ours);
    }

    private ChangeClass classify(String sample, ClusterAccessView view) {
        return classifier.classify(change(sample), view);
    }

    @Test
    void aMoveToApi_isALockoutRisk_andToApiAndConfigMapIsNot() {
        ClusterAccessView anyView = view(CREATOR, Set.of(CREATOR, PLATFORM), Map.of(), Set.of());

        assertThat(classify("update-cluster-config-api.json", anyView).severity()).isEqualTo(Severity.LOCKOUT_RISK);
        AccessChange hybrid = change("update-cluster-config-api.json");
        hybrid = new AccessChange(hybrid.eventId(), hybrid.eventTime(), hybrid.cluster(), hybrid.kind(), null, null,
                null, null, "API_AND_CONFIG_MAP", hybrid.actor());
        assertThat(classifier.classify(hybrid, anyView).severity()).isEqualTo(Severity.HARMLESS);
    }

    @Test
    void theCreatorsEntryDeleted_isALockoutRisk_evenWithOtherAdminsLeft() {
        ChangeClass judged = classify("delete-access-entry.json",
                view(TEAM, Set.of(PLATFORM, CREATOR), Map.of(), Set.of()));

        assertThat(judged).isEqualTo(new ChangeClass(Severity.LOCKOUT_RISK,
                "the cluster creator's entry was changed (DeleteAccessEntry)"));
    }

    @Test
    void clusterAdminDisassociated_leavingOneHolder_isALockoutRisk_leavingTwoIsNot() {
        assertThat(classify("disassociate-cluster-admin.json", view(CREATOR, Set.of(PLATFORM), Map.of(), Set.of())))
                .isEqualTo(new ChangeClass(Severity.LOCKOUT_RISK, "cluster admin was taken from " + TEAM
                        + "; only " + PLATFORM + " holds it at cluster scope now"));
        assertThat(classify("disassociate-cluster-admin.json",
                view(CREATOR, Set.of(PLATFORM, CREATOR), Map.of(), Set.of())).severity()).isEqualTo(Severity.HARMLESS);
    }

    @Test
    void anEntryDeleted_leavingNoClusterAdmin_isALockoutRisk() {
        assertThat(classify("delete-access-entry.json", view(null, Set.of(), Map.of(), Set.of())))
                .isEqualTo(new ChangeClass(Severity.LOCKOUT_RISK,
                        "no principal holds AmazonEKSClusterAdminPolicy at cluster scope any more"));
    }

    @Test
    void anEntryDeleted_thatHeldNoKnownAdmin_withOneAdminLeft_isJudgedByOurGrants() {
        ClusterAccessView viewerGranted = view(CREATOR, Set.of(PLATFORM), Map.of(TEAM, Set.of(VIEW)), Set.of(TEAM));
        ClusterAccessView adminGranted = view(CREATOR, Set.of(PLATFORM), Map.of(TEAM, Set.of(ADMIN)), Set.of(TEAM));

        assertThat(classify("delete-access-entry.json", viewerGranted))
                .isEqualTo(new ChangeClass(Severity.CONFLICTS_WITH_GRANT,
                        "the entry held policies granted by eks-access: [" + VIEW + "]"));
        assertThat(classify("delete-access-entry.json", adminGranted).severity()).isEqualTo(Severity.LOCKOUT_RISK);
    }

    @Test
    void aPolicyOurGrantHolds_changedByHand_conflicts_andAnotherPolicyIsHarmless() {
        ClusterAccessView granted = view(CREATOR, Set.of(CREATOR, PLATFORM), Map.of(TEAM, Set.of(VIEW)), Set.of(TEAM));

        assertThat(classify("associate-view-namespaces.json", granted)).isEqualTo(new ChangeClass(
                Severity.CONFLICTS_WITH_GRANT, VIEW + " is held by an eks-access grant to " + TEAM));
        assertThat(classify("associate-cluster-admin.json", granted)).isEqualTo(new ChangeClass(
                Severity.HARMLESS, "touches no grant of eks-access and leaves a cluster admin"));
    }

    @Test
    void anUpdateOfAnEntryWeCreated_conflicts_andOfAnotherIsHarmless() {
        assertThat(classify("update-access-entry-groups.json",
                view(CREATOR, Set.of(CREATOR), Map.of(), Set.of(TEAM))).severity())
                .isEqualTo(Severity.CONFLICTS_WITH_GRANT);
        assertThat(classify("update-access-entry-groups.json",
                view(CREATOR, Set.of(CREATOR), Map.of(), Set.of())).severity()).isEqualTo(Severity.HARMLESS);
    }

    @Test
    void narrowingClusterAdminToNamespaces_leavingOneHolder_isALockoutRisk() {
        AccessChange admin = change("associate-cluster-admin.json");
        AccessChange narrowed = new AccessChange(admin.eventId(), admin.eventTime(), admin.cluster(), admin.kind(),
                admin.principalArn(), admin.policyArn(), AccessScope.namespaces(List.of("x")),
                null, null, admin.actor());

        assertThat(classifier.classify(narrowed, view(CREATOR, Set.of(PLATFORM), Map.of(), Set.of())).severity())
                .isEqualTo(Severity.LOCKOUT_RISK);
        assertThat(classifier.classify(admin, view(CREATOR, Set.of(PLATFORM, TEAM), Map.of(), Set.of())).severity())
                .isEqualTo(Severity.HARMLESS);
    }
}
