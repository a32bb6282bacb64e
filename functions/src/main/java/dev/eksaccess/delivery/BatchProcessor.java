package dev.eksaccess.delivery;

import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.log.InvocationLog;
import dev.eksaccess.log.Level;
import dev.eksaccess.log.LogEvent;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Processes one batch of queue messages: messages for different clusters or principals run concurrently (bounded),
 * messages for the same cluster and principal run in their batch order. When one of those fails transiently, the
 * later ones are held back (reported as failures too), so that they cannot overtake it. Each message gets one log
 * line ({@link MessageResult#logEvent}) in the invocation's log.
 */
public final class BatchProcessor implements AutoCloseable {

    /**
     * Default concurrency: one worker per message of a full batch, so a batch of independent requests costs about
     * one request's EKS round trips (measured in docs/performance.md: 2.1× one request at 6 workers, 1.1× at 10).
     * EKS throttling is retried by the SDK and then by the queue, and the event source mapping's concurrency cap
     * bounds the total.
     */
    public static final int DEFAULT_PARALLELISM = GrantQueueSettings.BATCH_SIZE;

    private final RequestParser parser;
    private final RequestProcessor processor;
    private final RetryScheduler retries;
    private final BootstrapWaits waits;
    private final ExecutorService executor;

    public BatchProcessor(RequestParser parser, RequestProcessor processor, RetryScheduler retries, int parallelism) {
        this(parser, processor, retries, BootstrapWaits.NONE, parallelism);
    }

    public BatchProcessor(RequestParser parser, RequestProcessor processor, RetryScheduler retries,
                          BootstrapWaits waits, int parallelism) {
        this.parser = parser;
        this.processor = processor;
        this.retries = retries;
        this.waits = waits;
        this.executor = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "grant-batch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Processes the batch, a log line per message in {@code log}; returns the ids of the messages to deliver again. */
    public List<String> process(List<InboundMessage> batch, InvocationLog log) {
        Map<String, List<Parsed>> groups = new LinkedHashMap<>();
        for (InboundMessage message : batch) {
            ParsedMessage parsed = parser.parse(message.body(), message.meta());
            groups.computeIfAbsent(orderingKey(parsed, message), k -> new ArrayList<>())
                    .add(new Parsed(message, parsed));
        }
        List<Future<List<String>>> running = new ArrayList<>();
        for (List<Parsed> group : groups.values()) {
            running.add(executor.submit(() -> processInOrder(group, log)));
        }
        List<String> failed = new ArrayList<>();
        for (Future<List<String>> future : running) {
            try {
                failed.addAll(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while processing a batch", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("unexpected failure in a message group", e.getCause());
            }
        }
        return failed;
    }

    private List<String> processInOrder(List<Parsed> group, InvocationLog log) {
        List<String> failed = new ArrayList<>();
        MessageResult blocker = null;
        String blockedBy = null;
        for (Parsed item : group) {
            MessageResult result;
            if (blocker != null) {
                // Same kind of wait as the blocker's: they come back together.
                result = new MessageResult(item.parsed().requestId(), Outcome.FAILED_TRANSIENT,
                        "held back to keep order: an earlier message for the same cluster and principal ("
                                + blockedBy + ") will be retried", blocker.contended());
            } else {
                result = processOne(item);
                if (result.waitingForCluster() && item.parsed() instanceof ParsedMessage.Bootstrap bootstrap) {
                    result = checkAgainLater(bootstrap, item.message(), result, log);
                }
            }
            log.write(result.logEvent(item.message(), item.parsed()));
            if (result.retry()) {
                failed.add(item.message().messageId());
                if (blocker == null) {
                    blocker = result;
                    blockedBy = item.message().messageId();
                }
                delay(item.message(), result, log);
            }
        }
        return failed;
    }

    private MessageResult processOne(Parsed item) {
        try {
            return processor.process(item.parsed(), item.message().meta());
        } catch (RuntimeException e) {
            // Anything unforeseen (a ledger outage, a bug) is retried and ends in the dead-letter queue,
            // never silently acknowledged.
            return MessageResult.unexpected(item.parsed().requestId(), e);
        }
    }

    /**
     * Hands a bootstrap that waits for its cluster over to a copy of it, delivered after {@link BootstrapWaits#RECHECK}
     * (this message is then done); when the copy cannot be sent, this message is kept and retried with the backoff.
     */
    private MessageResult checkAgainLater(ParsedMessage.Bootstrap bootstrap, InboundMessage message,
                                          MessageResult result, InvocationLog log) {
        if (message.receiptHandle() == null) {
            return result;
        }
        try {
            return result.continuedAs(waits.sendLater(bootstrap.request(), BootstrapWaits.RECHECK),
                    BootstrapWaits.RECHECK);
        } catch (RuntimeException e) {
            log.write(new LogEvent(Level.WARN, "bootstrap-resend-failed", "the waiting bootstrap could not be sent "
                    + "again (" + e.getMessage() + "); this message is kept and retried with the backoff instead",
                    message.messageId(), result.requestId(), json -> {
                json.writeStringField("errorType", e.getClass().getSimpleName());
                json.writeNumberField("receiveCount", message.meta().receiveCount());
            }));
            return result;
        }
    }

    private void delay(InboundMessage message, MessageResult result, InvocationLog log) {
        if (message.receiptHandle() == null) {
            return;
        }
        int receives = message.meta().receiveCount();
        Duration delay = result.contended()
                ? RetryScheduler.contentionBackoff(receives) : RetryScheduler.backoff(receives);
        try {
            retries.retryAfter(message.receiptHandle(), delay);
        } catch (RuntimeException e) {
            // The message still comes back, after the queue's visibility timeout instead of the backoff: worth a
            // look only when it repeats.
            log.write(new LogEvent(Level.WARN, "retry-delay-failed", "the retry delay could not be set ("
                    + e.getMessage() + "); the message comes back after the queue's visibility timeout instead",
                    message.messageId(), result.requestId(), json -> {
                json.writeStringField("errorType", e.getClass().getSimpleName());
                json.writeNumberField("receiveCount", receives);
            }));
        }
    }

    /** Same cluster and principal: same key. Invalid messages touch nothing and need no order. */
    static String orderingKey(ParsedMessage parsed, InboundMessage message) {
        return switch (parsed) {
            case ParsedMessage.Access a -> a.clusterArn() + "|" + RequestProcessor.leaseSubject(a);
            case ParsedMessage.Bootstrap b -> b.clusterArn() + "|" + RequestProcessor.leaseSubject(b);
            case ParsedMessage.Restore r -> r.clusterArn() + "|" + RequestProcessor.leaseSubject(r);
            // Its cluster and principal are known once its request is found; decisions on one request keep order.
            case ParsedMessage.Decision d -> "decision|" + d.request().pendingRequestId();
            case ParsedMessage.Invalid i -> "invalid|" + message.messageId();
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private record Parsed(InboundMessage message, ParsedMessage parsed) {
    }
}
