package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
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
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import dev.eksaccess.registry.ClusterRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Consumer;
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
    private final FunctionLog log;

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
                new SqsBootstrapQueue(clients.sqs(), config.grantQueueUrl()), clock, FunctionLog.stdout());
    }

    /** Wires the given ports, and logs each line to {@code logSink}; used by tests. */
    public ClusterCreatedHandler(ClusterCreationConfig config, CreationRegistry registry, BootstrapQueue queue,
                                 Clock clock, Consumer<String> logSink) {
        this.parser = new CloudTrailEventParser();
        BootstrapPlanner planner = new BootstrapPlanner(config.adminPrincipalArns(), config.creatorAdmin(),
                config.allowAuthModeSwitch(), config.crossAccountRoleName());
        this.service = new ClusterCreationService(registry, queue, planner, clock);
        this.log = new FunctionLog(FUNCTION, clock, logSink);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        InvocationLog invocation = log.begin(context == null ? null : context.getAwsRequestId());
        CreationOutcome outcome;
        try {
            String functionAccount = accountOf(context);
            CreateClusterCall call = parser.parse(input.readAllBytes());
            outcome = service.handle(call, functionAccount);
        } catch (MalformedEventException e) {
            outcome = new CreationOutcome.Rejected(e);
        } catch (RuntimeException e) {
            invocation.failed(e, true);
            throw e;
        }
        output.write(invocation.write(outcome.logEvent()).getBytes(StandardCharsets.UTF_8));
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
     * @return the log line the event would have produced had it been recorded, rendered and not written
     */
    String prime() {
        if (!(parser.parse(PRIMING_EVENT.getBytes(StandardCharsets.UTF_8)) instanceof ClusterCreated created)) {
            throw new IllegalStateException("the priming event must describe a created cluster");
        }
        ClusterRecord planned = service.plannedRecord(created, PRIMING_ACCOUNT);
        return log.unwritten().write(new CreationOutcome.Recorded(planned, false).logEvent());
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
