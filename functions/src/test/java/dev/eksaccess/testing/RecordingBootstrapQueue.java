package dev.eksaccess.testing;

import dev.eksaccess.creation.BootstrapQueue;
import dev.eksaccess.request.BootstrapRequest;
import java.util.ArrayList;
import java.util.List;

/** Keeps what was sent; can be told to fail the next sends, like an SQS outage. */
public final class RecordingBootstrapQueue implements BootstrapQueue {

    private final List<BootstrapRequest> sent = new ArrayList<>();
    private int failuresLeft;

    @Override
    public synchronized void send(BootstrapRequest request) {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IllegalStateException("SQS is unavailable (simulated)");
        }
        sent.add(request);
    }

    /** The next {@code count} sends fail. */
    public synchronized void failNext(int count) {
        failuresLeft = count;
    }

    public synchronized List<BootstrapRequest> sent() {
        return List.copyOf(sent);
    }
}
