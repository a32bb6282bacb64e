package dev.eksaccess.bench.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** The cold-start floor: a Lambda handler that does nothing, so a fresh JVM running it costs only the JVM's start. */
public final class TrivialHandler implements RequestHandler<Map<String, String>, String> {

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        return "ok " + event.size();
    }
}
