package dev.eksaccess.delivery;

/** The grant queue, to which the expiry sweep sends its revoke requests. */
@FunctionalInterface
public interface GrantQueue {

    void send(String messageBody);
}
