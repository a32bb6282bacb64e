package dev.eksaccess.delivery;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.testing.AccessFixture;
import dev.eksaccess.testing.TestSenders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The approval flow in the processor, with the built-in document (events/eligibility/sandbox.json): the team sender's
 * admin-class grants wait for the approver.
 */
class ApprovalFlowTest {

    private static final String CAROL = "arn:aws:iam::111122223333:user/carol";

    private final AccessFixture f = new AccessFixture();
    private final RequestProcessor processor = f.processor();

    private MessageResult sendAs(String senderId, String body) {
        MessageMeta meta = f.meta(senderId);
        return processor.process(f.parser.parse(body, meta), meta);
    }

    private MessageResult adminGrant(String principal, String requestId) {
        return sendAs(TestSenders.TEAM_SENDER, grant(principal, "AmazonEKSClusterAdminPolicy", "{\"type\":\"cluster\"}",
                ",\"duration\":\"PT4H\",\"requestId\":\"" + requestId + "\""));
    }

    private MessageResult decide(String senderId, String action, String requestId) {
        return sendAs(senderId, "{\"action\":\"" + action + "\",\"pendingRequestId\":\"" + requestId
                + "\",\"reason\":\"change CHG-1\"}");
    }

    @Test
    void anAdminGrant_waitsForApproval_andIsAppliedOnceTheApproverApproves() {
        MessageResult held = adminGrant(CAROL, "admin-1");

        assertThat(held.outcome()).isEqualTo(Outcome.PENDING_APPROVAL);
        assertThat(held.reason()).contains("team-admin-with-approval", TestSenders.APPROVER);
        assertThat(f.cluster.entry(CAROL)).isEmpty();
        assertThat(f.pending.all()).singleElement().satisfies(p -> assertThat(p.approvers())
                .containsExactly(TestSenders.APPROVER));

        MessageResult approval = decide(TestSenders.APPROVER_SENDER, "approve", "admin-1");

        assertThat(approval.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(approval.reason()).contains("completed request admin-1, which ended applied");
        assertThat(f.cluster.policies(CAROL)).containsOnlyKeys(CLUSTER_ADMIN_ARN);
        assertThat(f.pending.all()).isEmpty();
        assertThat(f.ledger.all()).filteredOn(r -> r.requestId().equals("admin-1")).singleElement()
                .satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
                    assertThat(r.senderArn()).isEqualTo(TestSenders.TEAM);
                    assertThat(r.ruleId()).isEqualTo("team-admin-with-approval");
                });
        assertThat(f.states.find(CLUSTER.arn(), CAROL, CLUSTER_ADMIN_ARN).orElseThrow().expiresAt())
                .as("the grant's duration counts from its request").isEqualTo(START.plus(Duration.ofHours(4)));
        assertThat(f.outcomes.statesOf("admin-1"))
                .containsExactly("received", "pending-approval", "approved", "applied");
    }

    @Test
    void theRequester_cannotApproveItsOwnRequest() {
        adminGrant(CAROL, "admin-2");

        MessageResult self = decide(TestSenders.TEAM_SENDER, "approve", "admin-2");

        assertThat(self.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(self.reason()).contains(TestSenders.TEAM + " is not an approver");
        assertThat(f.cluster.entry(CAROL)).isEmpty();
        assertThat(f.pending.all()).singleElement().satisfies(p -> assertThat(p.approval().approvedBy()).isEmpty());
    }

    @Test
    void theApprover_cannotApproveAGrantForItself() {
        adminGrant(TestSenders.APPROVER, "admin-3");

        MessageResult self = decide(TestSenders.APPROVER_SENDER, "approve", "admin-3");

        assertThat(self.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(self.reason()).contains("nobody approves a grant for themselves");
        assertThat(f.cluster.entry(TestSenders.APPROVER)).isEmpty();
    }

    @Test
    void aDenial_endsTheRequest_withTheApproversReason() {
        adminGrant(CAROL, "admin-4");

        MessageResult denial = decide(TestSenders.APPROVER_SENDER, "deny", "admin-4");
        MessageResult lateApproval = decide(TestSenders.APPROVER_SENDER, "approve", "admin-4");

        assertThat(denial.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.ledger.all()).filteredOn(r -> r.requestId().equals("admin-4")).singleElement()
                .satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
                    assertThat(r.outcomeReason()).isEqualTo("denied by " + TestSenders.APPROVER + ": change CHG-1");
                });
        assertThat(lateApproval.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(lateApproval.reason()).contains("no request admin-4 waits for approval");
        assertThat(f.cluster.entry(CAROL)).isEmpty();
        assertThat(f.outcomes.in(OutcomeEvents.State.DENIED)).singleElement()
                .satisfies(e -> assertThat(e.deniedBy()).isEqualTo(TestSenders.APPROVER));
    }

    @Test
    void aRevokeSentAfterTheRequestAndBeforeTheApproval_wins() {
        adminGrant(CAROL, "admin-5");
        f.clock.advance(Duration.ofMinutes(1));
        sendAs(TestSenders.TEAM_SENDER, revoke(CAROL, "AmazonEKSClusterAdminPolicy", ""));

        MessageResult approval = decide(TestSenders.APPROVER_SENDER, "approve", "admin-5");

        assertThat(approval.reason()).contains("which ended ignored: stale");
        assertThat(f.cluster.entry(CAROL)).isEmpty();
    }

    @Test
    void aRequestNotApprovedInTime_isExpiredByTheSweep_andCannotBeApprovedAfterwards() {
        adminGrant(CAROL, "admin-6");
        List<String> queued = new ArrayList<>();
        ExpirySweep sweep = new ExpirySweep(f.states, f.pending, queued::add, f.clock);
        f.clock.advance(Duration.ofHours(23));
        assertThat(sweep.sweep()).isZero();

        f.clock.advance(Duration.ofHours(1));
        assertThat(sweep.sweep()).isEqualTo(1);
        MessageResult forged = sendAs(TestSenders.TEAM_SENDER, queued.getFirst());
        MessageResult expired = sendAs(TestSenders.EXPIRY_SWEEP_SENDER, queued.getFirst());
        MessageResult late = decide(TestSenders.APPROVER_SENDER, "approve", "admin-6");

        assertThat(forged.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(forged.reason()).contains("expire messages are accepted only from the expiry sweep's role");
        assertThat(expired.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(f.ledger.all()).filteredOn(r -> r.requestId().equals("admin-6")).singleElement()
                .satisfies(r -> assertThat(r.outcomeReason()).startsWith("expired: 1 approval(s) still missing"));
        assertThat(late.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(f.cluster.entry(CAROL)).isEmpty();
        assertThat(f.outcomes.statesOf("admin-6")).containsExactly("received", "pending-approval", "expired",
                "rejected");
    }

    @Test
    void theSameGrantSentAgainWhileItWaits_isADuplicate_andKeepsItsApprovals() {
        adminGrant(CAROL, "admin-7");

        MessageResult again = adminGrant(CAROL, "admin-7");

        assertThat(again.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(again.reason()).contains("already pending-approval");
        assertThat(f.pending.all()).hasSize(1);
    }

    @Test
    void twoSendersMayUseOneRequestId_andAnApproverMustThenNameTheRequester() {
        adminGrant(CAROL, "shared-id");
        sendAs(TestSenders.STRANGER_SENDER, grant(CAROL, "AmazonEKSViewPolicy", "{\"type\":\"cluster\"}",
                ",\"requestId\":\"shared-id\""));

        MessageResult approval = decide(TestSenders.APPROVER_SENDER, "approve", "shared-id");

        assertThat(approval.outcome()).as("the stranger's request was rejected, never held").isEqualTo(Outcome.APPLIED);
        assertThat(f.ledger.all()).filteredOn(r -> r.requestId().equals("shared-id")).hasSize(2);
    }

    @Test
    void aDecisionDeliveredAgainAfterItEndedTheGrant_isRecordedAsADuplicate_onTheGrantsCluster() {
        for (String action : List.of("approve", "deny")) {
            String id = "admin-8-" + action;
            adminGrant(CAROL, id);
            String body = "{\"action\":\"" + action + "\",\"pendingRequestId\":\"" + id
                    + "\",\"requestId\":\"decision-" + action + "\"}";
            MessageResult first = sendAs(TestSenders.APPROVER_SENDER, body);
            int eventsBefore = f.outcomes.statesOf(id).size();

            MessageResult again = sendAs(TestSenders.APPROVER_SENDER, body);

            assertThat(first.outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(again.outcome()).as(action).isEqualTo(Outcome.IGNORED);
            assertThat(again.reason()).isEqualTo("duplicate of " + action + " decision-" + action + ", already "
                    + "applied at " + f.ledger.all().stream().filter(r -> r.requestId().equals("decision-" + action))
                    .findFirst().orElseThrow().recordedAt());
            assertThat(f.ledger.duplicates).last().satisfies(d -> {
                assertThat(d.clusterArn()).isEqualTo(CLUSTER.arn());
                assertThat(d.principalArn()).isEqualTo(CAROL);
                assertThat(d.senderArn()).isEqualTo(TestSenders.APPROVER);
            });
            assertThat(f.outcomes.statesOf(id)).as("nothing published again").hasSize(eventsBefore);
        }
        assertThat(f.ledger.all()).filteredOn(r -> r.clusterArn() == null).isEmpty();
    }

    @Test
    void aDifferentDecisionReusingADecidedOnesId_isStillRefused_notTakenForADuplicate() {
        adminGrant(CAROL, "admin-9");
        decide(TestSenders.APPROVER_SENDER, "deny", "admin-9");
        String approve = "{\"action\":\"approve\",\"pendingRequestId\":\"admin-9\",\"requestId\":\"msg-2\"}";

        MessageResult approval = sendAs(TestSenders.APPROVER_SENDER, approve);

        assertThat(approval.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(approval.reason()).contains("no request admin-9 waits for approval");
        assertThat(f.cluster.entry(CAROL)).isEmpty();
    }
}
