package dev.eksaccess.testsupport;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The Lambda {@link Context} of a handler invoked outside Lambda (tests, the sandbox, the benchmarks): the function's
 * ARN (handlers read their account from it), a request id, and a logger that hands each line to {@code log}.
 *
 * <p>It uses nothing but aws-lambda-java-core and {@code java.base}, and its logger is a member class: the cold-start
 * benchmark copies this class with its member classes into the probe jar and runs it on the function's own class path,
 * without test-support.
 */
public class LocalLambdaContext implements Context {

    private final String functionArn;
    private final String requestId;
    private final LambdaLogger logger;

    /**
     * A context with a fresh random request id.
     *
     * @param functionArn {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}
     * @param log         receives every line the handler logs through the context, without its trailing newline
     */
    public LocalLambdaContext(String functionArn, Consumer<String> log) {
        this(functionArn, UUID.randomUUID().toString(), log);
    }

    /**
     * A context with a given request id, for a process that handles one event: the cold-start probe, where a random id
     * would add the seeding of {@code SecureRandom} to every JVM it times.
     */
    public LocalLambdaContext(String functionArn, String requestId, Consumer<String> log) {
        this.functionArn = Objects.requireNonNull(functionArn, "functionArn");
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.logger = new LineLogger(Objects.requireNonNull(log, "log"));
    }

    /** The ARN of function {@code name} in {@code region} and {@code accountId}. */
    public static String functionArn(String region, String accountId, String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + getFunctionName();
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionArn.substring(functionArn.lastIndexOf(':') + 1);
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    /** Local invocations have no deadline; this reports Lambda's longest timeout. */
    @Override
    public int getRemainingTimeInMillis() {
        return (int) Duration.ofMinutes(15).toMillis();
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    /** Hands each message to a consumer as a line, without its trailing newline. */
    private static final class LineLogger implements LambdaLogger {

        private final Consumer<String> lines;

        LineLogger(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public void log(String message) {
            lines.accept(message.endsWith("\n") ? message.substring(0, message.length() - 1) : message);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }
}
