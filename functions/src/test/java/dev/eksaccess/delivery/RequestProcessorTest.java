package dev.eksaccess.delivery;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.testing.AccessFixture;
import dev.eksaccess.testing.RepoFiles;
import dev.eksaccess.testing.TestSenders;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestProcessorTest {

    private final AccessFixture f = new AccessFixture();
    private final RequestProcessor processor = f.processor();

    private MessageResult send(String body) {
        return sendAs(TestSenders.TEAM_SENDER, body);
    }

    private MessageResult sendAs(String senderId, String body) {
        MessageMeta meta = f.meta(senderId);
        return processor.process(f.parser.parse(body, meta), meta);
    }

    /** The built-in approver approves request {@code requestId}. */
    private MessageResult approve(String requestId) {
        return sendAs(TestSenders.APPROVER_SENDER, "{\"action\":\"approve\",\"pendingRequestId\":\"" + requestId
                + "\"}");
    }

    @Test
    void appliedGrant_isRecordedWithSenderRequesterReasonAndBeforeAfter() {
        MessageResult result = send(RepoFiles.request("grant-cluster-view.json"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
        AuditRecord record = f.ledger.only(result.requestId());
        assertThat(record.clusterArn()).isEqualTo(CLUSTER.arn());
        assertThat(record.principalArn()).isEqualTo(DEV);
        assertThat(record.action()).isEqualTo("grant");
        assertThat(record.policy()).isEqualTo("AmazonEKSViewPolicy");
        assertThat(record.senderId()).isEqualTo(TestSenders.TEAM_SENDER);
        assertThat(record.senderArn()).isEqualTo(TestSenders.TEAM);
        assertThat(record.senderSession()).isEqualTo("ci");
        assertThat(record.ruleId()).isEqualTo("team-self-service");
        assertThat(record.requestedBy()).isEqualTo("alice@example.com");
        assertThat(record.reason()).isEqualTo("on-call read access");
        assertThat(record.before()).isEqualTo("{\"entry\":null,\"policies\":[]}");
        assertThat(record.after()).contains("\"createdByThisSystem\":true", VIEW_ARN);
        assertThat(record.recordedAt()).isEqualTo(START);
    }

    @Test
    void sameRequestTwice_changesNothingTheSecondTime() {
        String body = RepoFiles.request("grant-with-groups-username.json");
        send(body);
        f.eks.calls.clear();

        MessageResult second = send(body);

        assertThat(second.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(second.reason()).startsWith("duplicate of request CHG-2026-1142, already applied");
        assertThat(f.eks.calls).isEmpty();
        assertThat(f.ledger.duplicates).singleElement().extracting(AuditRecord::outcome).isEqualTo(Outcome.IGNORED);
    }

    @Test
    void grantRedeliveredAfterItsRevoke_isIgnoredAsStale_andCannotResurrectAccess() {
        String grant = grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"requestId\":\"g1\",\"requestedAt\":\"2026-11-28T09:00:00Z\"");
        send(grant);
        send(revoke(DEV, "AmazonEKSViewPolicy", ",\"requestId\":\"r1\",\"requestedAt\":\"2026-11-28T09:05:00Z\""));
        String olderGrant = grant.replace("\"g1\"", "\"g0\"").replace("09:00:00Z", "08:59:00Z");

        MessageResult result = send(olderGrant);

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.reason()).contains("stale: request r1");
        assertThat(f.cluster.entry(DEV)).isEmpty();
    }

    @Test
    void revokeOlderThanTheLastGrant_isIgnoredAsStale() {
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"requestedAt\":\"2026-11-28T09:05:00Z\""));

        MessageResult result = send(revoke(DEV, "AmazonEKSViewPolicy", ",\"requestedAt\":\"2026-11-28T09:00:00Z\""));

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(VIEW_ARN);
    }

    @Test
    void ordering_isPerPolicy_soAnOlderRequestForAnotherPolicyStillApplies() {
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"requestedAt\":\"2026-11-28T09:05:00Z\""));

        MessageResult result = send(grant(DEV, "AmazonEKSEditPolicy", "{\"type\":\"cluster\"}",
                ",\"requestedAt\":\"2026-11-28T09:00:00Z\""));

        assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void revokeAll_comparesPerPolicy_andRevokesOnlyWhatItIsNewerThan() {
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"requestedAt\":\"2026-11-28T09:00:00Z\""));
        send(grant(DEV, "AmazonEKSEditPolicy", "{\"type\":\"cluster\"}", ",\"requestedAt\":\"2026-11-28T09:10:00Z\""));

        MessageResult result = send(revoke(DEV, null, ",\"requestedAt\":\"2026-11-28T09:05:00Z\""));

        assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(EDIT_ARN);
        assertThat(f.states.find(CLUSTER.arn(), DEV, VIEW_ARN).orElseThrow().granted()).isFalse();
        assertThat(f.states.find(CLUSTER.arn(), DEV, EDIT_ARN).orElseThrow().granted()).isTrue();
    }

    @Test
    void grantDeliveredAfterANewerRevokeAll_isIgnoredAsStale_evenForAPolicyTheRevokeDidNotSee() {
        // GIVEN a revoke without policy, applied while the principal had no state at all (found by FaultStormIT)
        send(revoke(DEV, null, ",\"requestId\":\"r1\",\"requestedAt\":\"2026-11-28T09:05:00Z\""));

        // WHEN grants sent before it arrive after it, and one sent after it
        MessageResult olderGrant = send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"requestId\":\"g0\",\"requestedAt\":\"2026-11-28T09:00:00Z\""));
        MessageResult olderRevoke = send(revoke(DEV, "AmazonEKSEditPolicy",
                ",\"requestId\":\"r0\",\"requestedAt\":\"2026-11-28T09:01:00Z\""));
        MessageResult newerGrant = send(grant(DEV, "AmazonEKSEditPolicy", "{\"type\":\"cluster\"}",
                ",\"requestId\":\"g2\",\"requestedAt\":\"2026-11-28T09:10:00Z\""));

        // THEN only the newer grant applies
        assertThat(olderGrant.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(olderGrant.reason()).startsWith("stale: request r1");
        assertThat(olderRevoke.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(newerGrant.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(EDIT_ARN);
    }

    @Test
    void revokeAllOlderThanEveryPolicyChange_leavesThoseChangesAlone() {
        send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"requestedAt\":\"2026-11-28T09:10:00Z\""));

        MessageResult result = send(revoke(DEV, null, ",\"requestedAt\":\"2026-11-28T09:05:00Z\""));

        assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.cluster.policies(DEV)).containsOnlyKeys(VIEW_ARN);
    }

    @Test
    void revokeAllOlderThanAnAppliedRevokeAll_isIgnoredAsStale() {
        // A principal dropping its own access revokes everything, without the limit of a sender's rules.
        send(revoke(TestSenders.TEAM, null, ",\"requestId\":\"r2\",\"requestedAt\":\"2026-11-28T09:10:00Z\""));

        MessageResult result = send(revoke(TestSenders.TEAM, null,
                ",\"requestId\":\"r1\",\"requestedAt\":\"2026-11-28T09:05:00Z\""));

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.reason()).startsWith("stale: request r2, a revoke of every policy");
    }

    @Test
    void invalidAndMalformedMessages_areRecordedAsRejectedWithTheirReason() {
        MessageResult malformed = send(RepoFiles.request("invalid-malformed-json.json"));
        MessageResult invalid = send(RepoFiles.request("invalid-system-group.json"));

        assertThat(malformed.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(f.ledger.only(malformed.requestId()).outcomeReason()).startsWith("message: is not valid JSON");
        assertThat(f.ledger.only(malformed.requestId()).clusterArn()).isNull();
        assertThat(f.ledger.only(invalid.requestId()).outcomeReason()).startsWith("kubernetesGroups: ");
        assertThat(f.ledger.only(invalid.requestId()).clusterArn()).isEqualTo(CLUSTER.arn());
        assertThat(f.eks.calls).isEmpty();
    }

    @Test
    void refusal_isRecordedAsRejected_andDoesNotMoveTheOrderingMark() {
        MessageResult result = send(revoke(CREATOR, null, ""));

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(f.ledger.only(result.requestId()).outcomeReason()).contains("created the cluster");
        assertThat(f.states.findByPrincipal(CLUSTER.arn(), CREATOR)).isEmpty();
    }

    @Test
    void transientFailure_isRecordedAsFailedTransient_andTheRetryCanStillApply() {
        String body = grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}", ",\"requestId\":\"t1\"");
        f.eks.failNext(new EksTransientException("Rate exceeded"));

        MessageResult first = send(body);
        MessageResult retry = send(body);

        assertThat(first.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(first.retry()).isTrue();
        assertThat(retry.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.ledger.only("t1").outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.ledger.history).extracting(AuditRecord::outcome)
                .containsExactly(Outcome.FAILED_TRANSIENT, Outcome.APPLIED);
    }

    @Test
    void grantThatFailedTransiently_isRemovedByANewerRevokeAllArrivingBeforeItsRetry() {
        // GIVEN a grant that failed transiently after its policy got associated (found by FaultStormIT)
        String body = grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"requestId\":\"g1\",\"requestedAt\":\"2026-11-28T09:00:00Z\"");
        f.eks.failNextCallOf("associateAccessPolicy", new EksTransientException("Rate exceeded"));
        send(body);
        f.cluster.withEntry(DEV, "STANDARD", Map.of(AccessEntry.MANAGED_BY_TAG, AccessEntry.MANAGED_BY_VALUE),
                VIEW_ARN);

        // WHEN a newer revoke of every policy arrives before the grant's retry
        MessageResult revoke = send(revoke(DEV, null,
                ",\"requestId\":\"r1\",\"requestedAt\":\"2026-11-28T09:05:00Z\""));
        MessageResult retry = send(body);

        // THEN the policy is gone, and the retry cannot bring it back
        assertThat(revoke.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(revoke.reason()).contains("disassociated " + VIEW_ARN);
        assertThat(retry.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(f.cluster.entry(DEV)).isEmpty();
    }

    @Test
    void timeBoundGrant_isScheduled_earlyRevokeCancels_andNewGrantReschedules() {
        MessageResult held = send(RepoFiles.request("grant-time-bound-duration.json"));
        assertThat(held.outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
        assertThat(approve(held.requestId()).outcome()).isEqualTo(Outcome.APPLIED);
        String carol = "arn:aws:iam::111122223333:user/carol";
        String adminArn = AccessRequest.policyArn("aws", "AmazonEKSAdminPolicy");
        assertThat(f.states.find(CLUSTER.arn(), carol, adminArn).orElseThrow().expiresAt())
                .isEqualTo(START.plus(Duration.ofHours(8)));

        f.clock.advance(Duration.ofMinutes(1));
        approve(send(grant(carol, "AmazonEKSAdminPolicy", "{\"type\":\"namespace\",\"namespaces\":[\"payments\"]}",
                ",\"duration\":\"PT1H\"")).requestId());
        assertThat(f.states.find(CLUSTER.arn(), carol, adminArn).orElseThrow().expiresAt())
                .isEqualTo(START.plus(Duration.ofMinutes(61)));

        f.clock.advance(Duration.ofMinutes(1));
        send(revoke(carol, "AmazonEKSAdminPolicy", ""));
        assertThat(f.states.find(CLUSTER.arn(), carol, adminArn).orElseThrow().expiresAt()).isNull();
        assertThat(f.states.findExpired(START.plus(Duration.ofDays(1)), 10)).isEmpty();
    }

    @Test
    void bootstrapRedelivered_isADuplicate() {
        String body = RepoFiles.request("bootstrap.json");

        MessageResult first = sendAs(TestSenders.CLUSTER_CREATION_SENDER, body);
        MessageResult second = sendAs(TestSenders.CLUSTER_CREATION_SENDER, body);

        assertThat(first.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(second.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(f.cluster.policies(ADMIN)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
        assertThat(f.ledger.only("bootstrap:7f0c2a51-3c4e-4d1b-9a77-2b1f0e9d6c11").action()).isEqualTo("bootstrap");
    }

    @Test
    void requestedAtDefaultsToTheSentTimestamp_forOrdering() {
        f.clock.set(Instant.parse("2026-11-28T10:00:00Z"));
        send(grant(DEV, "AmazonEKSViewPolicy"));

        assertThat(f.states.find(CLUSTER.arn(), DEV, VIEW_ARN).orElseThrow().lastRequestedAt())
                .isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    }

    /**
     * A client whose clock runs four minutes ahead dates its grant after its own sending; were that date kept, the
     * revoke sent a minute later (dated by SQS) would be older and ignored as stale, and the access would stay.
     */
    @Test
    void aGrantDatedAheadOfItsSending_cannotMakeALaterRevokeStale() {
        f.clock.set(Instant.parse("2026-11-28T10:00:00Z"));
        MessageResult grant = send(grant(DEV, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"requestedAt\":\"2026-11-28T10:04:00Z\""));
        f.clock.set(Instant.parse("2026-11-28T10:01:00Z"));

        MessageResult revoke = send(revoke(DEV, "AmazonEKSViewPolicy", ""));

        assertThat(revoke.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.cluster.entry(DEV)).isEmpty();
        assertThat(f.ledger.only(grant.requestId()).requestedAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(f.ledger.only(grant.requestId()).outcomeReason()).contains("(requestedAt 2026-11-28T10:04:00Z lay "
                + "after the message's SQS SentTimestamp; 2026-11-28T10:00:00Z was used instead)");
    }
}
