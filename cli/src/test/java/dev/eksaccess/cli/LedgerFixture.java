package dev.eksaccess.cli;

import dev.eksaccess.contract.Tables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Ledger items in the layout the grant processor writes (docs/cli.md, "status"), and one ledger's worth of them: the
 * same scenario for the unit tests (an in-memory DynamoDB) and the integration tests (dynalite). The clock of the
 * scenario is {@link CliHarness#NOW}, 2026-11-28T10:00:00Z.
 */
final class LedgerFixture {

    static final String ACCOUNT = "111122223333";
    static final String CLUSTER = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod";
    static final String ADMIN = "AmazonEKSClusterAdminPolicy";
    static final String DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";
    static final String CI = "arn:aws:iam::111122223333:role/teams/payments-ci";
    static final String OPS = "arn:aws:iam::111122223333:role/teams/ops-ci";
    static final String SRE_LEAD = "arn:aws:iam::111122223333:role/platform/sre-lead";
    static final String SRE_ONCALL = "arn:aws:iam::111122223333:role/platform/sre-oncall";
    static final String CAROL = "arn:aws:iam::111122223333:user/auditors/carol";
    /** What STS says of a session of {@link #SRE_LEAD}: no path. */
    static final String SRE_LEAD_SESSION = "arn:aws:sts::111122223333:assumed-role/sre-lead/bob@example.com";
    static final String SRE_ONCALL_SESSION = "arn:aws:sts::111122223333:assumed-role/sre-oncall/dan";

    private LedgerFixture() {
    }

    /**
     * The scenario:
     * <ul>
     * <li>{@code payments-admin-42}: CI's grant of cluster admin to DEV waits for 2 of SRE_LEAD, SRE_ONCALL and
     * CAROL, SRE_LEAD approved; OPS sent a request with the same id, rejected.</li>
     * <li>{@code payments-admin-420}: another CI request, for SRE_ONCALL alone (its id starts with the first's).</li>
     * <li>{@code oncall-5}: sent by SRE_ONCALL, one of its approvers; {@code lead-6}: grants SRE_LEAD, one of its
     * approvers.</li>
     * <li>{@code deploy-1}: CI and OPS both wait under this id, for SRE_ONCALL.</li>
     * <li>{@code old-3}: expired a minute ago, not yet swept.</li>
     * </ul>
     */
    static List<Map<String, AttributeValue>> scenario() {
        return List.of(
                audit("payments-admin-42", CI, "run-7", "AROACIEXAMPLE0000001", "pending-approval",
                        "held for 2 approvals (rule payments-admin)", "payments-admin", "2026-11-28T09:00:00.123Z"),
                audit("payments-admin-42", OPS, "nightly", "AROAOPSEXAMPLE000001", "rejected",
                        "not eligible: no rule of arn:aws:iam::111122223333:role/teams/ops-ci allows "
                                + "AmazonEKSClusterAdminPolicy", null, "2026-11-28T09:30:00.000Z"),
                pending("payments-admin-42", CI, "run-7", DEV, List.of(SRE_LEAD, SRE_ONCALL, CAROL), 2,
                        List.of(SRE_LEAD), "2026-11-29T09:00:00.000Z", "2026-11-28T09:00:00.123Z"),
                pending("payments-admin-420", CI, "run-8", DEV, List.of(SRE_ONCALL), 1, List.of(),
                        "2026-11-29T09:10:00.000Z", "2026-11-28T09:10:00.000Z"),
                pending("oncall-5", SRE_ONCALL, "dan", DEV, List.of(SRE_LEAD, SRE_ONCALL), 1, List.of(),
                        "2026-11-28T18:00:00.000Z", "2026-11-28T08:00:00.000Z"),
                pending("lead-6", CI, "run-9", SRE_LEAD, List.of(SRE_LEAD, SRE_ONCALL), 1, List.of(),
                        "2026-11-28T12:00:00.000Z", "2026-11-28T08:30:00.000Z"),
                pending("deploy-1", CI, "run-1", DEV, List.of(SRE_ONCALL), 1, List.of(),
                        "2026-11-28T11:00:00.000Z", "2026-11-28T07:00:00.000Z"),
                pending("deploy-1", OPS, "nightly", DEV, List.of(SRE_ONCALL), 1, List.of(),
                        "2026-11-28T11:30:00.000Z", "2026-11-28T07:30:00.000Z"),
                pending("old-3", CI, "run-0", DEV, List.of(SRE_LEAD, SRE_ONCALL), 1, List.of(),
                        "2026-11-28T09:59:00.000Z", "2026-11-27T09:59:00.000Z"));
    }

    /** An audit record of a grant of {@link #ADMIN} to {@link #DEV} on {@link #CLUSTER}. */
    static Map<String, AttributeValue> audit(String requestId, String senderArn, String session, String senderId,
                                             String outcome, String outcomeReason, String ruleId, String recordedAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Tables.LEDGER_PARTITION_KEY, s("CLUSTER#" + CLUSTER));
        item.put(Tables.LEDGER_SORT_KEY, s("REQUEST#" + senderId + "#" + requestId));
        item.put("itemType", s("audit"));
        item.put("requestId", s(requestId));
        item.put("clusterArn", s(CLUSTER));
        item.put("principalArn", s(DEV));
        item.put("action", s("grant"));
        item.put("policy", s(ADMIN));
        item.put("senderId", s(senderId + ":" + session));
        item.put("senderArn", s(senderArn));
        item.put("senderSession", s(session));
        item.put("requestedBy", s("alice"));
        item.put("reason", s("INC-4711"));
        item.put("requestedAt", s(recordedAt.substring(0, 19) + ".000Z"));
        item.put("outcome", s(outcome));
        item.put("outcomeReason", s(outcomeReason));
        if (ruleId != null) {
            item.put("ruleId", s(ruleId));
        }
        item.put("recordedAt", s(recordedAt));
        return item;
    }

    /** A request for {@link #ADMIN} on {@link #CLUSTER} that waits for approval under rule payments-admin. */
    static Map<String, AttributeValue> pending(String requestId, String requester, String session, String principal,
                                               List<String> approvers, int required, List<String> approvedBy,
                                               String expiresAt, String createdAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Tables.LEDGER_PARTITION_KEY, s("PENDING"));
        item.put(Tables.LEDGER_SORT_KEY, s(requestId + "#" + requester));
        item.put("itemType", s("pending-approval"));
        item.put("pendingRequestId", s(requestId));
        item.put("requesterArn", s(requester));
        item.put("requesterSession", s(session));
        item.put("clusterArn", s(CLUSTER));
        item.put("principalArn", s(principal));
        item.put("policy", s(ADMIN));
        item.put("ruleId", s("payments-admin"));
        item.put("approvers", list(approvers));
        item.put("required", AttributeValue.fromN(Integer.toString(required)));
        item.put("approvedBy", list(approvedBy));
        item.put("expiresAt", s(expiresAt));
        item.put("createdAt", s(createdAt));
        item.put("requestedBy", s("alice"));
        item.put("reason", s("INC-4711"));
        return item;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue list(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }
}
