package dev.eksaccess.cli;

import static dev.eksaccess.request.AccessRequest.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What grant and revoke share: the flags every request has, and the pipeline flags → message → the grant processor's
 * {@link RequestParser} → {@link AccessRequest#toJson()} → printed or sent. The message is checked by the same code
 * and rules as in Lambda, so a request this command sends is not rejected there for its form.
 */
abstract class RequestCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Option(names = "--queue-url", paramLabel = "URL",
            description = "The grant queue. Default: $" + CliContext.QUEUE_URL_VARIABLE + ".")
    String queueUrl;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region of the queue. Default: from an AWS queue URL, else the SDK's region chain "
                    + "(AWS_REGION, profile).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "SQS endpoint override, e.g. LocalStack's http://localhost:4566.")
    URI endpointUrl;

    @Option(names = "--dry-run", description = "Validate and print the message (JSON) instead of sending it.")
    boolean dryRun;

    @Option(names = "--allowed-policies", split = ",", paramLabel = "POLICY",
            description = "Policies grants may ask for, as configured in the grant processor (ALLOWED_POLICIES). "
                    + "Default: $" + CliContext.ALLOWED_POLICIES_VARIABLE + ", else the grant processor's default.")
    List<String> allowedPolicies;

    @Option(names = "--max-grant-duration", paramLabel = "ISO-8601",
            description = "Longest time-bound grant, as configured in the grant processor (MAX_GRANT_DURATION). "
                    + "Default: $" + CliContext.MAX_GRANT_DURATION_VARIABLE + ", else P7D.")
    Duration maxGrantDuration;

    RequestCommand(CliContext context) {
        this.context = context;
    }

    /** {@link Action#GRANT} or {@link Action#REVOKE}. */
    abstract Action action();

    /** The policy flag's value, or null. */
    abstract String policy();

    /** Adds the fields only this action has. */
    abstract void putActionFields(ObjectNode message);

    @Override
    public Integer call() {
        Optional<QueueUrl> queue = queue();
        if (endpointUrl != null && (endpointUrl.getHost() == null
                || !("http".equals(endpointUrl.getScheme()) || "https".equals(endpointUrl.getScheme())))) {
            throw usage("--endpoint-url: '" + endpointUrl + "' is not an http(s) URL such as http://localhost:4566");
        }
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
            case ParsedMessage.Invalid invalid -> rejected(invalid);
            case ParsedMessage.Access access -> dryRun ? print(access.request()) : send(access.request(), queue.get());
            case ParsedMessage.Bootstrap bootstrap -> throw new IllegalStateException("a " + action().wireName()
                    + " command built a bootstrap message");
        };
    }

    /** The draft message, in the contract's field names; the parser decides whether it is valid. */
    private ObjectNode message(String id, Instant now) {
        ObjectNode message = JSON.createObjectNode().put(ACTION, action().wireName());
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
        return new RequestRules(allowed, maximum, region(home).id(), home.accountId());
    }

    private List<String> shortNames(List<String> policies) {
        List<String> names = new ArrayList<>();
        for (String policy : policies) {
            names.add(AccessPolicies.shortNameOf(policy.trim()).orElseThrow(() -> usage(
                    "--allowed-policies: '" + policy + "' is not an EKS access policy name or ARN")));
        }
        return names;
    }

    private Optional<QueueUrl> queue() {
        if (queueUrl == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(QueueUrl.parse(queueUrl.trim()));
        } catch (IllegalArgumentException e) {
            throw usage("--queue-url: " + e.getMessage());
        }
    }

    /** The region to sign for and to resolve cluster names in: --region, the AWS queue host, the SDK's chain. */
    private Region region(QueueUrl queue) {
        if (region != null) {
            Region given = Region.of(region.trim());
            if (queue.hostRegion().isPresent() && !queue.hostRegion().get().equals(given)) {
                throw usage("--region " + given + " does not match the queue URL's region "
                        + queue.hostRegion().get());
            }
            return given;
        }
        if (queue.hostRegion().isPresent()) {
            return queue.hostRegion().get();
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            throw usage("no region for queue " + queue.url() + ": give --region or set AWS_REGION");
        }
    }

    private int rejected(ParsedMessage.Invalid invalid) {
        PrintWriter err = spec.commandLine().getErr();
        int count = invalid.errors().size();
        err.println("eks-access: the " + action().wireName() + " request is invalid (" + count
                + (count == 1 ? " problem" : " problems") + "):");
        invalid.errors().forEach(error -> err.println("  " + FieldFlags.describe(error)));
        err.flush();
        return ExitCodes.INVALID_REQUEST;
    }

    private int print(AccessRequest request) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(request.toJson())));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("re-reading our own JSON", e);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int send(AccessRequest request, QueueUrl queue) {
        Region signingRegion = region(queue);
        String body = request.toJson();
        try (SqsClient sqs = context.sqs().connect(signingRegion, Optional.ofNullable(endpointUrl))) {
            String messageId = sqs.sendMessage(r -> r.queueUrl(queue.url()).messageBody(body)).messageId();
            PrintWriter out = spec.commandLine().getOut();
            out.println("messageId: " + messageId);
            out.println("requestId: " + request.requestId());
            out.flush();
            return ExitCodes.OK;
        } catch (SdkException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("eks-access: could not send the request to " + queue.url() + ": " + e.getMessage());
            err.flush();
            return ExitCodes.SEND_FAILED;
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
