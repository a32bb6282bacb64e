package dev.eksaccess.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.DriftMode;
import dev.eksaccess.creation.Creator;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.drift.AccessChange.Kind;
import dev.eksaccess.drift.DriftResponder.NoRestore;
import dev.eksaccess.drift.DriftResponder.Restore;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.RestoreRequest;
import dev.eksaccess.testing.FakeGrantStates;
import dev.eksaccess.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each external change calls for: a restore of exactly the owned state it touched, or nothing. */
class DriftResponderTest {

    private static final ClusterRef PAYMENTS = new ClusterRef("aws", "eu-west-1", "111122223333", "payments-dev");
    private static final String TEAM = "arn:aws:iam::111122223333:role/teams/payments-developers";
    private static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    private static final String EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";
    private static final String ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy";
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
    private static final Creator JANE = new Creator("AssumedRole", "arn:aws:iam::111122223333:role/Admin", "jane",
            null, true, null);

    private final FakeGrantStates grants = new FakeGrantStates();
    private final MutableClock clock = new MutableClock(NOW);
    private final List<RestoreRequest> sent = new ArrayList<>();
    /** Rule "restoring" restores; every other rule alerts. */
    private final DriftResponder responder = new DriftResponder(grants,
            (rule, cluster) -> rule.equals("restoring") ? DriftMode.RESTORE : DriftMode.ALERT, sent::add, clock);

    private static GrantState granted(String policy, String requestId, AccessScope scope, String rule,
                                      boolean entryOwned, Instant expiresAt) {
        return new GrantState(PAYMENTS.arn(), TEAM, policy, true, NOW.minus(Duration.ofHours(2)), requestId, expiresAt,
                new GrantState.Desired(scope, List.of("payments-readers"), null, rule, entryOwned));
    }

    private static AccessChange change(Kind kind, String policy, AccessScope scope) {
        return new AccessChange("event-1", NOW.minusSeconds(30), PAYMENTS, kind, TEAM, policy, scope, List.of(), null,
                JANE);
    }

    private DriftResponder.Response respond(AccessChange change) {
        return responder.respond(new ExternalChange(change, new ChangeClass(ChangeClass.Severity.CONFLICTS_WITH_GRANT,
                "test"), NOW));
    }

    @Test
    void aDeletedEntryWeCreated_isRestoredWithEveryCurrentGrantItHeld_andOnlyThose() {
        grants.save(granted(VIEW, "req-view", AccessScope.cluster(), "restoring", true, null));
        grants.save(granted(EDIT, "req-edit", AccessScope.namespaces(List.of("payments")), "restoring", true, null));
        grants.save(new GrantState(PAYMENTS.arn(), TEAM, ADMIN, false, NOW.minusSeconds(600), "req-revoke", null));

        DriftResponder.Response response = respond(change(Kind.DELETE_ENTRY, null, null));

        assertThat(response).isInstanceOf(Restore.class);
        RestoreRequest request = ((Restore) response).request();
        assertThat(request.grants()).containsExactlyInAnyOrder(new RestoreRequest.Grant(VIEW, "req-view"),
                new RestoreRequest.Grant(EDIT, "req-edit"));
        assertThat(request.cluster()).isEqualTo(PAYMENTS);
        assertThat(request.principalArn()).isEqualTo(TEAM);
        assertThat(request.causeEventId()).isEqualTo("event-1");
        assertThat(request.requestId()).isEqualTo("eks-access:restore:event-1");
        assertThat(sent).containsExactly(request);
    }

    @Test
    void aDeletedEntryWeDidNotCreate_isNotRestored_evenThoughAGrantOfOursHeldAPolicyOnIt() {
        grants.save(granted(VIEW, "req-view", AccessScope.cluster(), "restoring", false, null));

        DriftResponder.Response response = respond(change(Kind.DELETE_ENTRY, null, null));

        assertThat(response).isEqualTo(new NoRestore("the entry of " + TEAM + " was not created by eks-access (its "
                + "grant req-view found it there): its deletion is not undone"));
        assertThat(sent).isEmpty();
    }

    @Test
    void aDisassociatedOwnedPolicy_isRestored_alone() {
        grants.save(granted(VIEW, "req-view", AccessScope.cluster(), "restoring", true, null));
        grants.save(granted(EDIT, "req-edit", AccessScope.cluster(), "restoring", true, null));

        DriftResponder.Response response = respond(change(Kind.DISASSOCIATE_POLICY, VIEW, null));

        assertThat(((Restore) response).request().grants()).containsExactly(new RestoreRequest.Grant(VIEW, "req-view"));
        assertThat(response.reason()).isEqualTo("restore requested (eks-access:restore:event-1): it was disassociated");
    }

