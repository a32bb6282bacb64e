package dev.eksaccess.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A Lambda context for a function in a given account, whose logger keeps every line. */
public final class FakeLambdaContext implements Context {

    private final String functionArn;
    private final List<String> lines = new ArrayList<>();

    public FakeLambdaContext(String account) {
        this.functionArn = "arn:aws:lambda:eu-west-1:" + account + ":function:eks-access-cluster-creation";
    }

    /** The logged lines, without trailing newlines. */
    public synchronized List<String> logLines() {
        return List.copyOf(lines);
    }

    @Override
    public String getAwsRequestId() {
        return "7f1c0a5e-0000-4000-8000-000000000001";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/eks-access-cluster-creation";
    }

    @Override
    public String getLogStreamName() {
        return "2026/11/28/[$LATEST]0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
        return "eks-access-cluster-creation";
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
        return 30_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                synchronized (FakeLambdaContext.this) {
                    lines.add(message.stripTrailing());
                }
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
