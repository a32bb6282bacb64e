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
 * The Lambda {@link Context} of a handler invoked outside Lambda: the function's ARN (handlers read their account from
 * it), a fresh request id per context, and a logger that hands each line to {@code log}.
 */
public class LocalLambdaContext implements Context {

    private final String functionArn;
    private final String requestId = UUID.randomUUID().toString();
    private final LambdaLogger logger;

    /**
     * @param functionArn {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}
     * @param log         receives every line the handler logs through the context, without its trailing newline
     */
    public LocalLambdaContext(String functionArn, Consumer<String> log) {
        this.functionArn = Objects.requireNonNull(functionArn, "functionArn");
        Objects.requireNonNull(log, "log");
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                log.accept(message.endsWith("\n") ? message.substring(0, message.length() - 1) : message);
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
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
}
