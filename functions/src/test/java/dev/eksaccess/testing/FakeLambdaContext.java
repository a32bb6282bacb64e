package dev.eksaccess.testing;

import dev.eksaccess.testsupport.LocalLambdaContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Lambda context for a function in a given account (eu-west-1), whose logger keeps every line. */
public final class FakeLambdaContext extends LocalLambdaContext {

    private final List<String> lines;

    public FakeLambdaContext(String account) {
        this(account, new CopyOnWriteArrayList<>());
    }

    private FakeLambdaContext(String account, List<String> lines) {
        super(functionArn("eu-west-1", account, "eks-access-cluster-creation"), lines::add);
        this.lines = lines;
    }

    /** The logged lines, without trailing newlines. */
    public List<String> logLines() {
        return List.copyOf(lines);
    }
}
