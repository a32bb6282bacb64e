package dev.eksaccess.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * Outcome events: every state change of a request, published on an EventBridge bus so that requesters, chat and
 * ticket systems subscribe with a rule instead of code. The detail's shape is {@code outcome-event-v1.schema.json}
 * next to this class; docs/authorization.md has examples and filter patterns.
 *
 * <p>Why EventBridge and not SNS: rules filter on any field of the detail (sender, cluster, state, policy, prefixes,
 * anything-but), API destinations post to chat and ticket systems without a Lambda, and archives replay history; SNS
 * filters on message attributes or a few body fields and needs a subscriber that can speak HTTP(S).
 */
public final class OutcomeEvents {

    /** The events' {@code source}. */
    public static final String SOURCE = "eks-access";
    /** The events' {@code detail-type}. */
    public static final String DETAIL_TYPE = "EKS Access Request State Change";
    /** The detail's {@code schemaVersion}. */
    public static final int SCHEMA_VERSION = 1;
    /**
     * The {@code detail-type} of a change someone else made to a cluster's access (docs/drift.md): one event per
     * recorded change, same source and bus, detail {@code external-change-event-v1.schema.json}.
     */
    public static final String EXTERNAL_CHANGE_DETAIL_TYPE = "EKS Access External Change";
    /**
     * The {@code severity} of an external change that may leave nobody able to reach the cluster: in the event's
     * detail and the function's log line, where the stack's alarm counts it.
     */
    public static final String LOCKOUT_RISK_SEVERITY = "lockout-risk";
    /** The external-change detail's {@code schemaVersion}. */
    public static final int EXTERNAL_CHANGE_SCHEMA_VERSION = 1;

    /** A request's states, in the order a request may pass them. */
    public enum State {
        /** A known sender's message was read; its checks follow. */
        RECEIVED("received"),
        /** Held until enough approvers approve; nothing applied yet. */
        PENDING_APPROVAL("pending-approval"),
        /** Enough approvals; the grant is applied next. */
        APPROVED("approved"),
        /** An approver said no; nothing applied. */
        DENIED("denied"),
        /** The grant (or bootstrap) is in effect. */
        APPLIED("applied"),
        /** The revoke is in effect. */
        REVOKED("revoked"),
        /** Refused, with the reason: invalid, not eligible, unsafe, or EKS said no. */
        REJECTED("rejected"),
        /** Waited for approval longer than its rule allows. */
        EXPIRED("expired"),
        /** Changed nothing: a duplicate, or stale behind a newer request. */
        IGNORED("ignored");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<State> fromWire(String value) {
            return Arrays.stream(values()).filter(s -> s.wireName.equals(value)).findFirst();
        }
    }

    private OutcomeEvents() {
    }
}
