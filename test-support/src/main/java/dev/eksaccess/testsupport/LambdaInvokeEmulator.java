package dev.eksaccess.testsupport;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-JVM emulator of exactly Lambda's synchronous {@code Invoke} on 127.0.0.1, as the SDK's {@code LambdaClient}
 * calls it: {@code POST /2015-03-31/functions/{FunctionName}/invocations} with the payload as the body. The function
 * name may be a name or the function's ARN (of this emulator's account and region). It runs the
 * {@link RequestStreamHandler} registered under that name in the request's thread, with a {@link LocalLambdaContext}
 * naming the function's ARN, and answers 200 with what the handler wrote; a handler that throws answers 200 with
 * {@code X-Amz-Function-Error: Unhandled} and Lambda's {@code errorMessage}/{@code errorType} body, as Lambda does.
 * An unknown function is 404 {@code ResourceNotFoundException}; an invocation type other than
 * {@code RequestResponse} is 400 {@code InvalidParameterValueException} (asynchronous invocation is not emulated).
 * Signatures are not checked. Thread-safe.
 */
public final class LambdaInvokeEmulator implements AutoCloseable {

    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

    /** One Invoke as the emulator saw it. */
    public record Call(String functionName, String payload, int status, String functionError) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String region;
    private final String accountId;
    private final Map<String, RequestStreamHandler> functions = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Consumer<String> log;

    private LambdaInvokeEmulator(String region, String accountId, Consumer<String> log) throws IOException {
        this.region = Objects.requireNonNull(region, "region");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.log = Objects.requireNonNull(log, "log");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts an emulator of the functions of {@code accountId} in {@code region}.
     *
     * @param log receives every line the handlers log through their context
     */
    public static LambdaInvokeEmulator start(String region, String accountId, Consumer<String> log) {
        try {
            return new LambdaInvokeEmulator(region, accountId, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Lambda emulator", e);
        }
    }

    /** Serves {@code handler} as function {@code name}; returns its ARN. */
    public String register(String name, RequestStreamHandler handler) {
        functions.put(name, Objects.requireNonNull(handler, "handler"));
        return functionArn(name);
    }

    /** The ARN of function {@code name} here. */
    public String functionArn(String name) {
        return LocalLambdaContext.functionArn(region, accountId, name);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every Invoke so far, in order. */
    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Matcher invoke = INVOKE.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !invoke.matches()) {
                error(exchange, 404, "UnknownOperationException", "only Invoke is emulated", null);
                return;
            }
            String name = nameOf(URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8));
            String payload = new String(body, StandardCharsets.UTF_8);
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            if (type != null && !"RequestResponse".equals(type)) {
                calls.add(new Call(name, payload, 400, null));
                error(exchange, 400, "InvalidParameterValueException",
                        "only the invocation type RequestResponse is emulated, not " + type, null);
                return;
            }
            RequestStreamHandler handler = functions.get(name);
            if (handler == null) {
                calls.add(new Call(name, payload, 404, null));
                error(exchange, 404, "ResourceNotFoundException", "Function not found: " + functionArn(name), null);
                return;
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(body), output,
                        new LocalLambdaContext(functionArn(name), log));
            } catch (RuntimeException | IOException e) {
                calls.add(new Call(name, payload, 200, "Unhandled"));
                error(exchange, 200, null, e.getMessage(), e.getClass().getName());
                return;
            }
            calls.add(new Call(name, payload, 200, null));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
            send(exchange, 200, output.toByteArray());
        }
    }

    /** A name, or this emulator's function ARN reduced to its name (another account's or region's stays as given). */
    private String nameOf(String functionName) {
        String prefix = LocalLambdaContext.functionArn(region, accountId, "");
        return functionName.startsWith(prefix) ? functionName.substring(prefix.length()) : functionName;
    }

    /**
     * A service error ({@code serviceError} set: the {@code x-amzn-ErrorType} header and Lambda's {@code Type} and
     * {@code message}), or a function error ({@code functionErrorType} set: 200, {@code X-Amz-Function-Error}).
     */
    private static void error(HttpExchange exchange, int status, String serviceError, String message,
                              String functionErrorType) throws IOException {
        String text = message == null ? "" : message.replace("\\", "\\\\").replace("\"", "\\\"");
        String body;
        if (functionErrorType != null) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
            body = "{\"errorMessage\":\"" + text + "\",\"errorType\":\"" + functionErrorType + "\"}";
        } else {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", serviceError);
            body = "{\"Type\":\"User\",\"message\":\"" + text + "\"}";
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
