package dev.eksaccess.testsupport;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which access key sent which message, as {@link SqsSendRecordingProxy} saw the sends go by.
 *
 * <p>The emulator stores a message before its send's response reaches the proxy, so a consumer can receive it a
 * moment before it is recorded here. {@link #accessKeyOf} therefore waits for the sends that were in flight when it
 * was asked (the message's own send, if it went through the proxy, is one of them or already recorded); later sends
 * cannot have created a message that was already received, so it does not wait for them.
 */
final class SentMessages {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sendFinished = lock.newCondition();
    private final Map<String, String> accessKeyByMessageId = new HashMap<>();
    /** Tickets of the sends forwarded and not yet answered, in start order. */
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long nextTicket;

    /**
     * A send request is about to be forwarded.
     *
     * @return its ticket, to pass to {@link #sendFinished} whatever the send's outcome
     */
    long sendStarted() {
        lock.lock();
        try {
            long ticket = nextTicket++;
            inFlight.add(ticket);
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A send request was answered.
     *
     * @param accessKeyId the access key that signed it; null when it was not signed
     * @param messageIds  the messages it created (none when it failed)
     */
    void sendFinished(long ticket, String accessKeyId, List<String> messageIds) {
        lock.lock();
        try {
            if (accessKeyId != null) {
                // First send wins: a FIFO send deduplicated within five minutes answers with the first message's id,
                // and that message keeps its own sender, as in SQS.
                messageIds.forEach(id -> accessKeyByMessageId.putIfAbsent(id, accessKeyId));
            }
            inFlight.remove(ticket);
            sendFinished.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The access key that sent {@code messageId}; empty when no send through the proxy created it (it was sent
     * around the proxy, or unsigned). Waits up to {@code maxWait} for the sends in flight when asked.
     */
    Optional<String> accessKeyOf(String messageId, Duration maxWait) {
        long nanosLeft = maxWait.toNanos();
        lock.lock();
        try {
            long horizon = nextTicket;
            while (true) {
                String accessKey = accessKeyByMessageId.get(messageId);
                boolean earlierSendInFlight = !inFlight.isEmpty() && inFlight.first() < horizon;
                if (accessKey != null || !earlierSendInFlight || nanosLeft <= 0) {
                    return Optional.ofNullable(accessKey);
                }
                nanosLeft = sendFinished.awaitNanos(nanosLeft);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.ofNullable(accessKeyByMessageId.get(messageId));
        } finally {
            lock.unlock();
        }
    }
}
