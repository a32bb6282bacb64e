package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link SenderIdentities} with the real SDK client over HTTP, through its proxy to the emulated SQS, and the
 * {@link EventSourceMappingPoller} handing the messages to a handler with their senders' ids.
 */
@ExtendWith(EmulatedAws.class)
class SenderIdentitiesIT {

    private static final Duration VISIBILITY = Duration.ofSeconds(1);
    private static final String TEAM_ROLE = "AROAEXAMPLETEAM0001";
    private static final String ALICE = "AIDAEXAMPLEUSER0001";

    private final AwsBackend aws;
    private final SenderIdentities senders;

    SenderIdentitiesIT(AwsBackend aws) {
        this.aws = aws;
        this.senders = SenderIdentities.start(aws);
    }

    @AfterEach
    void stop() {
        senders.close();
    }

    @Test
    void elasticMq_givesEveryMessageTheSameSenderId_andAPollerWithoutSendersPassesItOn() {
        assumeTrue(aws.kind() == BackendKind.LOCAL, "pins ElasticMQ's behaviour, the reason for SenderIdentities");
        // GIVEN messages sent with two different access keys
        QueuePair queue = queue(3);
        senders.user(ALICE).sqs().sendMessage(send -> send.queueUrl(queue.queueUrl()).messageBody("alice"));
        senders.roleSession(TEAM_ROLE, "ci").sqs().sendMessage(send -> send.queueUrl(queue.queueUrl())
                .messageBody("team"));

        // WHEN a poller without SenderIdentities hands them to a handler
        RecordingHandler handler = new RecordingHandler(body -> false);
        new EventSourceMappingPoller(aws.sqs(), queue.queueUrl(), handler, 10, Duration.ofMillis(300), contexts())
                .drain(Duration.ofSeconds(30));

        // THEN both carry ElasticMQ's fixed value, whoever sent them
        assertThat(handler.senderIdsOf("alice")).containsExactly("127.0.0.1");
        assertThat(handler.senderIdsOf("team")).containsExactly("127.0.0.1");
    }

    @Test
    void twoSenders_reachTheHandlerWithTheirOwnSenderIds() {
        // GIVEN a role session and a user, each sending through its own client
        SenderIdentities.Sender team = senders.roleSession(TEAM_ROLE, "ci-session");
        SenderIdentities.Sender alice = senders.user(ALICE);
        QueuePair queue = queue(3);
        send(team, queue, "team-1");
        send(alice, queue, "alice-1");
        send(team, queue, "team-2");

        // WHEN the poller given the registry hands them to the handler
        RecordingHandler handler = new RecordingHandler(body -> false);
        poller(queue.queueUrl(), handler).drain(Duration.ofSeconds(30));

        // THEN each message carries the SenderId of the credentials that sent it
        assertThat(handler.senderIdsOf("team-1")).containsExactly("AROAEXAMPLETEAM0001:ci-session");
        assertThat(handler.senderIdsOf("team-2")).containsExactly("AROAEXAMPLETEAM0001:ci-session");
        assertThat(handler.senderIdsOf("alice-1")).containsExactly("AIDAEXAMPLEUSER0001");
        assertThat(team.accessKeyId()).isNotEqualTo(alice.accessKeyId());
    }

    @Test
    void batchSend_mapsEveryEntryToItsSender_andAFailedEntryToNothing() {
        // GIVEN two senders each sending one batch, one of whose entries SQS refuses (a body with U+0001)
        SenderIdentities.Sender team = senders.roleSession(TEAM_ROLE, "ci-session");
        SenderIdentities.Sender alice = senders.user(ALICE);
        QueuePair queue = queue(3);
        SendMessageBatchResponse teamBatch = sendBatch(team, queue, "team-0", "team-1", "team-2", "team-3");
        SendMessageBatchResponse aliceBatch = sendBatch(alice, queue, "alice-0", "bad\u0001body", "alice-2");

        // WHEN the messages are delivered, three to an invocation
        RecordingHandler handler = new RecordingHandler(body -> false);
        new EventSourceMappingPoller(aws.sqs(), queue.queueUrl(), handler, 3, Duration.ofMillis(300), contexts(),
                senders).drain(Duration.ofSeconds(30));

        // THEN every entry that was sent carries its own sender's id; the refused one created no message
        assertThat(teamBatch.successful()).hasSize(4);
        assertThat(aliceBatch.successful()).hasSize(2);
        assertThat(aliceBatch.failed()).hasSize(1);
        IntStream.range(0, 4).forEach(i -> assertThat(handler.senderIdsOf("team-" + i))
                .containsExactly(team.senderId()));
        assertThat(handler.senderIdsOf("alice-0")).containsExactly(alice.senderId());
        assertThat(handler.senderIdsOf("alice-2")).containsExactly(alice.senderId());
        assertThat(handler.records).hasSize(6);
        aliceBatch.successful().forEach(entry -> assertThat(senders.senderOf(entry.messageId())).contains(alice));
    }

