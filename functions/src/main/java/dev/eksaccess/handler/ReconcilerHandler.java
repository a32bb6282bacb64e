package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.CrossAccountEks;
import dev.eksaccess.aws.DynamoClusterRegistry;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoInventory;
import dev.eksaccess.aws.IamPrincipalIds;
import dev.eksaccess.config.Environment;
import dev.eksaccess.config.ReconcilerConfig;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import dev.eksaccess.reconcile.Reconciler;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs on a schedule (default daily) and on demand ({@code aws lambda invoke} with any payload): reconciles every
 * registered cluster with the grant states and publishes the inventory snapshot (docs/drift.md). Logs one line per
 * run (also the invocation's result): ERROR ({@code errorType} {@code ClusterUnreadable}) when a cluster could not be
 * read, which raises the function's alarm; a failure of the registry or the inventory table is logged and rethrown,
 * and the next run is the retry.
 *
 * <p>Like the cluster-creation function, its own account (which tells clusters of member accounts apart) comes from
 * the invoked function ARN.
 */
public final class ReconcilerHandler implements RequestHandler<ScheduledEvent, String> {

    static final String FUNCTION = SessionIdentity.RECONCILIATION;

    private final Function<String, Reconciler> reconcilerOfAccount;
    private final Map<String, Reconciler> reconcilers = new ConcurrentHashMap<>();
    private final FunctionLog log;
    private final ReconcilerPriming priming;

    /** Wires real clients from the Lambda environment, and registers for SnapStart priming. */
    public ReconcilerHandler() {
        this(AwsClients.fromEnvironment(), ReconcilerConfig.from(Environment.system()), Clock.systemUTC());
        priming.register();
    }

    private ReconcilerHandler(AwsClients aws, ReconcilerConfig config, Clock clock) {
        this(account -> fromEnvironment(aws, config, account, clock), clock, FunctionLog.stdout());
    }

    /**
     * Wires the reconciler of the function's account ({@code reconcilerOfAccount} is asked once per account), and
     * logs each line to {@code logSink}; the tests use this.
     */
    public ReconcilerHandler(Function<String, Reconciler> reconcilerOfAccount, Clock clock, Consumer<String> logSink) {
        this.reconcilerOfAccount = reconcilerOfAccount;
        this.log = new FunctionLog(FUNCTION, clock, logSink);
        this.priming = new ReconcilerPriming(clock, log);
    }

    private static Reconciler fromEnvironment(AwsClients aws, ReconcilerConfig config, String account, Clock clock) {
        DynamoGrantStates grants = new DynamoGrantStates(aws.dynamoDb(), config.ledgerTable());
        return new Reconciler(new DynamoClusterRegistry(aws.dynamoDb(), config.registryTable(), clock), grants,
                CrossAccountEks.from(aws, account, config.clusterReaderRoleName(),
                        config.crossAccount().memberAccountsOrAny(), config.crossAccount().externalId()),
                IamPrincipalIds.from(aws, account, config.clusterReaderRoleName(), config.crossAccount().externalId(),
                        FUNCTION),
                grants, new DynamoInventory(aws.dynamoDb(), config.inventoryTable()), clock);
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        String invocationId = context == null ? null : context.getAwsRequestId();
        InvocationLog invocation = log.begin(invocationId);
        try {
            Reconciler reconciler = reconcilers.computeIfAbsent(ClusterCreatedHandler.accountOf(context),
                    reconcilerOfAccount);
            String runId = "reconcile-" + (invocationId == null ? UUID.randomUUID() : invocationId);
            return invocation.write(reconciler.run(runId, () -> outOfTime(context)).summary());
        } catch (RuntimeException e) {
            invocation.failed(e, false);
            throw e;
        }
    }

    /**
     * Time kept for publishing the snapshot (one BatchWriteItem per 25 entries and clusters: 20,000 entries take about
     * 800 calls) once the clusters stop being read.
     */
    static final long PUBLISH_RESERVE_MILLIS = 120_000;

    /** Whether the invocation has no more than {@link #PUBLISH_RESERVE_MILLIS} left; never without a context. */
    static boolean outOfTime(Context context) {
        return context != null && context.getRemainingTimeInMillis() <= PUBLISH_RESERVE_MILLIS;
    }

    ReconcilerPriming priming() {
        return priming;
    }
}
