package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.CrossAccountEks;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoExternalChangeLog;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.EventBridgeOutcomes;
import dev.eksaccess.aws.SqsRestoreQueue;
import dev.eksaccess.config.AccessChangeConfig;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.drift.AccessChangeOutcome;
import dev.eksaccess.drift.AccessChangeService;
import dev.eksaccess.drift.ClusterAccessReader;
import dev.eksaccess.drift.DriftResponder;
import dev.eksaccess.drift.DriftResponse;
import dev.eksaccess.drift.ExternalChangeEvents;
import dev.eksaccess.drift.ExternalChangeLog;
import dev.eksaccess.drift.ExternalChanges;
import dev.eksaccess.drift.OwnRoles;
import dev.eksaccess.eks.EksAccessProvider;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import dev.eksaccess.registry.ClusterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda entry point of the access-change function (docs/drift.md): an EventBridge rule delivers CloudTrail calls
 * that change cluster access here ({@code AccessChangeEventPattern}). It reads the raw event, delegates to
 * {@link AccessChangeService}, and logs the outcome as one JSON line (also the invocation result).
 *
 * <p>As in the cluster-creation function, a malformed event is logged as {@code rejected} and the invocation
 * succeeds (a retry cannot mend it); a failure of EKS, DynamoDB or EventBridge is logged as {@code error} and
 * rethrown, so the event is retried and finally kept in the rule's dead-letter queue.
 */
public final class AccessChangeHandler implements RequestStreamHandler {

    static final String FUNCTION = SessionIdentity.ACCESS_CHANGES;

    private final AccessChangeService service;
    private final FunctionLog log;
    private final AccessChangePriming priming;

    /** Wires the real clients from the environment, and registers for SnapStart priming. */
    public AccessChangeHandler() {
        this(AccessChangeConfig.from(Environment.system()), AwsClients.fromEnvironment(), Clock.systemUTC());
        priming.register();
    }

    private AccessChangeHandler(AccessChangeConfig config, AwsClients aws, Clock clock) {
        this(config, aws, new DynamoGrantStates(aws.dynamoDb(), config.ledgerTable()), clock);
    }

    private AccessChangeHandler(AccessChangeConfig config, AwsClients aws, GrantStateStore grants, Clock clock) {
        this(config, CrossAccountEks.from(aws, config.homeAccountId(), config.clusterReaderRoleName(),
                        config.crossAccount().memberAccountsOrAny(), config.crossAccount().externalId()),
                new DynamoClusterRegistry(aws.dynamoDb(), config.registryTable(), clock), grants,
                new DynamoExternalChangeLog(aws.dynamoDb(), config.ledgerTable()),
                config.outcomeBus().<ExternalChangeEvents>map(bus ->
                        new EventBridgeOutcomes(aws.eventBridgeOnFirstUse(), bus)).orElse(ExternalChangeEvents.NONE),
                driftResponse(config, grants, aws.sqsOnFirstUse(), clock), clock, FunctionLog.stdout());
    }

    /**
     * What the function does about a recorded change: with a grant queue ({@link AccessChangeConfig#restore()}), the
     * {@link DriftResponder} decides and sends restores there (the SQS client is made at the first restore); without
     * one, nothing ({@link DriftResponse#NONE}). A redelivered event is answered again with the same request id
     * ({@code eks-access:restore:<event id>}), which the grant processor applies once. The sandbox wires it too.
     */
    public static DriftResponse driftResponse(AccessChangeConfig config, GrantStateStore grants, Supplier<SqsClient> sqs,
                                       Clock clock) {
        return config.restore().<DriftResponse>map(restore -> {
            DriftResponder responder = new DriftResponder(grants,
                    DriftResponder.Modes.of(restore.eligibility(), restore.restoreClusters()),
                    new SqsRestoreQueue(sqs, restore.grantQueueUrl()), clock);
            return responder::respond;
        }).orElse(DriftResponse.NONE);
    }

    /**
     * Wires the given ports: EKS per cluster (read only), the registry (creators), the grant states, the ledger's
     * external changes, where outcome events go, and what is done about a recorded change ({@link DriftResponse#NONE}:
     * nothing, {@code drift: alert}); logs each line to {@code logSink}.
     */
    public AccessChangeHandler(AccessChangeConfig config, EksAccessProvider eks, ClusterRegistry registry,
                               GrantStateStore grants, ExternalChangeLog changes, ExternalChangeEvents events,
                               DriftResponse response, Clock clock, Consumer<String> logSink) {
        OwnRoles own = new OwnRoles(config.ownHubRoleArns(), config.memberRoleName().orElse(null),
                config.crossAccount().memberAccounts());
        this.service = new AccessChangeService(new ExternalChanges(own, eks, new ClusterAccessReader(registry, grants),
                changes, clock), events, response);
        this.log = new FunctionLog(FUNCTION, clock, logSink);
        this.priming = new AccessChangePriming(service, clock, log);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        InvocationLog invocation = log.begin(context == null ? null : context.getAwsRequestId());
        AccessChangeOutcome outcome;
        try {
            outcome = service.handle(input.readAllBytes());
        } catch (RuntimeException e) {
            invocation.failed(e, true);
            throw e;
        }
        output.write(invocation.write(outcome.logEvent()).getBytes(StandardCharsets.UTF_8));
    }

    AccessChangePriming priming() {
        return priming;
    }
}
