package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.DynamoPendingApprovals;
import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.delivery.ExpirySweep;
import dev.eksaccess.delivery.GrantQueue;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.delivery.PendingApprovals;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs every minute (EventBridge schedule): queues a revoke request for every time-bound grant past its expiry, so
 * the grant processor revokes it within a minute, through the same path as every other change. Logs one summary
 * line per run (also the invocation result), and an ERROR line ({@code errorType} {@code OverdueGrants}) every run
 * while grants whose expiry revoke a safety rule refused are kept overdue; a failure is logged and rethrown, and the
 * next run is the retry.
 */
public final class ExpirySweepHandler implements RequestHandler<ScheduledEvent, String> {

    static final String FUNCTION = SessionIdentity.EXPIRY_SWEEP;

    private final ExpirySweep sweep;
    private final FunctionLog log;
    private final ExpirySweepPriming priming;

    /** Wires real clients from the Lambda environment, and registers for SnapStart priming. */
    public ExpirySweepHandler() {
        this(AwsClients.fromEnvironment());
        priming.register();
    }

    private ExpirySweepHandler(AwsClients aws) {
        this(aws, aws.sqsOnFirstUse(), Clock.systemUTC());
    }

    /**
     * The SQS client only sends revocations, and most runs (one a minute) find none due: it is built on first use,
     * which keeps it out of the cold start; SnapStart priming builds it instead, and makes one read-only
     * {@link PrimingCalls call}: the query for overdue grants that every run makes, which loads the DynamoDB request
     * path.
     */
    private ExpirySweepHandler(AwsClients aws, Supplier<SqsClient> sqs, Clock clock) {
        this(fromEnvironment(aws, sqs, clock), sqs, clock);
    }

    private ExpirySweepHandler(ExpirySweep sweep, Supplier<SqsClient> sqs, Clock clock) {
        this(sweep, clock, FunctionLog.stdout(), () -> {
            PrimingCalls.run(List.of(sweep::overdue));
            return sqs.get();
        });
    }

    /** Wires the given ports, and logs each line to {@code logSink}; the tests use this. */
    public ExpirySweepHandler(GrantStateStore states, PendingApprovals pending, GrantQueue queue, Clock clock,
                              Consumer<String> logSink) {
        this(new ExpirySweep(states, pending, queue, clock), clock, logSink, () -> null);
    }

    private ExpirySweepHandler(ExpirySweep sweep, Clock clock, Consumer<String> logSink,
                               Supplier<?> preparation) {
        this.sweep = sweep;
        this.log = new FunctionLog(FUNCTION, clock, logSink);
        this.priming = new ExpirySweepPriming(clock, log, preparation);
    }

    private static ExpirySweep fromEnvironment(AwsClients aws, Supplier<SqsClient> sqs, Clock clock) {
        // Only the two settings the sweep uses, so its function needs no more configuration than that.
        Environment environment = Environment.system();
        String ledgerTable = environment.required(Setting.LEDGER_TABLE);
        String grantQueueUrl = environment.required(Setting.GRANT_QUEUE_URL);
        return new ExpirySweep(new DynamoGrantStates(aws.dynamoDb(), ledgerTable),
                new DynamoPendingApprovals(aws.dynamoDb(), ledgerTable), new SqsGrantQueue(sqs, grantQueueUrl), clock);
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        InvocationLog invocation = log.begin(context == null ? null : context.getAwsRequestId());
        try {
            String summary = invocation.write(ExpirySweep.summary(sweep.sweep()));
            ExpirySweep.overdueAlarm(sweep.overdue()).ifPresent(invocation::write);
            return summary;
        } catch (RuntimeException e) {
            invocation.failed(e, false);
            throw e;
        }
    }

    ExpirySweepPriming priming() {
        return priming;
    }
}
