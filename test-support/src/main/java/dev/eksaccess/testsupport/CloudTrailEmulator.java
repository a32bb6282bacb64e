package dev.eksaccess.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An in-JVM emulator of exactly CloudTrail's {@code LookupEvents} on 127.0.0.1, in the AWS JSON 1.1 protocol the SDK's
 * {@code CloudTrailClient} speaks: {@code POST /} with {@code X-Amz-Target:
 * com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents}, timestamps as epoch seconds, errors as
 * {@code __type} and {@code message}.
 *
 * <p>Like CloudTrail's event history it answers per account and region: the account from the access key that signed
 * the request ({@link #credentials(String)}, signatures are not checked; another key is refused with 403), the region from the signature's credential
 * scope. It serves the events recorded with {@link #record} (CloudTrail records: the {@code detail} of an
 * EventBridge-delivered event, such as the samples in {@code events/cloudtrail/create-cluster}, with the time the test
 * sets), newest first, filtered by one lookup attribute ({@code EventName}, {@code EventId}, {@code EventSource},
 * {@code Username}, {@code ResourceName}; CloudTrail accepts one) and the time range, and never those older than
 * {@link #RETENTION} by the emulator's clock. {@code MaxResults} (1 to 50, default 50) pages them with an opaque
 * {@code NextToken}. Errors as CloudTrail sends them: {@code InvalidLookupAttributesException},
 * {@code InvalidTimeRangeException}, {@code InvalidMaxResultsException}, {@code InvalidNextTokenException}; injected:
 * {@code AccessDeniedException}, {@code ThrottlingException}. Thread-safe.
 */
public final class CloudTrailEmulator implements AutoCloseable {

    /** The target prefix of the SDK's requests. */
    public static final String TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    /** How long CloudTrail's event history keeps an event. */
    public static final Duration RETENTION = Duration.ofDays(90);
    static final int MAX_RESULTS = 50;

    /** What an injected fault answers. */
    public enum Failure {
        /** 400 {@code AccessDeniedException}: the caller may not call LookupEvents. */
        ACCESS_DENIED("AccessDeniedException", "User is not authorized to perform: cloudtrail:LookupEvents"),
        /** 400 {@code ThrottlingException}, "Rate exceeded"; the SDK retries it. */
        THROTTLING("ThrottlingException", "Rate exceeded");

        final String type;
        final String message;

        Failure(String type, String message) {
            this.type = type;
            this.message = message;
        }
    }

    /** One LookupEvents call as the emulator saw it. */
    public record Call(String accountId, String region, String attribute, int status, Optional<String> errorType) {
    }

    private record Stored(String accountId, String region, ObjectNode record, Instant time) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The account is the access key's 12 digits, as {@link #credentials} and {@code EksEmulator.accessKeyOf} make them. */
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=AKIA(\\d{12})[A-Z0-9]{4}/\\d{8}/([a-z0-9-]+)/");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final List<Stored> events = new ArrayList<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final Map<String, List<Stored>> pages = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();

    private CloudTrailEmulator(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts an emulator with no events on a free loopback port; {@code clock} decides what the history still keeps. */
    public static CloudTrailEmulator start(Clock clock) {
        try {
            return new CloudTrailEmulator(clock);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the CloudTrail emulator", e);
        }
    }

    /** The base URI to give the SDK ({@code endpointOverride}, or {@code AWS_ENDPOINT_URL_CLOUDTRAIL}). */
    public URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /**
     * Credentials whose requests the emulator answers as {@code accountId}: any access key {@code AKIA} + the 12-digit
     * account + 4 letters or digits is taken for that account's (the EKS emulator's keys too).
     */
    public AwsCredentialsProvider credentials(String accountId) {
        String accessKey = "AKIA" + accountId + "CTRL";
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "emulated-secret"));
    }

    /**
     * Records a CloudTrail event in the history of its {@code recipientAccountId} and {@code awsRegion}: {@code event}
     * is the record itself, or an EventBridge event whose {@code detail} it is; its {@code eventTime} is set to
     * {@code time}.
     *
     * @return the record as served
     */
    public synchronized ObjectNode record(JsonNode event, Instant time) {
        ObjectNode record = (event.has("detail") ? event.get("detail") : event).deepCopy();
        record.put("eventTime", time.toString());
        events.add(new Stored(record.path("recipientAccountId").asText(), record.path("awsRegion").asText(), record, time));
        return record;
    }

    /** Records the sample {@code events/cloudtrail/create-cluster/NAME} at {@code time}. */
    public ObjectNode recordSample(String name, Instant time) {
        Path file = RepositoryRoot.resolve("events/cloudtrail/create-cluster/" + name);
        try {
            return record(JSON.readTree(Files.readString(file)), time);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** Every call of {@code accountId} fails with {@code failure} until {@link #clearFailure}. */
    public synchronized void failCallsOf(String accountId, Failure failure) {
        failures.put(accountId, failure);
    }

    public synchronized void clearFailure(String accountId) {
        failures.remove(accountId);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            Matcher credential = CREDENTIAL.matcher(
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse(""));
            int status;
            ObjectNode answer;
            synchronized (this) {
                String account = credential.find() ? credential.group(1) : null;
                String region = account == null ? null : credential.group(2);
                String attribute = null;
                try {
                    if (account == null) {
                        throw new Refusal(403, "UnrecognizedClientException", "The security token included in the "
                                + "request is invalid.");
                    }
                    if (!target.equals(TARGET + "LookupEvents")) {
                        throw new Refusal(400, "UnknownOperationException", "the emulator serves LookupEvents only, not "
                                + target);
                    }
                    Failure failure = failures.get(account);
                    if (failure != null) {
                        throw new Refusal(400, failure.type, failure.message);
                    }
                    JsonNode request = JSON.readTree(requestBody.length == 0 ? "{}".getBytes() : requestBody);
                    attribute = request.path("LookupAttributes").toString();
                    answer = lookup(account, region, request);
                    status = 200;
                    calls.add(new Call(account, region, attribute, status, Optional.empty()));
                } catch (Refusal refusal) {
                    status = refusal.status;
                    answer = JSON.createObjectNode().put("__type", refusal.type).put("message", refusal.getMessage());
                    calls.add(new Call(account, region, attribute, status, Optional.of(refusal.type)));
                }
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private ObjectNode lookup(String account, String region, JsonNode request) {
        int max = request.has("MaxResults") ? request.get("MaxResults").asInt() : MAX_RESULTS;
        if (max < 1 || max > MAX_RESULTS) {
            throw new Refusal(400, "InvalidMaxResultsException", "MaxResults must be from 1 to 50");
        }
        List<Stored> matching;
        int from = 0;
        if (request.hasNonNull("NextToken")) {
            String token = request.get("NextToken").asText();
            matching = pages.get(token);
            if (matching == null) {
                throw new Refusal(400, "InvalidNextTokenException", "Invalid NextToken");
            }
            from = Integer.parseInt(token.substring(token.lastIndexOf(':') + 1));
        } else {
            matching = matching(account, region, request);
        }
        int to = Math.min(matching.size(), from + max);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode out = answer.putArray("Events");
        for (Stored stored : matching.subList(from, to)) {
            out.add(summary(stored));
        }
        if (to < matching.size()) {
            String token = UUID.randomUUID() + ":" + to;
            pages.put(token, matching);
            answer.put("NextToken", token);
        }
        return answer;
    }

    private List<Stored> matching(String account, String region, JsonNode request) {
        JsonNode attributes = request.path("LookupAttributes");
        if (attributes.size() > 1) {
            throw new Refusal(400, "InvalidLookupAttributesException", "You can specify only one lookup attribute");
        }
        String key = attributes.size() == 1 ? attributes.get(0).path("AttributeKey").asText() : null;
        String value = attributes.size() == 1 ? attributes.get(0).path("AttributeValue").asText() : null;
        Instant now = clock.instant();
        Instant start = request.has("StartTime") ? epoch(request.get("StartTime")) : now.minus(RETENTION);
        Instant end = request.has("EndTime") ? epoch(request.get("EndTime")) : now;
        if (start.isAfter(end)) {
            throw new Refusal(400, "InvalidTimeRangeException", "StartTime is after EndTime");
        }
        Instant kept = now.minus(RETENTION);
        return events.stream()
                .filter(e -> e.accountId().equals(account) && e.region().equals(region))
                .filter(e -> !e.time().isBefore(kept) && !e.time().isBefore(start) && !e.time().isAfter(end))
                .filter(e -> key == null || matches(e.record(), key, value))
                .sorted(Comparator.comparing(Stored::time).reversed())
                .toList();
    }

    private static boolean matches(ObjectNode record, String key, String value) {
        return switch (key) {
            case "EventName" -> value.equals(record.path("eventName").asText());
            case "EventId" -> value.equals(record.path("eventID").asText());
            case "EventSource" -> value.equals(record.path("eventSource").asText());
            case "Username" -> value.equals(username(record));
            case "ResourceName" -> value.equals(record.path("requestParameters").path("name").asText());
            default -> throw new Refusal(400, "InvalidLookupAttributesException", "the emulator does not serve "
                    + "lookup attribute " + key);
        };
    }

    private static String username(ObjectNode record) {
        JsonNode identity = record.path("userIdentity");
        if (identity.has("userName")) {
            return identity.get("userName").asText();
        }
        String arn = identity.path("arn").asText();
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static ObjectNode summary(Stored stored) {
        ObjectNode record = stored.record();
        ObjectNode event = JSON.createObjectNode();
        event.put("EventId", record.path("eventID").asText());
        event.put("EventName", record.path("eventName").asText());
        event.put("ReadOnly", String.valueOf(record.path("readOnly").asBoolean()));
        event.put("AccessKeyId", record.path("userIdentity").path("accessKeyId").asText());
        event.put("EventTime", BigDecimal.valueOf(stored.time().toEpochMilli(), 3));
        event.put("EventSource", record.path("eventSource").asText());
        event.put("Username", username(record));
        String name = record.path("requestParameters").path("name").asText(null);
        if (name != null) {
            event.putArray("Resources").addObject().put("ResourceType", "AWS::EKS::Cluster").put("ResourceName", name);
        }
        event.put("CloudTrailEvent", record.toString());
        return event;
    }

    private static Instant epoch(JsonNode value) {
        BigDecimal seconds = value.decimalValue();
        return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }

    private static final class Refusal extends RuntimeException {
        final int status;
        final String type;

        Refusal(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }
}
