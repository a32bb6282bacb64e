package dev.eksaccess.contract;

import java.time.Duration;

/**
 * How the grant queue feeds the grant processor: the Lambda SQS event source mapping and the queue's redrive policy.
 * The CDK app deploys these values and the local sandbox polls its emulated queue with them, so both deliver
 * messages to the processor the same way.
 */
public final class GrantQueueSettings {

    /**
     * Messages per invocation. The processor orders messages for the same cluster and principal within a batch and
     * reports failures per message, so a batch of SQS's maximum per receive costs nothing in correctness.
     */
    public static final int BATCH_SIZE = 10;

    /**
     * How long the event source mapping may gather messages before invoking with a partial batch. Short: requests
     * are interactive, and a burst (a new cluster's bootstrap and its first grants) still lands in one batch.
     */
    public static final Duration MAX_BATCHING_WINDOW = Duration.ofSeconds(1);

    /**
     * Receives before a message moves to the dead-letter queue. The processor retries a transient failure with a
     * growing delay (30 s, 1, 2, 4, 8, then 15 minutes); eight receives span about 45 minutes. A bootstrap request
     * waiting for its cluster to become ACTIVE does not count against this: it is sent again as a new message every
     * 30 s (the functions' BootstrapWaits), each received once, until the cluster is ACTIVE or its deadline passes.
     */
    public static final int MAX_RECEIVE_COUNT = 8;

    private GrantQueueSettings() {
    }
}
