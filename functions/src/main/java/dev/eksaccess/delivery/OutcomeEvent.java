package dev.eksaccess.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.authz.PendingApproval;
import dev.eksaccess.authz.Sender;
import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.json.Json;
import dev.eksaccess.model.ClusterRef;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One state change of a request, as published on the outcome bus ({@link OutcomeEvents}); {@link #detailJson()} is
 * the event's detail, whose schema is contract's {@code outcome-event-v1.schema.json}.
 *
 * @param requestId        the request's id
 * @param state            the state it entered
 * @param reason           why, or what was done
 * @param at               when
 * @param action           grant, revoke, migrate, recover, restore, bootstrap, approve, deny, expire, or unknown
 * @param sender           who sent it: the resolved ARN (null when unknown), session and raw SQS SenderId
 * @param requestedBy      free text from the message, or null
 * @param cluster          the cluster, or null
 * @param principalArn     whose access, or null
 * @param policy           the policy's short name, or null
 * @param scope            a grant's scope, or null
 * @param expiresAt        a time-bound grant's end, or null
 * @param ruleId           the eligibility rule that allowed or holds it, or null
 * @param breakGlass       a break-glass rule allowed it
 * @param approval         the approval it waits for or got, with its approvers, or empty
 * @param deniedBy         who denied it, or null
 * @param pendingRequestId for decisions: the request they decide, or null
 */
public record OutcomeEvent(String requestId, OutcomeEvents.State state, String reason, Instant at, String action,
                           SenderRef sender, String requestedBy, ClusterRef cluster, String principalArn,
                           String policy, AccessScope scope, Instant expiresAt, String ruleId, boolean breakGlass,
                           Optional<Approval> approval, String deniedBy, String pendingRequestId) {

    public OutcomeEvent {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(approval, "approval");
    }

    /** Who sent a message: resolved or not. */
    public record SenderRef(String arn, String session, String id) {

        public static SenderRef of(Optional<Sender> sender, String rawSenderId) {
            return sender.map(s -> new SenderRef(s.arn(), s.session().orElse(null), s.raw()))
                    .orElseGet(() -> new SenderRef(null, null, rawSenderId));
        }
    }

    /** The approval a held grant waits for. */
    public record Approval(List<String> approvers, PendingApproval pending) {

        public Approval {
            approvers = List.copyOf(approvers);
        }
    }

    /** The same event in another state, with another reason. */
    public OutcomeEvent to(OutcomeEvents.State next, String nextReason) {
        return new OutcomeEvent(requestId, next, nextReason, at, action, sender, requestedBy, cluster, principalArn,
                policy, scope, expiresAt, ruleId, breakGlass, approval, deniedBy, pendingRequestId);
    }

    /** The detail of the EventBridge event. */
    public String detailJson() {
        return Json.object(json -> {
            json.writeNumberField("schemaVersion", OutcomeEvents.SCHEMA_VERSION);
            json.writeStringField("requestId", requestId);
            json.writeStringField("state", state.wireName());
            json.writeStringField("reason", reason);
            json.writeStringField("at", at.toString());
            json.writeStringField("action", action);
            json.writeObjectFieldStart("sender");
            json.writeStringField("arn", sender.arn());
            json.writeStringField("session", sender.session());
            json.writeStringField("id", sender.id());
            json.writeEndObject();
            json.writeStringField("requestedBy", requestedBy);
            if (cluster == null) {
                json.writeNullField("cluster");
            } else {
                json.writeObjectFieldStart("cluster");
                json.writeStringField("arn", cluster.arn());
                json.writeStringField("name", cluster.name());
                json.writeStringField("account", cluster.accountId());
                json.writeStringField("region", cluster.region());
                json.writeEndObject();
            }
            json.writeStringField("principalArn", principalArn);
            json.writeStringField("policy", policy);
            writeScope(json);
            json.writeStringField("expiresAt", expiresAt == null ? null : expiresAt.toString());
            json.writeStringField("rule", ruleId);
            json.writeBooleanField("breakGlass", breakGlass);
            if (approval.isEmpty()) {
                json.writeNullField("approval");
            } else {
                PendingApproval pending = approval.get().pending();
                json.writeObjectFieldStart("approval");
                json.writeNumberField("required", pending.required());
                Json.writeStrings(json, "approvers", approval.get().approvers());
                Json.writeStrings(json, "approvedBy", pending.approvedBy());
                json.writeStringField("deniedBy", deniedBy);
                json.writeStringField("expiresAt", pending.expiresAt().toString());
                json.writeEndObject();
            }
            json.writeStringField("pendingRequestId", pendingRequestId);
        });
    }

    private void writeScope(JsonGenerator json) throws IOException {
        if (scope == null) {
            json.writeNullField("scope");
            return;
        }
        json.writeObjectFieldStart("scope");
        json.writeStringField("type", scope.type().wireName());
        if (scope.type() == AccessScope.Type.NAMESPACE) {
            Json.writeStrings(json, "namespaces", scope.namespaces());
        }
        json.writeEndObject();
    }
}
