package dev.eksaccess.testsupport;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The senders of a test's SQS messages, so that the {@code SenderId} a handler sees depends on which credentials
 * sent the message, as in AWS.
 *
 * <p><b>Why.</b> SQS sets a message's {@code SenderId} system attribute from the credentials that sent it: the IAM
 * user's unique id ({@code AIDA…}) or the role's unique id and session name ({@code AROA…:session}); no field of the
 * message can change it. The emulators cannot: ElasticMQ answers {@code 127.0.0.1} for every message, and LocalStack
 * the account id of the signing access key ({@code 000000000000} for most keys), never an IAM unique id.
 *
 * <p><b>How.</b> A test declares each sender with the {@code SenderId} SQS would set for it
 * ({@link #user}, {@link #roleSession}, {@link #declare}); each gets its own fake access key id. Its messages are
 * sent with {@link Sender#sqs()} (or a client built from {@link Sender#credentials()} and {@link #sqsEndpoint()},
 * or from {@link #sdkEnvironment(Sender)} for code that builds its clients from the environment), which goes through
 * a small proxy in front of the emulator. The proxy forwards every request as it is and records, for each message
 * a {@code SendMessage} or {@code SendMessageBatch} created, the access key that signed the send. An
 * {@link EventSourceMappingPoller} given this registry then hands the handler each message with the
 * {@code SenderId} of its sender: on every delivery, redeliveries and dead-letter queues included (the message id
 * stays the same).
 *
 * <pre>{@code
 * try (SenderIdentities senders = SenderIdentities.start(aws)) {
 *     SenderIdentities.Sender team = senders.roleSession("AROAEXAMPLETEAM0001", "ci-session");
 *     team.sqs().sendMessage(send -> send.queueUrl(queueUrl).messageBody(grant));
 *     new EventSourceMappingPoller(aws.sqs(), queueUrl, handler, 10, Duration.ZERO, contexts, senders)
 *             .drain(Duration.ofSeconds(30));   // the handler saw SenderId AROAEXAMPLETEAM0001:ci-session
 * }
 * }</pre>
 *
 * <p><b>Undeclared senders.</b> A message not sent through the proxy by a declared sender (sent with the backend's
 * own client {@link AwsBackend#sqs()}, or with credentials nobody declared) gets {@value #UNDECLARED_SENDER_ID}: a
 * well-formed IAM user id that no test can declare, so the code under test takes the path of an IAM principal it
 * does not know, as it would in AWS, and a failing test's output says what happened. To test a sender that is
 * refused, prefer declaring one whose id is simply not configured: that is the case AWS produces.
 *
 * <p><b>Limits.</b> Nothing is checked about the credentials (the emulators check no signature, and neither does
 * the proxy), so this is no test of IAM or queue policies: which senders may send at all is the CDK app's and its
 * tests' concern. The {@code SenderId} is set by the poller, so only consumers that read through an
 * {@link EventSourceMappingPoller} given this registry see it; a plain {@code ReceiveMessage} still shows the
 * emulator's value. Role-session senders sign with plain access keys, not temporary ({@code ASIA…}) credentials
 * with a session token.
 */
public final class SenderIdentities implements AutoCloseable {

    /**
     * The {@code SenderId} of a message no declared sender sent: a well-formed IAM user id ({@code AIDA} and 17
     * characters) that {@link #declare} refuses, so it never names a declared sender.
     */
    public static final String UNDECLARED_SENDER_ID = "AIDAUNDECLAREDSENDER0";

    /** IAM unique ids are 16 to 128 characters; users' start with AIDA, roles' with AROA. */
    private static final Pattern USER_ID = Pattern.compile("AIDA[A-Z0-9]{12,124}");
    private static final Pattern ROLE_ID = Pattern.compile("AROA[A-Z0-9]{12,124}");
    /** A role session name as STS accepts it. */
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final String SECRET_KEY = "sender-identities-secret";
    /** How long a delivery waits for a send still in flight through the proxy to be recorded. */
    private static final Duration RECORDING_WAIT = Duration.ofSeconds(10);
    /** Unique in the JVM, so a client of one registry is never taken for a sender of another. */
    private static final AtomicLong ACCESS_KEYS = new AtomicLong();

    private final AwsBackend backend;
    private final SentMessages sent = new SentMessages();
    private final SqsSendRecordingProxy proxy;
    private final Map<String, Sender> byAccessKey = new ConcurrentHashMap<>();
    private final List<SqsClient> clients = new ArrayList<>();
    private boolean closed;

    private SenderIdentities(AwsBackend backend) {
        this.backend = backend;
        this.proxy = SqsSendRecordingProxy.start(backend.sqsEndpoint(), sent);
    }

    /** Starts a registry, with no senders, in front of {@code backend}'s SQS; the caller closes it. */
    public static SenderIdentities start(AwsBackend backend) {
        return new SenderIdentities(Objects.requireNonNull(backend, "backend"));
    }

    /**
     * A sender signing as an IAM user.
     *
     * @param userId the user's unique id, {@code AIDA…} (IAM {@code GetUser}'s {@code UserId}, or
     *               {@link IamEmulator#createUser}'s answer)
     */
    public Sender user(String userId) {
        if (!USER_ID.matcher(userId).matches()) {
            throw new IllegalArgumentException("not an IAM user's unique id (AIDA and 12 to 124 capital letters or "
                    + "digits): " + userId);
        }
        return declare(userId);
    }

    /**
     * A sender signing with a session of an IAM role; its {@code SenderId} is {@code roleId:sessionName}.
     *
     * @param roleId      the role's unique id, {@code AROA…} (IAM {@code GetRole}'s {@code RoleId}, or
     *                    {@link IamEmulator#createRole}'s answer)
     * @param sessionName the role session name (for a Lambda function, its name; for EC2, the instance id)
     */
    public Sender roleSession(String roleId, String sessionName) {
        if (!ROLE_ID.matcher(roleId).matches()) {
            throw new IllegalArgumentException("not an IAM role's unique id (AROA and 12 to 124 capital letters or "
                    + "digits): " + roleId);
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw new IllegalArgumentException("not a role session name (2 to 64 of letters, digits and _+=,.@-): "
                    + sessionName);
        }
        return declare(roleId + ":" + sessionName);
    }

    /**
     * A sender whose messages SQS gives {@code senderId}: {@code AIDA…} for a user, {@code AROA…:session} for a role
     * session. Each call makes a new sender with its own access key, even for an id already declared (one principal
     * can hold several keys or sessions of the same name).
     */
    public Sender declare(String senderId) {
        Objects.requireNonNull(senderId, "senderId");
        String[] parts = senderId.split(":", -1);
        boolean valid = parts.length == 1 ? USER_ID.matcher(senderId).matches()
                : parts.length == 2 && ROLE_ID.matcher(parts[0]).matches() && SESSION_NAME.matcher(parts[1]).matches();
        if (!valid) {
            throw new IllegalArgumentException("not a SenderId SQS gives an IAM principal (AIDA… for a user, "
                    + "AROA…:session for a role session): " + senderId);
        }
        if (senderId.equals(UNDECLARED_SENDER_ID)) {
            throw new IllegalArgumentException(UNDECLARED_SENDER_ID + " is reserved for messages no declared sender "
                    + "sent");
        }
        Sender sender = new Sender(senderId, "AKIDSENDER%010d".formatted(ACCESS_KEYS.incrementAndGet()));
        byAccessKey.put(sender.accessKeyId(), sender);
        return sender;
    }

    /** The endpoint to give SQS clients whose sends should be recorded: the proxy in front of the emulator. */
    public URI sqsEndpoint() {
        return proxy.endpoint();
    }

    /**
     * The declared sender whose credentials sent {@code messageId} through this registry's proxy; empty when the
     * message was sent around the proxy or with undeclared credentials.
     */
    public Optional<Sender> senderOf(String messageId) {
        return sent.accessKeyOf(messageId, RECORDING_WAIT).map(byAccessKey::get);
    }

    /**
     * The {@code SenderId} SQS would give {@code messageId}: its declared sender's, else
     * {@value #UNDECLARED_SENDER_ID}. What {@link EventSourceMappingPoller} hands the handler.
     */
    public String senderIdOf(String messageId) {
        return senderOf(messageId).map(Sender::senderId).orElse(UNDECLARED_SENDER_ID);
    }

    /**
     * {@link AwsBackend#sdkEnvironment()} for code that sends as {@code sender} and builds its SDK clients from the
     * environment (as the functions do): the sender's access key, and SQS through the proxy.
     */
    public Map<String, String> sdkEnvironment(Sender sender) {
        requireOwn(sender);
        Map<String, String> environment = new HashMap<>(backend.sdkEnvironment());
        environment.put("AWS_ACCESS_KEY_ID", sender.accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        environment.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint().toString());
        return Map.copyOf(environment);
    }

    /** Stops the proxy and closes the senders' clients; what was recorded can still be looked up. */
    @Override
    public void close() {
        List<SqsClient> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = List.copyOf(clients);
        }
        try {
            toClose.forEach(SqsClient::close);
        } finally {
            proxy.close();
        }
    }

    @Override
    public String toString() {
        return "SenderIdentities[" + byAccessKey.size() + " senders, proxy " + sqsEndpoint() + " -> "
                + backend.sqsEndpoint() + "]";
    }

    private void requireOwn(Sender sender) {
        if (byAccessKey.get(sender.accessKeyId()) != sender) {
            throw new IllegalArgumentException(sender + " was declared in another registry");
        }
    }

    private synchronized SqsClient newClient(Sender sender) {
        if (closed) {
            throw new IllegalStateException("the SenderIdentities of " + sender + " are closed");
        }
        SqsClient client = SqsClient.builder()
                .endpointOverride(sqsEndpoint())
                .region(backend.region())
                .credentialsProvider(sender.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        clients.add(client);
        return client;
    }

    /** One declared sender: the {@code SenderId} SQS gives its messages, and the credentials it signs with. */
    public final class Sender {

        private final String senderId;
        private final String accessKeyId;
        private SqsClient sqs;

        private Sender(String senderId, String accessKeyId) {
            this.senderId = senderId;
            this.accessKeyId = accessKeyId;
        }

        /** {@code AIDA…} or {@code AROA…:session}, as a consumer of the queue sees it. */
        public String senderId() {
            return senderId;
        }

        /** The fake access key id its requests are signed with; unique in the JVM. */
        public String accessKeyId() {
            return accessKeyId;
        }

        /** Its credentials, for clients a test builds itself (pointed at {@link #sqsEndpoint()}). */
        public AwsCredentialsProvider credentials() {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, SECRET_KEY));
        }

        /** An SQS client sending as this sender through the proxy; shared, closed with the registry. */
        public synchronized SqsClient sqs() {
            if (sqs == null) {
                sqs = newClient(this);
            }
            return sqs;
        }

        @Override
        public String toString() {
            return "sender " + senderId + " (access key " + accessKeyId + ")";
        }
    }
}
