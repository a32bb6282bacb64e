package dev.eksaccess.bench.probe;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda context of a probe invocation: the function's ARN (the creation handler reads its account from it), a
 * fixed request id, and a logger writing to standard output. The functions themselves log to standard output, which
 * the benchmark driver reads to check the outcome.
 */
public final class ProbeContext implements Context {

    private final String functionArn;

    ProbeContext(String functionArn) {
        this.functionArn = functionArn;
    }

    @Override
    public String getAwsRequestId() {
        return "cold-start-probe";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + getFunctionName();
    }

    @Override
    public String getLogStreamName() {
        return "probe";
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

    @Override
    public int getRemainingTimeInMillis() {
        return 900_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return new StdoutLogger();
    }

    /** A named class rather than an anonymous one, so the driver can copy it by name with the other probe classes. */
    public static final class StdoutLogger implements LambdaLogger {

        @Override
        public void log(String message) {
            System.out.print(message);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }
}