    @Test
    void anOwnedPolicyAssociatedAgainWithAnotherScope_isRestored_butWithTheGrantedScopeItIsLeftAlone() {
        grants.save(granted(VIEW, "req-view", AccessScope.namespaces(List.of("payments")), "restoring", true, null));

        DriftResponder.Response widened = respond(change(Kind.ASSOCIATE_POLICY, VIEW, AccessScope.cluster()));
        DriftResponder.Response same = respond(change(Kind.ASSOCIATE_POLICY, VIEW,
                AccessScope.namespaces(List.of("payments"))));

        assertThat(widened.reason()).endsWith("its scope was changed from namespace[payments] to cluster");
        assertThat(same).isEqualTo(new NoRestore("associated with the scope eks-access granted (namespace[payments])"));
        assertThat(sent).hasSize(1);
    }

    @Test
    void aPolicySomeoneElseOwns_isNeverRestored() {
        grants.save(granted(VIEW, "req-view", AccessScope.cluster(), "restoring", true, null));

        DriftResponder.Response response = respond(change(Kind.DISASSOCIATE_POLICY, EDIT, null));

        assertThat(response).isEqualTo(new NoRestore(EDIT + " on " + TEAM + " is not granted by eks-access"));
        assertThat(sent).isEmpty();
    }

    @Test
    void anExpiredGrant_andARevokedOne_areNotRestored() {
        grants.save(granted(VIEW, "req-view", AccessScope.cluster(), "restoring", true, NOW));
        grants.save(new GrantState(PAYMENTS.arn(), TEAM, EDIT, false, NOW.minusSeconds(60), "req-revoke", null));

        assertThat(respond(change(Kind.DISASSOCIATE_POLICY, VIEW, null)))
                .isEqualTo(new NoRestore("no current grant holds it: " + VIEW + " expired at " + NOW));
        assertThat(respond(change(Kind.DISASSOCIATE_POLICY, EDIT, null)))
                .isEqualTo(new NoRestore("no current grant holds it: " + EDIT + " was revoked by request req-revoke"));
        assertThat(respond(change(Kind.DELETE_ENTRY, null, null)))
                .isEqualTo(new NoRestore("no current eks-access grant held the entry of " + TEAM));
        assertThat(sent).isEmpty();
    }

    @Test
    void aGrantExpiringASecondLater_isStillRestored() {
        grants.save(granted(VIEW, "req-view", AccessScope.cluster(), "restoring", true, NOW.plusSeconds(1)));

        assertThat(respond(change(Kind.DISASSOCIATE_POLICY, VIEW, null))).isInstanceOf(Restore.class);
    }

    @Test
    void aGrantStateFromBeforeScopesWereKept_isNotRestored() {
        grants.save(new GrantState(PAYMENTS.arn(), TEAM, VIEW, true, NOW.minusSeconds(60), "req-old", null));

        assertThat(respond(change(Kind.DISASSOCIATE_POLICY, VIEW, null)).reason())
                .isEqualTo("no current grant holds it: " + VIEW + " was granted (request req-old) before grant states "
                        + "kept the scope, so what to restore is not known");
    }

    @Test
    void inAlertMode_nothingIsRestored() {
        grants.save(granted(VIEW, "req-view", AccessScope.cluster(), "alerting", true, null));

        assertThat(respond(change(Kind.DISASSOCIATE_POLICY, VIEW, null)))
                .isEqualTo(new NoRestore("drift mode alert for [" + VIEW + " (rule alerting)]: reported, not restored"));
        assertThat(respond(change(Kind.DELETE_ENTRY, null, null))).isInstanceOf(NoRestore.class);
        assertThat(sent).isEmpty();
    }

    @Test
    void aDeletedEntry_restoresOnlyTheGrantsWhoseModeIsRestore() {
        grants.save(granted(VIEW, "req-view", AccessScope.cluster(), "restoring", true, null));
        grants.save(granted(EDIT, "req-edit", AccessScope.cluster(), "alerting", true, null));

        assertThat(((Restore) respond(change(Kind.DELETE_ENTRY, null, null))).request().grants())
                .containsExactly(new RestoreRequest.Grant(VIEW, "req-view"));
    }

    @Test
    void newEntries_groupChanges_andTheAuthenticationMode_areReportedNotRestored() {
        grants.save(granted(VIEW, "req-view", AccessScope.cluster(), "restoring", true, null));

        assertThat(respond(change(Kind.CREATE_ENTRY, null, null))).isInstanceOf(NoRestore.class);
        assertThat(respond(change(Kind.UPDATE_ENTRY, null, null))).isInstanceOf(NoRestore.class);
        assertThat(respond(new AccessChange("event-2", NOW, PAYMENTS, Kind.AUTHENTICATION_MODE, null, null, null,
                List.of(), "API", JANE))).isInstanceOf(NoRestore.class);
        assertThat(sent).isEmpty();
    }

    @Test
    void theModes_followTheDeployedRuleAndTheClusterSetting() {
        DriftResponder.Modes modes = DriftResponder.Modes.of(java.util.Optional.empty(), List.of("payments-*"));

        assertThat(modes.of("any", PAYMENTS.arn())).isEqualTo(DriftMode.RESTORE);
        assertThat(modes.of("any", "arn:aws:eks:eu-west-1:111122223333:cluster/orders")).isEqualTo(DriftMode.ALERT);
    }
}
