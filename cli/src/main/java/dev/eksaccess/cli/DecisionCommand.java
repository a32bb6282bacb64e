package dev.eksaccess.cli;

import static dev.eksaccess.request.AccessRequest.ACTION;
import static dev.eksaccess.request.AccessRequest.REASON;
import static dev.eksaccess.request.AccessRequest.REQUESTED_BY;
import static dev.eksaccess.request.AccessRequest.REQUEST_ID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.contract.IamPrincipal;
import dev.eksaccess.contract.RequestIds;
import dev.eksaccess.request.FieldError;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What approve and deny share: an approver's answer to a request that waits for approval, as contract v1 has it
 * ({@code access-request-v1.schema.json}, {@code $defs/decision}), checked here and sent to the grant queue. Only the
 * form is checked here: whether the sender may decide (an approver of the rule that holds the request, neither its
 * requester nor its principal) is the grant processor's to judge, by the message's SQS sender.
 */
abstract class DecisionCommand implements Callable<Integer> {

    /** The decision's fields beyond those every request has. */
    static final String PENDING_REQUEST_ID = "pendingRequestId";
    static final String REQUESTER = "requester";

    /** The contract's request id ({@code $defs/requestId}), for the pending request's id and the decision's own. */
    static final Pattern REQUEST_ID_SYNTAX = Pattern.compile("[\\w:.@/+=-]{1,128}");
    /** The contract's audit text ({@code $defs/auditText}): not blank, at most this long. */
    static final int MAX_TEXT_LENGTH = 1024;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "PENDING_REQUEST_ID",
            description = "Id of the request that waits for approval (eks-access pending lists them).")
    String pendingRequestId;

    @Option(names = "--requester", paramLabel = "ARN",
            description = "IAM role or user ARN of the request's sender: needed only when requests of two senders "
                    + "that wait for approval share the id (eks-access status ID shows them).")
    String requester;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; kept in the audit ledger.")
    String reason;

    @Option(names = "--requested-by", paramLabel = "WHO",
            description = "Who decides; kept in the audit ledger. Default: $USER. The grant processor judges by the "
                    + "message's SQS sender, never by this.")
    String requestedBy;

    @Option(names = "--request-id", paramLabel = "ID",
            description = "This decision's own id (idempotency key): the same id again changes nothing. "
                    + "Default: a new UUID.")
    String requestId;

    @Mixin
    QueueOptions delivery;

    @Option(names = "--dry-run", description = "Check and print the message (JSON) instead of sending it.")
    boolean dryRun;

    DecisionCommand(CliContext context) {
        this.context = context;
    }

    /** {@code approve} or {@code deny}, as on the wire. */
    abstract String action();

    @Override
    public Integer call() {
        Optional<QueueUrl> queue = delivery.queue();
        if (queue.isEmpty() && !dryRun) {
            throw new ParameterException(spec.commandLine(), "no grant queue: give --queue-url or set "
                    + CliContext.QUEUE_URL_VARIABLE + " (or --dry-run to only print the message)");
        }
        String id = requestId != null ? requestId : UUID.randomUUID().toString();
        List<FieldError> problems = problems(id);
        if (!problems.isEmpty()) {
            return FieldFlags.report(spec, action(), problems);
        }
        ObjectNode message = message(id);
        if (dryRun) {
            JsonOutput.print(spec.commandLine().getOut(), message);
            return ExitCodes.OK;
        }
        Optional<String> messageId = delivery.send(context.sqs(), queue.get(), message.toString());
        if (messageId.isEmpty()) {
            return ExitCodes.AWS_FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("messageId: " + messageId.get());
        out.println("requestId: " + id);
        out.println("follow the request:  eks-access status " + pendingRequestId);
        out.println("follow the decision: eks-access status " + id);
        out.flush();
        return ExitCodes.OK;
    }

    /** Every way the message would break the contract, each with its field; empty when it keeps to it. */
    private List<FieldError> problems(String id) {
        List<FieldError> problems = new ArrayList<>();
        requestIdProblem(pendingRequestId, "none of the system's own requests waits for approval")
                .ifPresent(problem -> problems.add(new FieldError(PENDING_REQUEST_ID, problem)));
        if (requester != null) {
            IamPrincipal.problemWith(requester).ifPresent(problem -> problems.add(new FieldError(REQUESTER, problem)));
        }
        requestIdProblem(id, "the grant processor rejects it from anyone else")
                .ifPresent(problem -> problems.add(new FieldError(REQUEST_ID, problem)));
        textProblem(requestedBy).ifPresent(problem -> problems.add(new FieldError(REQUESTED_BY, problem)));
        textProblem(reason).ifPresent(problem -> problems.add(new FieldError(REASON, problem)));
        return problems;
    }

    /** Why {@code id} is not a request id a team may use, or empty; {@code whyReserved} follows a reserved prefix. */
    static Optional<String> requestIdProblem(String id, String whyReserved) {
        if (!REQUEST_ID_SYNTAX.matcher(id).matches()) {
            return Optional.of("'" + id + "' must be 1-128 letters, digits or any of _:.@/+=-");
        }
        return RequestIds.reservedPrefixOf(id).map(prefix -> "'" + id + "' starts with " + prefix
                + ", which is reserved for the system's own requests: " + whyReserved);
    }

    private static Optional<String> textProblem(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.isBlank()) {
            return Optional.of("must not be blank");
        }
        return text.length() > MAX_TEXT_LENGTH
                ? Optional.of("is longer than " + MAX_TEXT_LENGTH + " characters") : Optional.empty();
    }

    /** The message in the contract's field order: what it decides, then who and why. */
    private ObjectNode message(String id) {
        ObjectNode message = JsonOutput.JSON.createObjectNode().put(ACTION, action());
        message.put(PENDING_REQUEST_ID, pendingRequestId);
        RequestCommand.putIfGiven(message, REQUESTER, requester);
        message.put(REQUEST_ID, id);
        RequestCommand.putIfGiven(message, REQUESTED_BY, requestedBy);
        RequestCommand.putIfGiven(message, REASON, reason);
        return message;
    }
}
