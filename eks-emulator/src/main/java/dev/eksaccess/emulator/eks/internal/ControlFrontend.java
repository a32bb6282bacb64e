package dev.eksaccess.emulator.eks.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.ClusterStatus;
import dev.eksaccess.emulator.eks.Fault;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The control API over HTTP under {@code /_emulator/}, for a local sandbox driven from outside the JVM (tests
 * use the Java API). Not part of EKS: its calls are neither recorded nor subject to injected faults.
 *
 * <pre>
 * POST   /_emulator/clusters                 {"name", "accountId", "region", "authenticationMode",
 *                                             "bootstrapClusterCreatorAdminPermissions", "creatorPrincipalArn",
 *                                             "activationDelaySeconds", "updateDelaySeconds", "version", "tags",
 *                                             "creatorEntryOnLeavingConfigMap"}
 * GET    /_emulator/clusters[/{name}]        snapshots
 * DELETE /_emulator/clusters/{name}
 * PUT    /_emulator/clusters/{name}/status   {"status": "ACTIVE"}
 * POST   /_emulator/faults                   {"kind": "THROTTLING|SERVER_ERROR|ACCESS_DENIED|LATENCY", "operation", "calls",
 *                                             "probability", "latencyMillis"}
 * DELETE /_emulator/faults
 * GET    /_emulator/calls, DELETE /_emulator/calls
 * </pre>
 */
public final class ControlFrontend implements HttpHandler {

    public static final String PREFIX = "/_emulator";

    private static final ObjectMapper OUT = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Instant.class, ToStringSerializer.instance)
            .addSerializer(Duration.class, ToStringSerializer.instance)
            .addSerializer(optionalSerializer()));

    private final EksService eks;
    private final FaultInjector faults;
    private final HttpFrontend frontend;

    public ControlFrontend(EksService eks, FaultInjector faults, HttpFrontend frontend) {
        this.eks = eks;
        this.faults = faults;
        this.frontend = frontend;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            Object answer;
            try {
                String[] path = exchange.getRequestURI().getPath().substring(PREFIX.length()).split("/");
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                JsonNode json = body.isBlank() ? Json.object() : Json.MAPPER.readTree(body);
                answer = route(exchange.getRequestMethod(), path, json);
            } catch (IllegalArgumentException | ApiError | IOException e) {
                status = 400;
                answer = Map.of("message", String.valueOf(e.getMessage()));
            } catch (NoSuchElementException e) {
                status = 404;
                answer = Map.of("message", String.valueOf(e.getMessage()));
            }
            byte[] bytes = OUT.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Object route(String method, String[] path, JsonNode body) {
        String resource = path.length > 1 ? path[1] : "";
        String route = method + " " + resource + (path.length > 2 ? "/*" : "") + (path.length > 3 ? "/" + path[3] : "");
        return switch (route) {
            case "POST clusters" -> eks.createCluster(spec(body));
            case "GET clusters" -> eks.snapshots();
            case "GET clusters/*" -> eks.snapshot(path[2]);
            case "DELETE clusters/*" -> {
                eks.deleteCluster(path[2]);
                yield Map.of();
            }
            case "PUT clusters/*/status" -> {
                eks.setStatus(path[2], ClusterStatus.valueOf(Json.requiredString(body, "status")));
                yield eks.snapshot(path[2]);
            }
            case "POST faults" -> {
                Fault fault = fault(body);
                faults.add(fault);
                yield fault;
            }
            case "DELETE faults" -> {
                faults.clear();
                yield Map.of();
            }
            case "GET calls" -> frontend.calls();
            case "DELETE calls" -> {
                frontend.clearCalls();
                yield Map.of();
            }
            default -> throw new NoSuchElementException("no control operation " + route);
        };
    }

    private static ClusterSpec spec(JsonNode body) {
        ClusterSpec.Builder spec = ClusterSpec.builder(Json.requiredString(body, "name"));
        Json.optionalString(body, "accountId").ifPresent(spec::accountId);
        Json.optionalString(body, "region").ifPresent(spec::region);
        Json.optionalString(body, "authenticationMode").map(AuthenticationMode::valueOf).ifPresent(spec::authenticationMode);
        Json.optionalString(body, "creatorPrincipalArn").ifPresent(spec::creatorPrincipalArn);
        Json.optionalString(body, "version").ifPresent(spec::version);
        Json.optionalStringMap(body, "tags").ifPresent(spec::tags);
        if (body.has("bootstrapClusterCreatorAdminPermissions")) {
            spec.bootstrapClusterCreatorAdminPermissions(body.get("bootstrapClusterCreatorAdminPermissions").asBoolean());
        }
        if (body.has("creatorEntryOnLeavingConfigMap")) {
            spec.creatorEntryOnLeavingConfigMap(body.get("creatorEntryOnLeavingConfigMap").asBoolean());
        }
        if (body.has("activationDelaySeconds")) {
            spec.activationDelay(Duration.ofSeconds(body.get("activationDelaySeconds").asLong()));
        }
        if (body.has("updateDelaySeconds")) {
            spec.updateDelay(Duration.ofSeconds(body.get("updateDelaySeconds").asLong()));
        }
        return spec.build();
    }

    private static Fault fault(JsonNode body) {
        Fault.Kind kind = Fault.Kind.valueOf(Json.requiredString(body, "kind"));
        Fault fault = switch (kind) {
            case THROTTLING -> Fault.throttling();
            case SERVER_ERROR -> Fault.serverError();
            case ACCESS_DENIED -> Fault.accessDenied();
            case LATENCY -> Fault.latency(Duration.ofMillis(body.path("latencyMillis").asLong(0)));
        };
        Optional<String> operation = Json.optionalString(body, "operation");
        if (operation.isPresent()) {
            fault = fault.onOperation(operation.get());
        }
        if (body.has("calls")) {
            fault = fault.forNextCalls(body.get("calls").asInt());
        }
        if (body.has("probability")) {
            fault = fault.withProbability(body.get("probability").asDouble());
        }
        return fault;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static JsonSerializer<Optional> optionalSerializer() {
        return new JsonSerializer<>() {
            @Override
            public void serialize(Optional value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                serializers.defaultSerializeValue(value.orElse(null), gen);
            }

            @Override
            public Class<Optional> handledType() {
                return Optional.class;
            }
        };
    }
}
