package dev.eksaccess.log;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The log of one function: every line it writes is one JSON object in the same envelope ({@link InvocationLog}),
 * handed to one sink. Built once per execution environment, by the handler; its first invocation is the cold start.
 *
 * <p>The deployed sink is standard output ({@link #stdout()}), not the Lambda context's logger: with the functions'
 * JSON log format, Lambda takes a line that already is a JSON object with {@code timestamp} and {@code level} as it
 * is (and filters it by the application log level), where the Java runtime's logger would wrap the line, as a string,
 * in an object of its own, out of reach of Logs Insights' field discovery. Standard output also needs no
 * {@code Context}, so code that runs on worker threads writes the same way.
 */
public final class FunctionLog {

    private final String function;
    private final Clock clock;
    private final Consumer<String> sink;
    private final AtomicBoolean coldStart = new AtomicBoolean(true);

    /**
     * @param function the function's role ({@code cluster-creation}, {@code grant-processor}, {@code expiry-sweep}):
     *                 fixed, unlike the deployed function's generated name
     * @param clock    the function's clock, for the timestamps
     * @param sink     receives each line, without a line break; called from several threads at once
     */
    public FunctionLog(String function, Clock clock, Consumer<String> sink) {
        this.function = Objects.requireNonNull(function, "function");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The deployed functions' sink: one line on standard output per call. */
    public static Consumer<String> stdout() {
        return System.out::println;
    }

    /**
     * Starts the log of one invocation; the first in this execution environment is the cold start (SnapStart priming
     * runs before the snapshot and writes nothing, so a restored environment's first invocation is one too).
     *
     * @param awsRequestId the Lambda request id, or null outside Lambda
     */
    public InvocationLog begin(String awsRequestId) {
        return new InvocationLog(this, awsRequestId, coldStart.getAndSet(false), sink);
    }

    /**
     * An invocation log that renders lines without writing them, and leaves the cold start as it is: for SnapStart
     * priming, which warms the rendering of the line it would log.
     */
    public InvocationLog unwritten() {
        return new InvocationLog(this, null, coldStart.get(), line -> { });
    }

    String function() {
        return function;
    }

    String now() {
        return timestamp(clock.instant());
    }

    /**
     * ISO-8601 in UTC with milliseconds, always 24 characters ({@code 2026-11-28T10:00:00.000Z}), as Lambda writes its
     * own: fixed width sorts as text. Written by hand: {@code Instant.toString} loads java.time's formatter, which the
     * expiry sweep otherwise never needs on a cold start.
     */
    static String timestamp(Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(24);
        digits(text, time.getYear(), 4).append('-');
        digits(text, time.getMonthValue(), 2).append('-');
        digits(text, time.getDayOfMonth(), 2).append('T');
        digits(text, time.getHour(), 2).append(':');
        digits(text, time.getMinute(), 2).append(':');
        digits(text, time.getSecond(), 2).append('.');
        return digits(text, instant.getNano() / 1_000_000, 3).append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder text, int value, int width) {
        String number = Integer.toString(value);
        text.append("0".repeat(Math.max(0, width - number.length())));
        return text.append(number);
    }
}
