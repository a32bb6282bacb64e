package dev.eksaccess.request;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The outcome of parsing a queue message: a grant or revoke, a bootstrap, a decision on a
 * request that waits for approval, or a list of everything wrong with it. */
public sealed interface ParsedMessage {

    /** The request id (given, or the queue's message id). */
    String requestId();

    /** The cluster ARN when it could be determined, else null. */
    String clusterArn();

    /** The principal ARN when present (even if invalid), else null. */
    String principalArn();

    /** The action's wire name ({@code grant}, {@code bootstrap}, {@code approve}, …), or null when unreadable. */
    String action();

    /** {@code requestedBy} as given or defaulted (audit text only), or null. */
    String requestedBy();

    /** The message's {@code reason} (audit text only), or null. */
    String reason();

    /**
     * A valid grant or revoke.
     *
     * @param requestedAtAsSent the {@code requestedAt} the message gave when it lay after the message's SQS
     *                          SentTimestamp, which the request uses instead; empty when it was not capped
     */
    record Access(AccessRequest request, Optional<Instant> requestedAtAsSent) implements ParsedMessage {

        public Access(AccessRequest request) {
            this(request, Optional.empty());
        }

        /** What the ledger says about the capped {@code requestedAt}, if it was capped. */
        public Optional<String> requestedAtNote() {
            return requestedAtAsSent.map(asSent -> "requestedAt " + asSent + " lay after the message's SQS "
                    + "SentTimestamp; " + request.requestedAt() + " was used instead");
        }

        public String requestId() {
            return request.requestId();
        }

        public String clusterArn() {
            return request.cluster().arn();
        }

        public String principalArn() {
            return request.principalArn();
        }

        public String action() {
            return request.action().wireName();
        }

        public String requestedBy() {
            return request.requestedBy();
        }

        public String reason() {
            return request.reason();
        }
    }

    /** A valid bootstrap request. */
    record Bootstrap(BootstrapRequest request) implements ParsedMessage {
        public String requestId() {
            return request.requestId();
        }

        public String clusterArn() {
            return request.clusterArn();
        }

        public String principalArn() {
            return null;
        }

        public String action() {
            return Action.BOOTSTRAP.wireName();
        }

        public String requestedBy() {
            return request.requestedBy();
        }

        public String reason() {
            return null;
        }
    }

    /** A valid restore request from the drift function. */
    record Restore(RestoreRequest request) implements ParsedMessage {
        public String requestId() {
            return request.requestId();
        }

        public String clusterArn() {
            return request.cluster().arn();
        }

        public String principalArn() {
            return request.principalArn();
        }

        public String action() {
            return Action.RESTORE.wireName();
        }

        public String requestedBy() {
            return request.requestedBy();
        }

        public String reason() {
            return "restores what CloudTrail event " + request.causeEventId() + " changed";
        }
    }

    /** A valid approve, deny or expire message; it names no cluster or principal until its request is found. */
    record Decision(DecisionRequest request) implements ParsedMessage {
        public String requestId() {
            return request.requestId();
        }

        public String clusterArn() {
            return null;
        }

        public String principalArn() {
            return null;
        }

        public String action() {
            return request.action().wireName();
        }

        public String requestedBy() {
            return request.requestedBy();
        }

        public String reason() {
            return request.reason();
        }
    }

    /** A message that is rejected without any AWS call; {@code errors} is never empty. */
    record Invalid(List<FieldError> errors, String requestId, String clusterArn, String principalArn,
                   String requestedBy, String reason) implements ParsedMessage {
        public Invalid {
            errors = List.copyOf(errors);
        }

        public String action() {
            return null;
        }

        /** Every error in one sentence. */
        public String rejectionReason() {
            return FieldError.join(errors);
        }
    }
}
