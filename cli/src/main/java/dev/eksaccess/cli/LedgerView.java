package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.cli.Ledger.AuditRecord;
import dev.eksaccess.cli.Ledger.PendingApproval;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How {@code status} and {@code pending} show ledger items: as labelled blocks for people, or as JSON objects of a
 * fixed shape (every key present, null when the ledger has no value) for scripts.
 */
final class LedgerView {

    /** The {@code state} of a request that waits for approval, in JSON and text. */
    static final String PENDING_APPROVAL = "pending-approval";
    /** The {@code state} of one whose expiry passed, until the expiry sweep rejects it. */
    static final String EXPIRED = "expired";

    private static final int LABEL_WIDTH = 13;

    private final Instant now;

    LedgerView(Instant now) {
        this.now = now;
    }

    // ------------------------------------------------------------------ text

    void print(PrintWriter out, AuditRecord record) {
        out.println("audit record of request " + record.requestId());
        line(out, "outcome", record.outcomeReason() == null ? record.outcome()
                : record.outcome() + ": " + record.outcomeReason());
        line(out, "action", record.action());
        line(out, "cluster", record.clusterArn());
        line(out, "principal", record.principalArn());
        line(out, "policy", record.policy());
        line(out, "sender", sender(record));
        line(out, "requested", requested(record.requestedAt(), record.requestedBy()));
        line(out, "reason", record.reason());
        line(out, "rule", record.ruleId());
        line(out, "recorded", record.recordedAt());
    }

    /**
     * @param ambiguousIds ids that requests of several senders wait under: deciding those needs {@code --requester}
     */
    void print(PrintWriter out, PendingApproval pending, Set<String> ambiguousIds) {
        boolean expired = pending.expiredAt(now);
        out.println("pending request " + pending.requestId());
        line(out, "state", expired ? "expired, not approved in time (the expiry sweep rejects it shortly)"
                : "waiting for approval: " + pending.approvedBy().size() + " of " + required(pending)
                + " approvals");
        line(out, "cluster", pending.clusterArn());
        line(out, "principal", pending.principalArn());
        line(out, "policy", pending.policy());
        line(out, "requester", session(pending.requesterArn(), pending.requesterSession()));
        line(out, "requested", requested(pending.createdAt(), pending.requestedBy()));
        line(out, "reason", pending.reason());
        line(out, "rule", pending.ruleId());
        lines(out, "approved by", pending.approvedBy().isEmpty() ? List.of("nobody yet") : pending.approvedBy());
        lines(out, "approvers", pending.approvers());
        line(out, "expires", pending.expiresAt() == null ? null : pending.expiresAt() + expiryNote(pending));
        if (!expired) {
            line(out, "decide", "eks-access approve|deny " + pending.requestId()
                    + (ambiguousIds.contains(pending.requestId()) ? " --requester " + pending.requesterArn() : ""));
        }
    }

    /** Ids that more than one pending request uses. */
    static Set<String> ambiguousIds(Collection<PendingApproval> pending) {
        return pending.stream().map(PendingApproval::requestId)
                .filter(id -> pending.stream().filter(p -> id.equals(p.requestId())).count() > 1)
                .collect(Collectors.toSet());
    }

    private static String required(PendingApproval pending) {
        return pending.required() == null ? "?" : pending.required().toString();
    }

    private String expiryNote(PendingApproval pending) {
        return pending.expiry().map(expiry -> now.isAfter(expiry)
                ? " (" + span(Duration.between(expiry, now)) + " ago)"
                : " (in " + span(Duration.between(now, expiry)) + ")").orElse("");
    }

    /** {@code 2d 3h}, {@code 5h 12m}, {@code 4m}, {@code 30s}: two units at most, for people. */
    static String span(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        long days = duration.toDays();
        long hours = duration.toHoursPart();
        long minutes = duration.toMinutesPart();
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        return hours > 0 ? hours + "h " + minutes + "m" : minutes + "m";
    }

    private static String sender(AuditRecord record) {
        if (record.senderArn() != null) {
            return session(record.senderArn(), record.senderSession());
        }
        return record.senderId() == null ? null : "unknown (SQS sender id " + record.senderId() + ")";
    }

    private static String session(String arn, String session) {
        if (arn == null) {
            return null;
        }
        return session == null ? arn : arn + ", session " + session;
    }

    private static String requested(String at, String by) {
        if (at == null) {
            return by == null ? null : "by " + by;
        }
        return by == null ? at : at + " by " + by;
    }

    /** {@code  label:      value}; nothing when there is no value. */
    private static void line(PrintWriter out, String label, String value) {
        if (value != null) {
            out.println("  " + padded(label + ":") + value);
        }
    }

    /** The first value after the label, the others aligned below it. */
    private static void lines(PrintWriter out, String label, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            out.println("  " + padded(i == 0 ? label + ":" : "") + values.get(i));
        }
    }

    private static String padded(String label) {
        return label.length() >= LABEL_WIDTH ? label + " " : label + " ".repeat(LABEL_WIDTH - label.length());
    }

    // ------------------------------------------------------------------ JSON

    ObjectNode json(AuditRecord record) {
        ObjectNode json = JsonOutput.JSON.createObjectNode()
                .put("requestId", record.requestId())
                .put("action", record.action())
                .put("outcome", record.outcome())
                .put("outcomeReason", record.outcomeReason())
                .put("clusterArn", record.clusterArn())
                .put("principalArn", record.principalArn())
                .put("policy", record.policy());
        json.putObject("sender").put("arn", record.senderArn()).put("session", record.senderSession())
                .put("id", record.senderId());
        return json.put("requestedBy", record.requestedBy())
                .put("reason", record.reason())
                .put("requestedAt", record.requestedAt())
                .put("ruleId", record.ruleId())
                .put("recordedAt", record.recordedAt());
    }

    ObjectNode json(PendingApproval pending) {
        ObjectNode json = JsonOutput.JSON.createObjectNode()
                .put("requestId", pending.requestId())
                .put("state", pending.expiredAt(now) ? EXPIRED : PENDING_APPROVAL)
                .put("clusterArn", pending.clusterArn())
                .put("principalArn", pending.principalArn())
                .put("policy", pending.policy());
        json.putObject("requester").put("arn", pending.requesterArn()).put("session", pending.requesterSession());
        json.put("requestedBy", pending.requestedBy())
                .put("reason", pending.reason())
                .put("ruleId", pending.ruleId());
        ObjectNode approval = json.putObject("approval").put("required", pending.required());
        strings(approval.putArray("approvedBy"), pending.approvedBy());
        strings(approval.putArray("approvers"), pending.approvers());
        return json.put("createdAt", pending.createdAt()).put("expiresAt", pending.expiresAt());
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