    @Test
    void undeclaredCredentials_andSendsAroundTheProxy_giveNoKnownSenderId() {
        // GIVEN a message sent through the proxy with credentials nobody declared, one sent with the backend's own
        // client (around the proxy), and one from a declared sender
        QueuePair queue = queue(3);
        SenderIdentities.Sender alice = senders.user(ALICE);
        try (SqsClient stranger = SqsClient.builder().endpointOverride(senders.sqsEndpoint()).region(aws.region())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTRANGER0000001",
                        "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            stranger.sendMessage(send -> send.queueUrl(queue.queueUrl()).messageBody("stranger"));
        }
        String aroundId = aws.sqs().sendMessage(send -> send.queueUrl(queue.queueUrl()).messageBody("around"))
                .messageId();
        send(alice, queue, "alice");

        // WHEN they are delivered
        RecordingHandler handler = new RecordingHandler(body -> false);
        poller(queue.queueUrl(), handler).drain(Duration.ofSeconds(30));

        // THEN the undeclared ones carry the reserved id, which no sender can be declared with
        assertThat(handler.senderIdsOf("stranger")).containsExactly(SenderIdentities.UNDECLARED_SENDER_ID);
        assertThat(handler.senderIdsOf("around")).containsExactly(SenderIdentities.UNDECLARED_SENDER_ID);
        assertThat(handler.senderIdsOf("alice")).containsExactly(ALICE);
        assertThat(senders.senderOf(aroundId)).isEmpty();
        assertThat(senders.senderOf(handler.idOf("stranger"))).isEmpty();
        assertThatThrownBy(() -> senders.declare(SenderIdentities.UNDECLARED_SENDER_ID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void redeliveredMessages_keepTheirSender_intoTheDeadLetterQueue() {
        // GIVEN a queue allowing two receives, a message that fails once and one that always fails
        SenderIdentities.Sender team = senders.roleSession(TEAM_ROLE, "ci-session");
        QueuePair queue = queue(2);
        send(team, queue, "flaky");
        send(team, queue, "poison");
        List<String> failedOnce = new CopyOnWriteArrayList<>();
        RecordingHandler handler = new RecordingHandler(body -> body.equals("poison")
                || body.equals("flaky") && !failedOnce.contains(body) && failedOnce.add(body));

        // WHEN the queue is drained (the poison message moves to the dead-letter queue) and the dead-letter queue
        // is consumed too
        poller(queue.queueUrl(), handler).drain(Duration.ofSeconds(30));
        RecordingHandler deadLetters = new RecordingHandler(body -> false);
        poller(queue.deadLetterQueueUrl(), deadLetters).drain(Duration.ofSeconds(30));

        // THEN every delivery carries the sender's id
        assertThat(handler.receiveCountsOf("flaky")).containsExactly("1", "2");
        assertThat(handler.senderIdsOf("flaky")).containsExactly(team.senderId(), team.senderId());
        assertThat(handler.senderIdsOf("poison")).containsExactly(team.senderId(), team.senderId());
        assertThat(deadLetters.senderIdsOf("poison")).containsExactly(team.senderId());
    }

    @Test
    void proxy_forwardsRequestsAndErrorsAsTheEmulatorAnswersThem() {
        // GIVEN a queue created, and a message sent, received and deleted, all through the proxy
        SqsClient sqs = senders.user(ALICE).sqs();
        String queueUrl = sqs.createQueue(create -> create.queueName(UniqueNames.unique("proxied"))).queueUrl();
        sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody("hello"));
        List<Message> received = sqs.receiveMessage(receive -> receive.queueUrl(queueUrl).waitTimeSeconds(2)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(received).extracting(Message::body).containsExactly("hello");
        assertThat(received.getFirst().md5OfBody()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        sqs.deleteMessage(delete -> delete.queueUrl(queueUrl).receiptHandle(received.getFirst().receiptHandle()));
        assertThat(aws.sqs().receiveMessage(receive -> receive.queueUrl(queueUrl).waitTimeSeconds(1)).messages())
                .isEmpty();

        // WHEN a send fails, THEN the client sees the emulator's error, as without the proxy
        assertThatThrownBy(() -> sqs.sendMessage(send -> send.queueUrl(queueUrl + "-missing").messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
        assertThatThrownBy(() -> aws.sqs().sendMessage(send -> send.queueUrl(queueUrl + "-missing").messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void queryProtocolSend_isRecordedToo() throws Exception {
        assumeTrue(aws.kind() == BackendKind.LOCAL, "ElasticMQ still answers the Query protocol");
        // GIVEN a sender and a queue
        SenderIdentities.Sender team = senders.roleSession(TEAM_ROLE, "cli");
        QueuePair queue = queue(3);

        // WHEN it sends in the Query protocol (form body, XML answer), as older SDKs and the AWS CLI v1 did
        String form = "Action=SendMessage&Version=2012-11-05&QueueUrl="
                + URLEncoder.encode(queue.queueUrl(), StandardCharsets.UTF_8) + "&MessageBody=query";
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(HttpRequest.newBuilder(senders.sqsEndpoint().resolve("/"))
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + team.accessKeyId()
                            + "/20261202/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        // THEN the message is its sender's
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String messageId = SqsSendRecordingProxy.messageIds(response.body().getBytes(StandardCharsets.UTF_8))
                .getFirst();
        assertThat(senders.senderIdOf(messageId)).isEqualTo("AROAEXAMPLETEAM0001:cli");
    }

    @Test
    void sdkEnvironment_pointsSqsAtTheProxyWithTheSendersKey() {
        // GIVEN the environment a function sending as a Lambda role session would be started with
        SenderIdentities.Sender function = senders.roleSession("AROAEXAMPLEFUNCTION01", "cluster-created");
        Map<String, String> environment = senders.sdkEnvironment(function);
        assertThat(environment).containsEntry("AWS_ENDPOINT_URL_SQS", senders.sqsEndpoint().toString())
                .containsEntry("AWS_ACCESS_KEY_ID", function.accessKeyId())
                .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", aws.dynamoDbEndpoint().toString())
                .containsEntry("AWS_REGION", aws.region().id());

        // WHEN a client is built from it and sends
        QueuePair queue = queue(3);
        String messageId;
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(environment.get("AWS_ENDPOINT_URL_SQS")))
                .region(aws.region())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            messageId = sqs.sendMessage(send -> send.queueUrl(queue.queueUrl()).messageBody("bootstrap")).messageId();
        }

        // THEN its message is the function's
        assertThat(senders.senderIdOf(messageId)).isEqualTo("AROAEXAMPLEFUNCTION01:cluster-created");
    }

    @Test
    void declare_refusesWhatSqsNeverGivesAsSenderId() {
        assertThatThrownBy(() -> senders.declare("arn:aws:iam::111122223333:role/team"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AROA…:session");
        assertThatThrownBy(() -> senders.declare("AROAEXAMPLETEAM0001:"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> senders.user(TEAM_ROLE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user");
        assertThatThrownBy(() -> senders.roleSession(TEAM_ROLE, "no spaces"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session name");
        assertThat(senders.declare("AROAEXAMPLETEAM0001:ci-session").senderId())
                .isEqualTo("AROAEXAMPLETEAM0001:ci-session");
    }

    private QueuePair queue(int maxReceiveCount) {
        return SqsQueues.createWithDeadLetterQueue(aws.sqs(), UniqueNames.unique("senders"), maxReceiveCount,
                VISIBILITY);
    }

    private EventSourceMappingPoller poller(String queueUrl, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        return new EventSourceMappingPoller(aws.sqs(), queueUrl, handler, 10, Duration.ofMillis(300), contexts(),
                senders);
    }

    private static Supplier<Context> contexts() {
        return () -> new LocalLambdaContext(LocalLambdaContext.functionArn("us-east-1", "111122223333", "test"),
                line -> { });
    }

    private static void send(SenderIdentities.Sender sender, QueuePair queue, String body) {
        sender.sqs().sendMessage(send -> send.queueUrl(queue.queueUrl()).messageBody(body));
    }

    private static SendMessageBatchResponse sendBatch(SenderIdentities.Sender sender, QueuePair queue,
            String... bodies) {
        List<SendMessageBatchRequestEntry> entries = IntStream.range(0, bodies.length)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies[i]).build())
                .toList();
        return sender.sqs().sendMessageBatch(batch -> batch.queueUrl(queue.queueUrl()).entries(entries));
    }
}
