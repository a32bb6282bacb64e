package dev.eksaccess.delivery;

import dev.eksaccess.request.RestoreRequest;

/** The grant queue, to which the drift function sends the restores it decides on (docs/drift.md, "Repair"). */
@FunctionalInterface
public interface RestoreQueue {

    void send(RestoreRequest request);
}
