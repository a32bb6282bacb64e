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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An in-JVM emulator of IAM's {@code GetRole} and {@code GetUser} on 127.0.0.1, in the AWS Query protocol the SDK's
 * {@code IamClient} speaks: a form-encoded {@code POST /} ({@code Action=GetRole&Version=2010-05-08&RoleName=...}),
 * answered with XML in the {@value #NAMESPACE} namespace, errors as {@code ErrorResponse} documents. Point a real
 * client at {@link #endpoint()} ({@code endpointOverride}, or {@code AWS_ENDPOINT_URL_IAM}) with the credentials of
 * {@link #credentials(String)}.
 *
 * <p>IAM answers for the caller's account only, so the emulator takes the account from the access key that signed
 * the request (signatures are not checked); a key it did not hand out is refused with 403
 * {@code InvalidClientTokenId}. Roles and users are created by ARN and get a new unique id each time
 * ({@code AROA}/{@code AIDA} and 17 upper-case letters and digits), so a role deleted and created again has a new
 * id, as in IAM. Names are unique per account whatever their case (documented IAM behaviour); that a lookup ignores
 * case and answers with the stored name is assumed (unconfirmed). Faults: {@code Throttling} (400) and
 * {@code AccessDenied} (403), as IAM sends them. Thread-safe.
 */
public final class IamEmulator implements AutoCloseable {

    /** The XML namespace of IAM's answers, its API version 2010-05-08. */
    public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";

    /** What an injected fault answers. */
    public enum Failure {
        /** IAM's rate limit: 400 {@code Throttling}, "Rate exceeded"; the SDK retries it. */
        THROTTLING,
        /** A missing permission: 403 {@code AccessDenied}. */
        ACCESS_DENIED
    }

    /**
     * One request as the emulator answered it.
     *
     * @param action    the {@code Action} parameter ({@code GetRole}, ...)
     * @param accountId the account of the signing access key; empty when the key is unknown
     * @param name      the {@code RoleName} or {@code UserName}; empty when absent
     * @param status    the HTTP status answered
     * @param errorCode the error code answered; empty on success
     */
    public record Call(String action, Optional<String> accountId, Optional<String> name, int status,
                       Optional<String> errorCode) {
    }

    private record Principal(String arn, String kind, String accountId, String path, String name, String uniqueId,
                             Instant created) {
    }

    private record Answer(int status, String errorCode, String xml) {
    }

    private static final Pattern ARN = Pattern.compile("arn:[\\w-]+:iam::(\\d{12}):(role|user)(/(?:.*/)?)([\\w+=,.@-]{1,64})");
    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** A trust policy as IAM returns it: URL-encoded (RFC 3986). */
    private static final String TRUST_POLICY = URLEncoder.encode(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                    + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}", StandardCharsets.UTF_8)
            .replace("+", "%20");

    private final HttpServer server;
    private final ExecutorService executor;
    private final SecureRandom random = new SecureRandom();
    /** By kind, account and lower-case name: IAM names are unique per account whatever their case. */
    private final Map<String, Principal> principals = new HashMap<>();
    private final Set<String> issuedIds = new HashSet<>();
    private final Map<String, String> accountByAccessKey = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private Failure failure;
    private int failuresLeft;

    private IamEmulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts an emulator with no roles and users on a free loopback port. */
    public static IamEmulator start() {
        try {
            return new IamEmulator();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the IAM emulator", e);
        }
    }

    /** The base URI to give the SDK, for example {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /** Credentials whose requests the emulator answers as {@code accountId}; the same ones on every call. */
    public synchronized AwsCredentialsProvider credentials(String accountId) {
        String accessKey = "AKIA" + accountId + "EMUL";
        accountByAccessKey.put(accessKey, accountId);
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "emulated-secret"));
    }

    /** Creates the role {@code arn:PARTITION:iam::ACCOUNT:role/PATH/NAME}; returns its new unique id. */
    public String createRole(String arn) {
        return create(arn, "role", "AROA");
    }

    /** Creates the user {@code arn:PARTITION:iam::ACCOUNT:user/PATH/NAME}; returns its new unique id. */
    public String createUser(String arn) {
        return create(arn, "user", "AIDA");
    }

    public void deleteRole(String arn) {
        delete(arn, "role");
    }

    public void deleteUser(String arn) {
        delete(arn, "user");
    }

    /** Every request answered so far, oldest first. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The requests of one action answered so far. */
    public synchronized long callCount(String action) {
        return calls.stream().filter(c -> c.action().equals(action)).count();
    }

    /** Answers the next {@code count} requests with {@code failure} instead. */
    public synchronized void failNextCalls(Failure failure, int count) {
        this.failure = failure;
        this.failuresLeft = count;
    }

    /** Answers every request with {@code failure} until {@link #clearFailures()}. */
    public void failAllCalls(Failure failure) {
        failNextCalls(failure, Integer.MAX_VALUE);
    }

    public synchronized void clearFailures() {
        failure = null;
        failuresLeft = 0;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private synchronized String create(String arn, String kind, String idPrefix) {
        Matcher m = parse(arn, kind);
        String key = key(kind, m.group(1), m.group(4));
        Principal existing = principals.get(key);
        if (existing != null) {
            throw new IllegalStateException("EntityAlreadyExists: " + existing.arn() + " has the name of " + arn);
        }
        String id;
        do {
            StringBuilder chars = new StringBuilder(idPrefix);
            for (int i = 0; i < 17; i++) {
                chars.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
            }
            id = chars.toString();
        } while (!issuedIds.add(id));
        principals.put(key, new Principal(arn, kind, m.group(1), m.group(3), m.group(4), id,
                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        return id;
    }

    private synchronized void delete(String arn, String kind) {
        Matcher m = parse(arn, kind);
        Principal removed = principals.remove(key(kind, m.group(1), m.group(4)));
        if (removed == null || !removed.arn().equals(arn)) {
            throw new IllegalStateException("NoSuchEntity: no " + kind + " " + arn);
        }
    }

    private static Matcher parse(String arn, String kind) {
        Matcher m = ARN.matcher(arn);
        if (!m.matches() || !m.group(2).equals(kind)) {
            throw new IllegalArgumentException("not an IAM " + kind + " ARN: " + arn);
        }
        return m;
    }

    private static String key(String kind, String accountId, String name) {
        return kind + ":" + accountId + ":" + name.toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- the wire

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String action = form.getOrDefault("Action", "");
            String requestId = UUID.randomUUID().toString();
            Answer answer;
            Optional<String> account;
            synchronized (this) {
                account = accountOf(exchange.getRequestHeaders().getFirst("Authorization"));
                answer = answer(action, form, account, requestId);
                calls.add(new Call(action, account, Optional.ofNullable(form.get(nameParameter(action))),
                        answer.status(), Optional.ofNullable(answer.errorCode())));
            }
            byte[] body = answer.xml().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Answer answer(String action, Map<String, String> form, Optional<String> account, String requestId) {
        if (account.isEmpty()) {
            return error(403, "InvalidClientTokenId", "The security token included in the request is invalid.",
                    requestId);
        }
        String kind = switch (action) {
            case "GetRole" -> "role";
            case "GetUser" -> "user";
            default -> null;
        };
        if (kind == null) {
            return error(400, "InvalidAction", "Could not find operation " + action + " for version 2010-05-08",
                    requestId);
        }
        String name = form.get(nameParameter(action));
        if (failure != null && failuresLeft > 0) {
            failuresLeft--;
            return failure == Failure.THROTTLING
                    ? error(400, "Throttling", "Rate exceeded", requestId)
                    : error(403, "AccessDenied", "User: arn:aws:iam::" + account.get() + ":user/emulated-caller"
                            + " is not authorized to perform: iam:" + action + " on resource: " + kind + " " + name
                            + " because no identity-based policy allows the iam:" + action + " action", requestId);
        }
        if (name == null) {
            // GetUser without a name describes the calling user in IAM; no test needs that.
            return error(400, "ValidationError", "1 validation error detected: Value null at '" + kind
                    + "Name' failed to satisfy constraint: Member must not be null", requestId);
        }
        Principal found = principals.get(key(kind, account.get(), name));
        if (found == null) {
            return error(404, "NoSuchEntity", "The " + kind + " with name " + name + " cannot be found.", requestId);
        }
        return new Answer(200, null, success(action, found, requestId));
    }

    /**
     * The success document, element for element in the order of the samples in the IAM API reference (GetRole:
     * Path, Arn, RoleName, AssumeRolePolicyDocument URL-encoded, CreateDate, RoleId, MaxSessionDuration; GetUser:
     * UserId, Path, UserName, Arn, CreateDate).
     */
    private static String success(String action, Principal p, String requestId) {
        String entity = p.kind().equals("role")
                ? "<Role><Path>" + xml(p.path()) + "</Path><Arn>" + xml(p.arn()) + "</Arn><RoleName>" + xml(p.name())
                        + "</RoleName><AssumeRolePolicyDocument>" + xml(TRUST_POLICY) + "</AssumeRolePolicyDocument>"
                        + "<CreateDate>" + p.created() + "</CreateDate><RoleId>" + p.uniqueId() + "</RoleId>"
                        + "<MaxSessionDuration>3600</MaxSessionDuration></Role>"
                : "<User><UserId>" + p.uniqueId() + "</UserId><Path>" + xml(p.path()) + "</Path><UserName>"
                        + xml(p.name()) + "</UserName><Arn>" + xml(p.arn()) + "</Arn><CreateDate>" + p.created()
                        + "</CreateDate></User>";
        return "<" + action + "Response xmlns=\"" + NAMESPACE + "\"><" + action + "Result>" + entity + "</" + action
                + "Result><ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata></" + action
                + "Response>";
    }

    private static Answer error(int status, String code, String message, String requestId) {
        return new Answer(status, code, "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>Sender</Type><Code>"
                + code + "</Code><Message>" + xml(message) + "</Message></Error><RequestId>" + requestId
                + "</RequestId></ErrorResponse>");
    }

    private static String nameParameter(String action) {
        return action.equals("GetUser") ? "UserName" : "RoleName";
    }

    private Optional<String> accountOf(String authorization) {
        Matcher key = ACCESS_KEY.matcher(authorization == null ? "" : authorization);
        return key.find() ? Optional.ofNullable(accountByAccessKey.get(key.group(1))) : Optional.empty();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] parts = pair.split("=", 2);
            if (!parts[0].isEmpty()) {
                form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length < 2 ? "" : URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
