package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The send log behind {@link SenderIdentities}, and how the proxy reads sends off the wire. */
class SentMessagesTest {

    private final SentMessages sent = new SentMessages();

    @Test
    void recordsEveryMessageOfASignedSend() {
        sent.sendFinished(sent.sendStarted(), "AKIDALICE", List.of("m1", "m2"));

        assertThat(sent.accessKeyOf("m1", Duration.ZERO)).contains("AKIDALICE");
        assertThat(sent.accessKeyOf("m2", Duration.ZERO)).contains("AKIDALICE");
        assertThat(sent.accessKeyOf("m3", Duration.ZERO)).isEmpty();
    }

    @Test
    void aMessageKeepsItsFirstSender_asAFifoDeduplicatedSendAnswersWithTheFirstMessagesId() {
        sent.sendFinished(sent.sendStarted(), "AKIDALICE", List.of("m1"));
        sent.sendFinished(sent.sendStarted(), "AKIDBOB", List.of("m1"));

        assertThat(sent.accessKeyOf("m1", Duration.ZERO)).contains("AKIDALICE");
    }

    @Test
    void anUnsignedSendRecordsNothing() {
        sent.sendFinished(sent.sendStarted(), null, List.of("m1"));

        assertThat(sent.accessKeyOf("m1", Duration.ZERO)).isEmpty();
    }

    @Test
    void aLookupWaitsForASendThatWasInFlightWhenAsked() throws Exception {
        // GIVEN a send the emulator has stored but whose response has not reached the proxy yet
        long ticket = sent.sendStarted();

        // WHEN a consumer that already received the message asks for its sender
        Lookup lookup = Lookup.waiting(sent, "m1", Duration.ofSeconds(30));
        sent.sendFinished(ticket, "AKIDALICE", List.of("m1"));

        // THEN it gets the sender once the send is recorded
        assertThat(lookup.answer()).contains("AKIDALICE");
    }

    @Test
    void aLookupDoesNotWaitForSendsStartedAfterIt() throws Exception {
        // GIVEN a lookup of a message sent around the proxy, waiting for a send that was in flight when asked
        long earlier = sent.sendStarted();
        Lookup lookup = Lookup.waiting(sent, "around-the-proxy", Duration.ofSeconds(30));

        // WHEN a later send starts and is never answered, and the earlier one is answered
        sent.sendStarted();
        sent.sendFinished(earlier, "AKIDALICE", List.of("another-message"));

        // THEN the lookup answers at once: the later send cannot have created a message already received
        assertThat(lookup.answer()).isEmpty();
    }

    @Test
    void aLookupGivesUpAfterItsMaximumWait() {
        sent.sendStarted();   // never answered
        long started = System.nanoTime();

        assertThat(sent.accessKeyOf("m1", Duration.ofMillis(300))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void proxy_readsTheAccessKeyOfASigV4Authorization() {
        assertThat(SqsSendRecordingProxy.accessKeyOf("AWS4-HMAC-SHA256 Credential=AKIDSENDER0000000001/20261202/"
                + "us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"))
                .contains("AKIDSENDER0000000001");
        assertThat(SqsSendRecordingProxy.accessKeyOf(null)).isEmpty();
        assertThat(SqsSendRecordingProxy.accessKeyOf("Bearer token")).isEmpty();
    }

    @Test
    void proxy_readsTheMessageIdsOfJsonAndXmlSendResponses() {
        String single = "{\"MD5OfMessageBody\":\"5d41402abc4b2a76b9719d911017c592\",\"MessageId\":\"id-1\"}";
        String batch = "{\"Successful\":[{\"Id\":\"a\",\"MessageId\":\"id-2\",\"MD5OfMessageBody\":\"x\"},"
                + "{\"Id\":\"b\",\"MessageId\" : \"id-3\"}],\"Failed\":[{\"Id\":\"c\",\"Code\":\"InvalidMessageContents\","
                + "\"SenderFault\":true,\"Message\":\"MessageId\"}]}";
        String xml = "<SendMessageResponse><SendMessageResult><MD5OfMessageBody>x</MD5OfMessageBody>"
                + "<MessageId>id-4</MessageId></SendMessageResult></SendMessageResponse>";

        assertThat(SqsSendRecordingProxy.messageIds(single.getBytes())).containsExactly("id-1");
        assertThat(SqsSendRecordingProxy.messageIds(batch.getBytes())).containsExactly("id-2", "id-3");
        assertThat(SqsSendRecordingProxy.messageIds(xml.getBytes())).containsExactly("id-4");
    }

    @Test
    void proxy_readsTheActionOfAQueryProtocolRequest() {
        assertThat(SqsSendRecordingProxy.queryAction("QueueUrl=x&Action=SendMessageBatch&Version=2012-11-05"))
                .contains("SendMessageBatch");
        assertThat(SqsSendRecordingProxy.queryAction("QueueUrl=x")).isEmpty();
        assertThat(SqsSendRecordingProxy.queryAction(null)).isEmpty();
    }

    /** A lookup on its own thread, observed once it waits (so it has taken its place among the sends in flight). */
    private record Lookup(CompletableFuture<Optional<String>> result) {

        static Lookup waiting(SentMessages sent, String messageId, Duration maxWait) throws InterruptedException {
            CompletableFuture<Optional<String>> result = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().daemon().start(() -> result.complete(sent.accessKeyOf(messageId, maxWait)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (thread.getState() != Thread.State.TIMED_WAITING) {
                assertThat(result).as("the lookup answered without waiting").isNotDone();
                assertThat(System.nanoTime()).as("the lookup never waited").isLessThan(deadline);
                Thread.sleep(5);
            }
            return new Lookup(result);
        }

        Optional<String> answer() throws Exception {
            return result.get(5, TimeUnit.SECONDS);
        }
    }
}
