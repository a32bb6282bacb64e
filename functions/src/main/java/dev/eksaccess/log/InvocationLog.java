package dev.eksaccess.log;

import dev.eksaccess.json.Json;
import java.util.function.Consumer;

/**
 * The log of one invocation: writes each {@link LogEvent} as one compact JSON line in the envelope every function
 * uses, fields in this order:
 *
 * <ol>
 *   <li>{@code timestamp}: the function's clock, ISO-8601 UTC with milliseconds</li>
 *   <li>{@code level}: {@code INFO}, {@code WARN} or {@code ERROR}, by the rule in {@link Level}</li>
 *   <li>{@code function}: {@code cluster-creation}, {@code grant-processor} or {@code expiry-sweep}</li>
 *   <li>{@code awsRequestId}: the invocation's Lambda request id (null outside Lambda)</li>
 *   <li>{@code coldStart}: whether this is the execution environment's first invocation</li>
 *   <li>{@code messageId}, {@code requestId}: the queue message and access request, on lines that have one</li>
 *   <li>{@code outcome}, {@code reason}: what happened and why</li>
 *   <li>then the event's own fields</li>
 * </ol>
 *
 * Safe to use from several threads: each line is rendered on its own and handed to the sink whole.
 */
public final class InvocationLog {

    private final FunctionLog function;
    private final String awsRequestId;
    private final boolean coldStart;
    private final Consumer<String> sink;

    InvocationLog(FunctionLog function, String awsRequestId, boolean coldStart, Consumer<String> sink) {
        this.function = function;
        this.awsRequestId = awsRequestId;
        this.coldStart = coldStart;
        this.sink = sink;
    }

    /** Writes the line of {@code event}; returns it. */
    public String write(LogEvent event) {
        String line = Json.object(json -> {
            json.writeStringField("timestamp", function.now());
            json.writeStringField("level", event.level().name());
            json.writeStringField("function", function.function());
            json.writeStringField("awsRequestId", awsRequestId);
            json.writeBooleanField("coldStart", coldStart);
            if (event.messageId() != null) {
                json.writeStringField("messageId", event.messageId());
            }
            if (event.requestId() != null) {
                json.writeStringField("requestId", event.requestId());
            }
            json.writeStringField("outcome", event.outcome());
            json.writeStringField("reason", event.reason());
            event.fields().writeTo(json);
        });
        sink.accept(line);
        return line;
    }

    /**
     * Writes the line of an exception that ended the invocation and that the handler rethrows, so that Lambda counts an
     * error (and alarms) and the trigger retries where it does: outcome {@code error}, level {@code ERROR}.
     *
     * @param retried whether the trigger delivers the same input again (EventBridge, SQS), or not (a schedule)
     */
    public void failed(RuntimeException error, boolean retried) {
        write(LogEvent.of(Level.ERROR, "error", String.valueOf(error.getMessage()), json -> {
            json.writeStringField("errorType", error.getClass().getSimpleName());
            json.writeBooleanField("retried", retried);
        }));
    }
}
