package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.eksaccess.access.ExpirySweep;
import dev.eksaccess.access.GrantQueue;
import dev.eksaccess.access.GrantStateStore;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.Setting;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Runs every minute (EventBridge schedule): queues a revoke request for every time-bound grant past its expiry, so
 * the grant processor revokes it within a minute, through the same path as every other change.
 */
public final class ExpirySweepHandler implements RequestHandler<ScheduledEvent, String> {

    private final ExpirySweep sweep;
    private final Consumer<String> log;

    /** Wires real clients from the Lambda environment. */
    public ExpirySweepHandler() {
        this(fromEnvironment(), System.out::println);
    }

    /** Wires the given ports; the tests use this. */
    public ExpirySweepHandler(GrantStateStore states, GrantQueue queue, Clock clock, Consumer<String> log) {
        this(new ExpirySweep(states, queue, clock), log);
    }

    private ExpirySweepHandler(ExpirySweep sweep, Consumer<String> log) {
        this.sweep = sweep;
        this.log = log;
    }

    private static ExpirySweep fromEnvironment() {
        // Only the two settings the sweep uses, so its function needs no more configuration than that.
        Environment environment = Environment.system();
        String ledgerTable = environment.required(Setting.LEDGER_TABLE);
        String grantQueueUrl = environment.required(Setting.GRANT_QUEUE_URL);
        AwsClients aws = AwsClients.fromEnvironment();
        return new ExpirySweep(new DynamoGrantStates(aws.dynamoDb(), ledgerTable),
                new SqsGrantQueue(aws.sqs(), grantQueueUrl), Clock.systemUTC());
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        int queued = sweep.sweep();
        String summary = "{\"event\":\"expiry-sweep\",\"revocationsQueued\":" + queued + "}";
        log.accept(summary);
        return summary;
    }
}
