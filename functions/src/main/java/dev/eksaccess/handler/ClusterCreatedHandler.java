package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.Environment;
import dev.eksaccess.creation.BootstrapPlanner;
import dev.eksaccess.creation.BootstrapQueue;
import dev.eksaccess.creation.CloudTrailEventParser;
import dev.eksaccess.creation.ClusterCreated;
import dev.eksaccess.creation.ClusterCreationService;
import dev.eksaccess.creation.CreateClusterCall;
import dev.eksaccess.creation.CreationOutcome;
import dev.eksaccess.creation.CreationRegistry;
import dev.eksaccess.creation.MalformedEventException;
import dev.eksaccess.registry.ClusterRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry point of the cluster-creation function: an EventBridge rule delivers CloudTrail {@code CreateCluster}
 * events here. It reads the raw event with our own parser, delegates to {@link ClusterCreationService}, and logs the
 * outcome as one JSON line (also returned as the invocation result).
 *
 * <p>Errors are split by whether a retry can help. A malformed event never becomes valid, so it is logged as
 * {@code rejected} and the invocation succeeds: retrying it would only delay the dead-letter queue. A failure of
 * DynamoDB or SQS is logged as {@code error} and rethrown, so that EventBridge retries the event and finally puts it
 * on the rule's dead-letter queue.
 *
 * <p>The function's own account, which tells clusters of other accounts apart, comes from the invoked function
 * ARN in the Lambda context: it cannot be misconfigured and needs no setting.
 *
 * <p>Under SnapStart the no-argument constructor registers the handler for priming: before the snapshot it parses
 * and plans {@link #PRIMING_EVENT} and renders its log line, so restored environments start with that code loaded
 * and linked, without a registry write or a queued request.
 */
public final class ClusterCreatedHandler implements RequestStreamHandler, Resource {

    static final String FUNCTION = "cluster-creation";

    /** The account of {@link #PRIMING_EVENT}, which priming also uses as the function's own account. */
    static final String PRIMING_ACCOUNT = "000000000000";

    /**
     * A representative CloudTrail CreateCluster event for SnapStart priming (an IAM Identity Center role creates a
     * cluster in API_AND_CONFIG_MAP mode without creator admin): parsed and planned only, never recorded or sent.
     */
    static final String PRIMING_EVENT = """
            {"version":"0","id":"00000000-0000-4000-8000-000000000000","detail-type":"AWS API Call via CloudTrail",
             "source":"aws.eks","account":"000000000000","time":"2026-01-01T00:00:00Z","region":"us-east-1",
             "resources":[],
             "detail":{"eventVersion":"1.11","eventTime":"2026-01-01T00:00:00Z","eventSource":"eks.amazonaws.com",
              "eventName":"CreateCluster","awsRegion":"us-east-1","eventID":"00000000-0000-4000-8000-00000000000a",
              "recipientAccountId":"000000000000",
              "userIdentity":{"type":"AssumedRole","accountId":"000000000000",
               "arn":"arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_Priming_0123456789abcdef/priming",
               "sessionContext":{"sessionIssuer":{"type":"Role","accountId":"000000000000",
                "arn":"arn:aws:iam::000000000000:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Priming_0123456789abcdef",
                "userName":"AWSReservedSSO_Priming_0123456789abcdef"}}},
              "requestParameters":{"name":"priming","accessConfig":{"authenticationMode":"API_AND_CONFIG_MAP",
               "bootstrapClusterCreatorAdminPermissions":false}},
              "responseElements":{"cluster":{"name":"priming","arn":"arn:aws:eks:us-east-1:000000000000:cluster/priming",
               "status":"CREATING","accessConfig":{"authenticationMode":"API_AND_CONFIG_MAP",
               "bootstrapClusterCreatorAdminPermissions":false}}}}}
            """;

    private final CloudTrailEventParser parser;
    private final ClusterCreationService service;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * Wires the real clients, and registers for SnapStart priming; configuration errors stop the start-up with a
     * message naming the variable.
     */
    public ClusterCreatedHandler() {
        this(ClusterCreationConfig.from(Environment.system()), AwsClients.fromEnvironment(), Clock.systemUTC());
        Core.getGlobalContext().register(this);
    }

    private ClusterCreatedHandler(ClusterCreationConfig config, AwsClients clients, Clock clock) {
        this(config, new DynamoClusterRegistry(clients.dynamoDb(), config.registryTable(), clock),
                new SqsBootstrapQueue(clients.sqs(), config.grantQueueUrl()), clock);
    }

    /** Wires the given ports; used by tests. */
    public ClusterCreatedHandler(ClusterCreationConfig config, CreationRegistry registry, BootstrapQueue queue, Clock clock) {
        this.parser = new CloudTrailEventParser();
        BootstrapPlanner planner = new BootstrapPlanner(config.adminPrincipalArns(), config.creatorAdmin(),
                config.allowAuthModeSwitch(), config.crossAccountRoleName());
        this.service = new ClusterCreationService(registry, queue, planner, clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ObjectNode line;
        try {
            String functionAccount = accountOf(context);
            CreateClusterCall call = parser.parse(input.readAllBytes());
            line = describe(service.handle(call, functionAccount));
        } catch (MalformedEventException e) {
            line = base("rejected").put("eventId", e.eventId().orElse(null)).put("reason", e.getMessage());
        } catch (RuntimeException e) {
            log(context, base("error").put("errorType", e.getClass().getSimpleName())
                    .put("reason", String.valueOf(e.getMessage())).put("retried", true));
            throw e;
        }
        log(context, line);
        output.write(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Warms parsing, planning and the log line (Jackson, patterns, java.time) before the snapshot; no I/O. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients and credentials are resolved per call.
    }

    /**
     * The priming work: the handler's own path for {@link #PRIMING_EVENT} up to the registry write, which is left
     * out, so nothing is recorded and no bootstrap request is sent.
     *
     * @return the log line the event would have produced had it been recorded, rendered as JSON
     */
    String prime() {
        if (!(parser.parse(PRIMING_EVENT.getBytes(StandardCharsets.UTF_8)) instanceof ClusterCreated created)) {
            throw new IllegalStateException("the priming event must describe a created cluster");
        }
        ClusterRecord planned = service.plannedRecord(created, PRIMING_ACCOUNT);
        return describe(new CreationOutcome.Recorded(planned, false)).toString();
    }

    private ObjectNode describe(CreationOutcome outcome) {
        return switch (outcome) {
            case CreationOutcome.Ignored ignored -> base("ignored")
                    .put("eventId", ignored.call().eventId())
                    .put("clusterName", ignored.call().clusterName())
                    .put("errorCode", ignored.call().errorCode())
                    .put("errorMessage", ignored.call().errorMessage())
                    .put("reason", "the CreateCluster call failed (" + ignored.call().errorCode()
                            + "), so there is no cluster; nothing recorded");
            case CreationOutcome.Recorded recorded -> withRecord(base("recorded"), recorded.record())
                    .put("bootstrapRequestSent", recorded.requestSent());
            case CreationOutcome.Duplicate duplicate -> withRecord(base("duplicate"), duplicate.stored())
                    .put("bootstrapRequestSent", duplicate.requestSent())
                    .put("reason", duplicate.requestSent()
                            ? "event already recorded; bootstrap still PENDING, so its (idempotent) request was sent again"
                            : "event already recorded; nothing changed");
            case CreationOutcome.Replaced replaced -> withRecord(base("replaced"), replaced.record())
                    .put("bootstrapRequestSent", replaced.requestSent())
                    .put("previousEventId", replaced.previous().eventId())
                    .put("previousEventTime", String.valueOf(replaced.previous().eventTime()))
                    .put("reason", "a newer CreateCluster for a recorded ARN: the cluster was deleted and created "
                            + "again; the record now describes the new cluster");
            case CreationOutcome.Stale stale -> withRecord(base("stale"), stale.stored())
                    .put("staleEventId", stale.event().eventId())
                    .put("staleEventTime", stale.event().eventTime().toString())
                    .put("reason", "the registry holds a record from a newer CreateCluster for this ARN; this older "
                            + "event changed nothing");
        };
    }

    private ObjectNode withRecord(ObjectNode line, ClusterRecord record) {
        return line.put("eventId", record.eventId())
                .put("clusterArn", record.clusterArn())
                .put("creatorPrincipalArn", record.creatorPrincipalArn())
                .put("creatorIdentityType", record.creatorIdentityType())
                .put("creatorSessionName", record.creatorSessionName())
                .put("creatorNote", record.creatorNote())
                .put("source", record.source())
                .put("authenticationMode", record.authenticationMode())
                .put("bootstrapCreatorAdmin", record.bootstrapCreatorAdmin())
                .put("bootstrapStatus", record.bootstrapStatus().name())
                .put("bootstrapReason", record.bootstrapReason());
    }

    private ObjectNode base(String outcome) {
        return json.createObjectNode().put("function", FUNCTION).put("outcome", outcome);
    }

    private static void log(Context context, ObjectNode line) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            System.out.println(line);
        }
    }

    /** The account in {@code arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}. */
    static String accountOf(Context context) {
        String arn = context == null ? null : context.getInvokedFunctionArn();
        String[] parts = arn == null ? new String[0] : arn.split(":");
        if (parts.length < 7 || !"lambda".equals(parts[2]) || !parts[4].matches("\\d{12}")) {
            throw new IllegalStateException("the Lambda context has no usable invoked function ARN: " + arn);
        }
        return parts[4];
    }
}
