package dev.eksaccess.drift;

import static dev.eksaccess.testing.DriftFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.creation.Creator;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.drift.ChangeClass.Severity;
import dev.eksaccess.drift.ExternalChanges.AlreadyRecorded;
import dev.eksaccess.drift.ExternalChanges.OwnCall;
import dev.eksaccess.drift.ExternalChanges.Recorded;
import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.testing.DriftFixture;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.FakeEks;
import dev.eksaccess.testing.FakeGrantStates;
import dev.eksaccess.testing.FakeRegistry;
import dev.eksaccess.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole path of one access change, over the EKS, registry and grant-state fakes. */
class ExternalChangesTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:05Z");

    private final FakeEks eks = new FakeEks("111122223333");
    private final FakeRegistry registry = new FakeRegistry();
    private final FakeGrantStates grants = new FakeGrantStates();
    private final Map<String, ExternalChange> recorded = new ConcurrentHashMap<>();
    private final ExternalChangeLog log = change -> recorded.putIfAbsent(change.change().eventId(), change) == null;
    private final OwnRoles own = new OwnRoles(Set.of("arn:aws:iam::111122223333:role/eks-access-grant-processor"),
            "eks-access-member", Set.of("444455556666"));
    private final ExternalChanges changes = new ExternalChanges(own, eks,
            new ClusterAccessReader(registry, grants), log, new MutableClock(NOW));

    @BeforeEach
    void aClusterWithTwoAdminsAndATeamViewerGrantedByEksAccess() {
        DriftFixture.twoAdminsAndATeamViewer(registry, eks, grants, NOW);
    }

    private static AccessChange change(String sample) {
        return ((AccessChangeParser.Change) new AccessChangeParser()
                .parse(EventFiles.bytes("cloudtrail/access-changes/" + sample))).change();
    }

    @Test
    void theTeamsEntryDeletedByHand_isRecordedOnce_asAConflictWithTheGrant() {
        eks.deleteAccessEntry(PAYMENTS, TEAM);
        AccessChange deleted = change("delete-access-entry.json");

        ExternalChanges.Handled first = changes.handle(deleted);
        ExternalChanges.Handled again = changes.handle(deleted);

        assertThat(first).isInstanceOf(Recorded.class);
        assertThat(again).isInstanceOf(AlreadyRecorded.class);
        assertThat(recorded).containsOnlyKeys(deleted.eventId());
        ExternalChange kept = recorded.get(deleted.eventId());
        assertThat(kept.judged()).isEqualTo(new ChangeClass(Severity.CONFLICTS_WITH_GRANT,
                "the entry held policies granted by eks-access: [" + VIEW + "]"));
        assertThat(kept.recordedAt()).isEqualTo(NOW);
    }

    @Test
    void clusterAdminTakenFromThePlatformRole_leavingTheCreatorAlone_isALockoutRisk_judgedOnWhatEksSaysNow() {
        eks.disassociateAccessPolicy(PAYMENTS, PLATFORM, ADMIN);
        AccessChange change = change("disassociate-cluster-admin.json");
        AccessChange fromPlatform = new AccessChange(change.eventId(), change.eventTime(), change.cluster(),
                change.kind(), PLATFORM, ADMIN, null, List.of(), null, change.actor());

        ExternalChanges.Handled handled = changes.handle(fromPlatform);

        assertThat(((Recorded) handled).recorded().judged()).isEqualTo(new ChangeClass(Severity.LOCKOUT_RISK,
                "cluster admin was taken from " + PLATFORM + "; only " + CREATOR + " holds it at cluster scope now"));
    }

    @Test
    void aCallOfTheGrantProcessorsOwnRole_isSkipped_withoutReadingEks() {
        ExternalChanges.Handled handled = changes.handle(change("associate-by-eks-access.json"));

        assertThat(handled).isInstanceOf(OwnCall.class);
        assertThat(recorded).isEmpty();
        assertThat(eks.calls).isEmpty();
    }

    @Test
    void ownRoles_areRecognisedByHubArn_orByTheMemberRoleNameInAMemberAccount_only() {
        AccessChange ours = change("associate-by-eks-access.json");
        var hub = ours.actor();
        var member = new Creator("AssumedRole", "arn:aws:iam::444455556666:role/eks-access-member",
                "s", null, true, null);
        var sameNameElsewhere = new Creator("AssumedRole",
                "arn:aws:iam::777788889999:role/eks-access-member", "s", null, true, null);
        var userNamedLikeIt = new Creator("IAMUser",
                "arn:aws:iam::444455556666:user/eks-access-member", null, null, true, null);

        assertThat(own.made(hub)).isTrue();
        assertThat(own.made(member)).isTrue();
        assertThat(own.made(sameNameElsewhere)).isFalse();
        assertThat(own.made(userNamedLikeIt)).isFalse();
        assertThat(own.made(change("delete-access-entry.json").actor())).isFalse();
    }
}
