package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.EksClusterLookup;
import dev.eksaccess.aws.SqsBootstrapQueue;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.AccountId;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.creation.BootstrapPlanner;
import dev.eksaccess.creation.BootstrapQueue;
import dev.eksaccess.creation.CloudTrailEventParser;
import dev.eksaccess.creation.ClusterCreationService;
import dev.eksaccess.creation.ClusterLookup;
import dev.eksaccess.creation.ClusterVerifier;
import dev.eksaccess.creation.CreateClusterCall;
import dev.eksaccess.creation.CreationOutcome;
import dev.eksaccess.creation.CreationRegistry;
import dev.eksaccess.creation.MalformedEventException;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Lambda entry point of the cluster-creation function: an EventBridge rule delivers CloudTrail {@code CreateCluster}
 * events here. It reads the raw event with our own parser, delegates to {@link ClusterCreationService}, and logs the
 * outcome as one JSON line (also returned as the invocation result). Every event is verified with EKS DescribeCluster
 * before anything is recorded ({@link ClusterVerifier}); redriven events come through here too, so are verified alike.
 *
 * <p>Errors are split by whether a retry can help. A malformed event never becomes valid, so it is logged as
 * {@code rejected} and the invocation succeeds: retrying it would only delay the dead-letter queue; so is an event EKS
 * does not confirm, at ERROR. A failure of EKS, DynamoDB or SQS is logged as {@code error} and rethrown, so that the
 * event is retried and finally put on the rule's dead-letter queue.
 *
 * <p>The function's own account, which tells clusters of other accounts apart, comes from the invoked function
 * ARN in the Lambda context: it cannot be misconfigured and needs no setting.
 */
public final class ClusterCreatedHandler implements RequestStreamHandler {

    static final String FUNCTION = SessionIdentity.CLUSTER_CREATION;

    private final CloudTrailEventParser parser;
    private final ClusterCreationService service;
    private final FunctionLog log;
    private final ClusterCreationPriming priming;

    /**
     * Wires the real clients, and registers for SnapStart priming; configuration errors stop the start-up with a
     * message naming the variable.
     */
    public ClusterCreatedHandler() {
        this(ClusterCreationConfig.from(Environment.system()), AwsClients.fromEnvironment(), Clock.systemUTC());
        priming.register();
    }

    private ClusterCreatedHandler(ClusterCreationConfig config, AwsClients clients, Clock clock) {
        this(config, new DynamoClusterRegistry(clients.dynamoDb(), config.registryTable(), clock), clients, clock);
    }

    /**
     * The deployed wiring. Its SnapStart priming also makes one read-only {@link PrimingCalls call}: a registry read of
     * a cluster that cannot exist, which loads the DynamoDB request path (and the JSON protocol EKS shares).
     */
    private ClusterCreatedHandler(ClusterCreationConfig config, DynamoClusterRegistry registry, AwsClients clients,
                                  Clock clock) {
        this(config, registry, new SqsBootstrapQueue(clients.sqs(), config.grantQueueUrl()),
                new ClusterVerifier(EksClusterLookup.from(clients, config.clusterReaderRoleName(),
                        config.crossAccount().memberAccountsOrAny(), config.crossAccount().externalId())),
                clock, FunctionLog.stdout(), () -> PrimingCalls.run(List.of(() -> registry.find(
                        PrimingCalls.absentClusterArn(clients.region().id())))));
    }

    /** Wires the given ports, verifying every event with {@code clusters}, and logs each line to {@code logSink}. */
    public ClusterCreatedHandler(ClusterCreationConfig config, CreationRegistry registry, BootstrapQueue queue,
                                 ClusterLookup clusters, Clock clock, Consumer<String> logSink) {
        this(config, registry, queue, new ClusterVerifier(clusters), clock, logSink, () -> null);
    }

    /**
     * Wires the given ports without verifying events with EKS: every event is trusted.
     *
     * @deprecated only for the local sandbox and the benchmarks, until their emulated clusters carry their events'
     *             creation time; use the constructor with a {@link ClusterLookup}. The Lambda runtime uses the
     *             no-argument constructor, which always verifies.
     */
    @Deprecated
    public ClusterCreatedHandler(ClusterCreationConfig config, CreationRegistry registry, BootstrapQueue queue,
                                 Clock clock, Consumer<String> logSink) {
        this(config, registry, queue, ClusterVerifier.trustingEvents(), clock, logSink, () -> null);
    }

    private ClusterCreatedHandler(ClusterCreationConfig config, CreationRegistry registry, BootstrapQueue queue,
                                  ClusterVerifier verifier, Clock clock, Consumer<String> logSink,
                                  Supplier<?> preparation) {
        this.parser = new CloudTrailEventParser();
        this.service = new ClusterCreationService(registry, queue, plannerOf(config), verifier, clock);
        this.log = new FunctionLog(FUNCTION, clock, logSink);
        this.priming = new ClusterCreationPriming(parser, service, log, preparation);
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

    /** The bootstrap decision of the configuration: new clusters' and adopted ones' ({@link AdoptionHandler}). */
    static BootstrapPlanner plannerOf(ClusterCreationConfig config) {
        return new BootstrapPlanner(config.adminPrincipalArns(), config.creatorAdmin(), config.allowAuthModeSwitch(),
                config.crossAccountRoleName());
    }

    ClusterCreationPriming priming() {
        return priming;
    }

    /** The account in {@code arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}. */
    static String accountOf(Context context) {
        String arn = context == null ? null : context.getInvokedFunctionArn();
        String[] parts = arn == null ? new String[0] : arn.split(":");
        if (parts.length < 7 || !"lambda".equals(parts[2]) || !AccountId.isValid(parts[4])) {
            throw new IllegalStateException("the Lambda context has no usable invoked function ARN: " + arn);
        }
        return parts[4];
    }
}
