package dev.eksaccess.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP proxy in front of an SQS endpoint (ElasticMQ or LocalStack) that forwards every request and
 * response as it is, and tells {@link SentMessages} which access key sent each new message.
 *
 * <p>The access key is the one in the SigV4 {@code Authorization} header ({@code Credential=AKID/date/region/sqs/...});
 * the signature is not checked, as the emulators behind it do not check it either. A send is
 * {@code SendMessage} or {@code SendMessageBatch} in the AWS JSON 1.0 protocol the SDK v2 speaks since 2.21
 * ({@code X-Amz-Target: AmazonSQS.SendMessage}) or in the older Query protocol ({@code Action=SendMessage}); the
 * message ids come from its successful response ({@code MessageId}, once per message; a batch's failed entries have
 * none).
 *
 * <p>"As it is" means method, path, query, headers and body, except the headers a proxy may not pass on:
 * {@code Host} (the emulator sees its own address; the signature, which covers the host, is not checked) and the
 * hop-by-hop ones ({@code Connection}, {@code Content-Length}, {@code Transfer-Encoding}, ...), which each side sets
 * itself.
 */
final class SqsSendRecordingProxy implements AutoCloseable {

    /** Headers java.net.http sets itself, and hop-by-hop headers that describe one connection, not the message. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding");
    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final Pattern JSON_MESSAGE_ID = Pattern.compile("\"MessageId\"\\s*:\\s*\"([^\"\\\\]+)\"");
    private static final Pattern XML_MESSAGE_ID = Pattern.compile("<MessageId>([^<]+)</MessageId>");
    private static final Set<String> SEND_ACTIONS = Set.of("SendMessage", "SendMessageBatch");

    private final URI target;
    private final SentMessages sent;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;

    private SqsSendRecordingProxy(URI target, SentMessages sent) throws IOException {
        this.target = target;
        this.sent = sent;
        executor = Executors.newVirtualThreadPerTaskExecutor();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a proxy to {@code target} (scheme, host and port; no path) on a free loopback port. */
    static SqsSendRecordingProxy start(URI target, SentMessages sent) {
        try {
            return new SqsSendRecordingProxy(target, sent);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the SQS send-recording proxy", e);
        }
    }

    /** The endpoint to give SQS clients instead of the emulator's. */
    URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
        executor.shutdownNow();
    }

    /**
     * Forwards one request and answers with the emulator's response. A send is recorded before the client gets its
     * answer, so once a client's send returns, its messages' sender is known.
     */
    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            boolean send = isSend(exchange, requestBody);
            HttpResponse<byte[]> response = null;
            String failure = null;
            String accessKey = null;
            List<String> messageIds = List.of();
            long ticket = send ? sent.sendStarted() : -1;
            try {
                response = client.send(request(exchange, requestBody), HttpResponse.BodyHandlers.ofByteArray());
                if (send && response.statusCode() == 200) {
                    accessKey = accessKeyOf(exchange.getRequestHeaders().getFirst("Authorization")).orElse(null);
                    messageIds = messageIds(response.body());
                }
            } catch (IOException e) {
                failure = "the proxy could not reach " + target + ": " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "the proxy was stopped";
            } finally {
                if (send) {
                    sent.sendFinished(ticket, accessKey, messageIds);
                }
            }
            if (response != null) {
                respond(exchange, response);
            } else {
                byte[] body = failure.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(502, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private HttpRequest request(HttpExchange exchange, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/+$", "")
                        + exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    private static void respond(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Whether the request is a SendMessage or SendMessageBatch, in either protocol. */
    static boolean isSend(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            return target.startsWith("AmazonSQS.") && SEND_ACTIONS.contains(target.substring("AmazonSQS.".length()));
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String form = contentType != null && contentType.startsWith("application/x-www-form-urlencoded")
                ? new String(body, StandardCharsets.UTF_8) : exchange.getRequestURI().getRawQuery();
        return queryAction(form).filter(SEND_ACTIONS::contains).isPresent();
    }

    /** The {@code Action} parameter of a Query-protocol request. */
    static Optional<String> queryAction(String form) {
        if (form == null) {
            return Optional.empty();
        }
        for (String pair : form.split("&")) {
            String[] parts = pair.split("=", 2);
            if (parts.length == 2 && URLDecoder.decode(parts[0], StandardCharsets.UTF_8).equals("Action")) {
                return Optional.of(URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** The access key id a SigV4 {@code Authorization} header names. */
    static Optional<String> accessKeyOf(String authorization) {
        Matcher key = ACCESS_KEY.matcher(authorization == null ? "" : authorization);
        return key.find() ? Optional.of(key.group(1)) : Optional.empty();
    }

    /** The message ids in a successful send response, JSON or XML. */
    static List<String> messageIds(byte[] responseBody) {
        String body = new String(responseBody, StandardCharsets.UTF_8);
        Matcher ids = (body.stripLeading().startsWith("<") ? XML_MESSAGE_ID : JSON_MESSAGE_ID).matcher(body);
        List<String> found = new ArrayList<>();
        while (ids.find()) {
            found.add(ids.group(1));
        }
        return found;
    }
}
