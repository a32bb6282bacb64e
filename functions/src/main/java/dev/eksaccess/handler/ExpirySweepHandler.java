package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.eksaccess.access.ExpirySweep;
import dev.eksaccess.access.GrantQueue;
import dev.eksaccess.access.GrantState;
import dev.eksaccess.access.GrantStateStore;
import dev.eksaccess.aws.AwsClients;
import dev.eksaccess.aws.DynamoGrantStates;
import dev.eksaccess.aws.SqsGrantQueue;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.Setting;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.crac.Core;
import org.crac.Resource;

/**
 * Runs every minute (EventBridge schedule): queues a revoke request for every time-bound grant past its expiry, so
 * the grant processor revokes it within a minute, through the same path as every other change.
 */
public final class ExpirySweepHandler implements RequestHandler<ScheduledEvent, String>, Resource {

    /** A representative expired grant for SnapStart priming; it exists only in memory, never in the ledger. */
    static final GrantState PRIMING_GRANT = new GrantState("arn:aws:eks:us-east-1:000000000000:cluster/priming",
            "arn:aws:iam::000000000000:role/priming", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
            true, Instant.parse("2026-01-01T00:00:00Z"), "priming", Instant.parse("2026-01-01T01:00:00Z"));

    private final ExpirySweep sweep;
    private final Consumer<String> log;

    /** Wires real clients from the Lambda environment, and registers for SnapStart priming. */
    public ExpirySweepHandler() {
        this(fromEnvironment(), System.out::println);
        Core.getGlobalContext().register(this);
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

    /** Warms the sweep's planning (the revoke request, its id and JSON) before the SnapStart snapshot; no I/O. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients and credentials are resolved per call.
    }

    /**
     * The priming work: the sweep's own code run over {@link #PRIMING_GRANT} in an in-memory store, its revoke kept
     * in memory, so neither the ledger nor the grant queue is touched.
     *
     * @return the revoke request bodies the sweep would have queued
     */
    List<String> prime() {
        List<String> queued = new ArrayList<>();
        new ExpirySweep(new PrimingStates(), queued::add, Clock.systemUTC()).sweep();
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
