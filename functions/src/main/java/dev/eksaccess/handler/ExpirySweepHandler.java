package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.delivery.ExpirySweep;
import dev.eksaccess.delivery.GrantQueue;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs every minute (EventBridge schedule): queues a revoke request for every time-bound grant past its expiry, so
 * the grant processor revokes it within a minute, through the same path as every other change. Logs one summary
 * line per run (also the invocation result); a failure is logged and rethrown, and the next run is the retry.
 */
public final class ExpirySweepHandler implements RequestHandler<ScheduledEvent, String>, Resource {

    static final String FUNCTION = "expiry-sweep";

    /** 2026-01-01T00:00:00Z, from epoch seconds: parsing text would load java.time's parser on every cold start. */
    private static final Instant PRIMING_EXPIRY = Instant.ofEpochSecond(1_767_225_600L);

    /** A representative expired grant for SnapStart priming; it exists only in memory, never in the ledger. */
    static final GrantState PRIMING_GRANT = new GrantState("arn:aws:eks:us-east-1:000000000000:cluster/priming",
            "arn:aws:iam::000000000000:role/priming", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
            true, PRIMING_EXPIRY.minusSeconds(3600), "priming", PRIMING_EXPIRY);

    private final ExpirySweep sweep;
    private final Clock clock;
    private final FunctionLog log;
    /** The client built on first use, which priming builds before the snapshot; nothing when wired by tests. */
    private final Supplier<?> builtOnFirstUse;

    /** Wires real clients from the Lambda environment, and registers for SnapStart priming. */
    public ExpirySweepHandler() {
        this(AwsClients.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    private ExpirySweepHandler(AwsClients aws) {
        this(aws, aws.sqsOnFirstUse(), Clock.systemUTC());
    }

    /**
     * The SQS client only sends revocations, and most runs (one a minute) find none due: it is built on first use,
     * which keeps it out of the cold start; SnapStart priming builds it instead.
     */
    private ExpirySweepHandler(AwsClients aws, Supplier<SqsClient> sqs, Clock clock) {
        this(fromEnvironment(aws, sqs, clock), clock, FunctionLog.stdout(), sqs);
    }

    /** Wires the given ports, and logs each line to {@code logSink}; the tests use this. */
    public ExpirySweepHandler(GrantStateStore states, GrantQueue queue, Clock clock, Consumer<String> logSink) {
        this(new ExpirySweep(states, queue, clock), clock, logSink, () -> null);
    }

    private ExpirySweepHandler(ExpirySweep sweep, Clock clock, Consumer<String> logSink,
                               Supplier<?> builtOnFirstUse) {
        this.sweep = sweep;
        this.clock = clock;
        this.log = new FunctionLog(FUNCTION, clock, logSink);
        this.builtOnFirstUse = builtOnFirstUse;
    }

    private static ExpirySweep fromEnvironment(AwsClients aws, Supplier<SqsClient> sqs, Clock clock) {
        // Only the two settings the sweep uses, so its function needs no more configuration than that.
        Environment environment = Environment.system();
        String ledgerTable = environment.required(Setting.LEDGER_TABLE);
        String grantQueueUrl = environment.required(Setting.GRANT_QUEUE_URL);
        return new ExpirySweep(new DynamoGrantStates(aws.dynamoDb(), ledgerTable),
                new SqsGrantQueue(sqs, grantQueueUrl), clock);
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        InvocationLog invocation = log.begin(context == null ? null : context.getAwsRequestId());
        try {
            return invocation.write(ExpirySweep.summary(sweep.sweep()));
        } catch (RuntimeException e) {
            invocation.failed(e, false);
            throw e;
        }
    }

    /**
     * Warms the sweep's planning (the revoke request, its id and JSON) before the SnapStart snapshot, and builds the
     * client otherwise built on first use, so a restored function has it; no I/O.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        builtOnFirstUse.get();
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients and credentials are resolved per call.
    }

    /**
     * The priming work: the sweep's own code run over {@link #PRIMING_GRANT} in an in-memory store, its revoke kept
     * in memory and its summary line rendered, so neither the ledger nor the grant queue is touched.
     *
     * @return the revoke request bodies the sweep would have queued
     */
    List<String> prime() {
        List<String> queued = new ArrayList<>();
        int count = new ExpirySweep(new PrimingStates(), queued::add, clock).sweep();
        log.unwritten().write(ExpirySweep.summary(count));
        return queued;
    }

    /** Holds only {@link #PRIMING_GRANT}, already due. */
    private static final class PrimingStates implements GrantStateStore {

        @Override
        public Optional<GrantState> find(String clusterArn, String principalArn, String policyArn) {
            return Optional.empty();
        }

        @Override
        public List<GrantState> findByPrincipal(String clusterArn, String principalArn) {
            return List.of();
        }

        @Override
        public boolean save(GrantState state) {
            return false;
        }

        @Override
        public List<GrantState> findExpired(Instant now, int limit) {
            return List.of(PRIMING_GRANT);
        }

        @Override
        public boolean markRevocationQueued(GrantState state) {
            return true;
        }
    }
}
