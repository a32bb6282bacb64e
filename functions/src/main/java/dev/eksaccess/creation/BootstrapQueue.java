package dev.eksaccess.creation;

import dev.eksaccess.request.BootstrapRequest;

/** Where bootstrap requests go: the grant queue, read by the grant processor. */
public interface BootstrapQueue {

    /**
     * Sends {@code request}. Sending the same request twice is harmless: the grant processor recognises it by its
     * request id.
     *
     * @throws RuntimeException when the queue cannot be reached; the caller lets the event be retried
     */
    void send(BootstrapRequest request);
}
