package dev.eksaccess.cli;

import static dev.eksaccess.request.AccessRequest.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What grant and revoke share: the flags every request has, and the pipeline flags → message → the grant processor's
 * {@link RequestParser} → {@link AccessRequest#toJson()} → printed or sent. The message is checked by the same code
 * and rules as in Lambda, so a request this command sends is not rejected there for its form.
 */
abstract class RequestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Option(names = "--cluster", required = true, paramLabel = "NAME|ARN",
            description = "Cluster name (in the grant queue's account and region) or cluster ARN.")
    String cluster;

    @Option(names = "--principal", required = true, paramLabel = "ARN",
            description = "IAM role ARN with its path, or IAM user ARN.")
    String principal;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; kept in the audit ledger.")
    String reason;

    @Option(names = "--requested-by", paramLabel = "WHO",
            description = "Who asks; kept in the audit ledger. Default: $USER.")
    String requestedBy;

    @Option(names = "--request-id", paramLabel = "ID",
            description = "Idempotency key: the same id again changes nothing. Default: a new UUID.")
    String requestId;

    @Mixin
    QueueOptions delivery;

    @Option(names = "--dry-run", description = "Validate and print the message (JSON) instead of sending it.")
    boolean dryRun;

    @Option(names = "--allowed-policies", split = ",", paramLabel = "POLICY",
            description = "Policies grants may ask for, as configured for the grant processor (allowedPolicies). "
                    + "Default: $" + CliContext.ALLOWED_POLICIES_VARIABLE + ", else the grant processor's default.")
    List<String> allowedPolicies;

    @Option(names = "--max-grant-duration", paramLabel = "ISO-8601",
            description = "Longest time-bound grant, as configured in the grant processor (MAX_GRANT_DURATION). "
                    + "Default: $" + CliContext.MAX_GRANT_DURATION_VARIABLE + ", else P7D.")
    Duration maxGrantDuration;

    RequestCommand(CliContext context) {
        this.context = context;
    }

    /** {@link Action#GRANT}, {@link Action#REVOKE} or {@link Action#RECOVER}. */
    abstract Action action();

    /** The policy flag's value, or null. */
    abstract String policy();

    /** Adds the fields only this action has. */
    abstract void putActionFields(ObjectNode message);

    @Override
    public Integer call() {
        Optional<QueueUrl> queue = delivery.queue();
        if (queue.isEmpty() && !dryRun) {
            throw usage("no grant queue: give --queue-url or set " + CliContext.QUEUE_URL_VARIABLE
                    + " (or --dry-run to only print the request)");
        }
        // Milliseconds, like SQS timestamps: requests are ordered by it and nanoseconds add nothing but noise.
        Instant now = context.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        String id = requestId != null ? requestId : UUID.randomUUID().toString();
        RequestParser parser = new RequestParser(rules(queue), context.clock());
        ParsedMessage parsed = parser.parse(message(id, now).toString(), new MessageMeta(id, now, null, 1));
        return switch (parsed) {
            case ParsedMessage.Invalid invalid -> FieldFlags.report(spec, action().wireName(), invalid.errors());
            case ParsedMessage.Access access -> dryRun ? print(access.request()) : send(access.request(), queue.get());
            case ParsedMessage.Bootstrap bootstrap -> throw new IllegalStateException("a " + action().wireName()
                    + " command built a bootstrap message");
            case ParsedMessage.Decision decision -> throw new IllegalStateException("a " + action().wireName()
                    + " command built a decision message");
            case ParsedMessage.Restore restore -> throw new IllegalStateException("a " + action().wireName()
                    + " command built a restore message");
        };
    }

    /** The draft message, in the contract's field names; the parser decides whether it is valid. */
    private ObjectNode message(String id, Instant now) {
        ObjectNode message = JsonOutput.JSON.createObjectNode().put(ACTION, action().wireName());
        message.put(clusterByName() ? CLUSTER_NAME : CLUSTER_ARN, cluster);
        message.put(PRINCIPAL_ARN, principal);
        putIfGiven(message, ACCESS_POLICY, policy());
        putActionFields(message);
        message.put(REQUEST_ID, id);
        message.put(REQUESTED_AT, now.toString());
        putIfGiven(message, REQUESTED_BY, requestedBy);
        putIfGiven(message, REASON, reason);
        return message;
    }

    static void putIfGiven(ObjectNode message, String field, String value) {
        if (value != null) {
            message.put(field, value);
        }
    }

    private boolean clusterByName() {
        return !cluster.startsWith("arn:");
    }

    /** The grant processor's rules, as far as the CLI can know them: its defaults unless told otherwise. */
    private RequestRules rules(Optional<QueueUrl> queue) {
        List<String> allowed = allowedPolicies == null || allowedPolicies.isEmpty()
                ? AccessPolicies.DEFAULT_ALLOWED : shortNames(allowedPolicies);
        Duration maximum = maxGrantDuration == null ? RequestRules.DEFAULT_MAX_GRANT_DURATION : maxGrantDuration;
        if (maximum.isNegative() || maximum.isZero()) {
            throw usage("--max-grant-duration must be positive, was " + maximum);
        }
        if (!clusterByName()) {
            // A cluster ARN names its own region and account; the parser reads the home only for cluster names.
            return new RequestRules(allowed, maximum, "", "");
        }
        QueueUrl home = queue.orElseThrow(() -> usage("--cluster " + cluster + " is a name, which the grant "
                + "processor looks up in its own account and region: give the grant queue (--queue-url or "
                + CliContext.QUEUE_URL_VARIABLE + "), whose URL names them, or the cluster ARN"));
        return new RequestRules(allowed, maximum, delivery.region(home).id(), home.accountId());
    }

    private List<String> shortNames(List<String> policies) {
        List<String> names = new ArrayList<>();
        for (String policy : policies) {
            names.add(AccessPolicies.shortNameOf(policy.trim()).orElseThrow(() -> usage(
                    "--allowed-policies: '" + policy + "' is not an EKS access policy name or ARN")));
        }
        return names;
    }

    private int print(AccessRequest request) {
        JsonOutput.print(spec.commandLine().getOut(), JsonOutput.read(request.toJson()));
        return ExitCodes.OK;
    }

    private int send(AccessRequest request, QueueUrl queue) {
        Optional<String> messageId = delivery.send(context.sqs(), queue, request.toJson());
        if (messageId.isEmpty()) {
            return ExitCodes.AWS_FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("messageId: " + messageId.get());
        out.println("requestId: " + request.requestId());
        out.flush();
        return ExitCodes.OK;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
