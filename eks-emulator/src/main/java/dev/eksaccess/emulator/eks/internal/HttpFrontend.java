package dev.eksaccess.emulator.eks.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.RecordedCall;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speaks the EKS rest-json wire format: routes method and path to an operation, decodes path and query
 * parameters, applies injected faults, records the call and writes the answer or the error
 * (status, {@code x-amzn-ErrorType} header, {@code {"message": ...}} body).
 */
public final class HttpFrontend implements HttpHandler {

    /** Handles one routed call. */
    @FunctionalInterface
    private interface Operation {
        ObjectNode handle(Call call);
    }

    private record Call(Map<String, String> path, Map<String, List<String>> query, JsonNode body,
                        Optional<String> callerAccount, String signedRegion) {
        String p(String name) {
            return path.get(name);
        }

        String q(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        Integer maxResults() {
            String value = q("maxResults");
            if (value == null) {
                return null;
            }
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                throw ApiError.invalidParameter("maxResults must be a number");
            }
        }
    }

    private record Route(String method, String[] segments, String name, Operation operation) {
        /** The path parameters when {@code path} matches this route's template, else null. */
        Map<String, String> match(String method, List<String> path) {
            if (!this.method.equals(method) || path.size() != segments.length) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < segments.length; i++) {
                String template = segments[i];
                if (template.startsWith("{")) {
                    params.put(template.substring(1, template.length() - 1), path.get(i));
                } else if (!template.equals(path.get(i))) {
                    return null;
                }
            }
            return params;
        }
    }

    /** The region in a SigV4 credential scope: {@code Credential=AKID/20261203/eu-west-1/eks/aws4_request}. */
    private static final Pattern SCOPE_REGION =
            Pattern.compile("Credential=[^/,]+/\\d{8}/([^/,]+)/");

    private final EksService eks;
    private final FaultInjector faults;
    private final RateLimiter rateLimiter;
    private final InstantSource clock;
    private final List<RecordedCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<Route> routes = new ArrayList<>();

    public HttpFrontend(EksService eks, FaultInjector faults, RateLimiter rateLimiter, InstantSource clock) {
        this.eks = eks;
        this.faults = faults;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
        route("GET", "/clusters", "ListClusters", c -> eks.listClusters(c.maxResults(), c.q("nextToken"),
                c.callerAccount(), c.signedRegion()));
        route("GET", "/clusters/{name}", "DescribeCluster", c -> eks.describeCluster(c.p("name")));
        route("POST", "/clusters/{name}/update-config", "UpdateClusterConfig",
                c -> eks.updateClusterConfig(c.p("name"), c.body()));
        route("GET", "/clusters/{name}/updates/{updateId}", "DescribeUpdate",
                c -> eks.describeUpdate(c.p("name"), c.p("updateId")));
        route("POST", "/clusters/{name}/access-entries", "CreateAccessEntry",
                c -> eks.createAccessEntry(c.p("name"), c.body()));
        route("GET", "/clusters/{name}/access-entries", "ListAccessEntries",
                c -> eks.listAccessEntries(c.p("name"), c.q("associatedPolicyArn"), c.maxResults(), c.q("nextToken")));
        route("GET", "/clusters/{name}/access-entries/{principalArn}", "DescribeAccessEntry",
                c -> eks.describeAccessEntry(c.p("name"), c.p("principalArn")));
        route("POST", "/clusters/{name}/access-entries/{principalArn}", "UpdateAccessEntry",
                c -> eks.updateAccessEntry(c.p("name"), c.p("principalArn"), c.body()));
        route("DELETE", "/clusters/{name}/access-entries/{principalArn}", "DeleteAccessEntry",
                c -> eks.deleteAccessEntry(c.p("name"), c.p("principalArn")));
        route("POST", "/clusters/{name}/access-entries/{principalArn}/access-policies", "AssociateAccessPolicy",
                c -> eks.associateAccessPolicy(c.p("name"), c.p("principalArn"), c.body()));
        route("GET", "/clusters/{name}/access-entries/{principalArn}/access-policies", "ListAssociatedAccessPolicies",
                c -> eks.listAssociatedAccessPolicies(c.p("name"), c.p("principalArn"), c.maxResults(),
                        c.q("nextToken")));
        route("DELETE", "/clusters/{name}/access-entries/{principalArn}/access-policies/{policyArn}",
                "DisassociateAccessPolicy",
                c -> eks.disassociateAccessPolicy(c.p("name"), c.p("principalArn"), c.p("policyArn")));
        route("GET", "/access-policies", "ListAccessPolicies",
                c -> eks.listAccessPolicies(c.maxResults(), c.q("nextToken")));
    }

    private void route(String method, String template, String name, Operation operation) {
        routes.add(new Route(method, template.substring(1).split("/"), name, operation));
    }

    /** Every call received so far, oldest first. */
    public List<RecordedCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public void clearCalls() {
        calls.clear();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String bodyText = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            List<String> segments = pathSegments(rawPath);
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());

            Route route = null;
            Map<String, String> params = Map.of();
            for (Route candidate : routes) {
                Map<String, String> match = candidate.match(method, segments);
                if (match != null) {
                    route = candidate;
                    params = match;
                    break;
                }
            }
            String operation = route == null ? "Unknown" : route.name();

            // EKS throttles before it looks at a request: a throttled call takes no token of a fault either.
            String clusterName = params.get("name");
            boolean admitted = rateLimiter.admit(account(clusterName), region(exchange, clusterName));
            FaultInjector.Decision decision = admitted ? faults.decide(operation) : FaultInjector.Decision.NONE;
            sleep(decision);
            int status;
            String errorCode = null;
            byte[] answer;
            try {
                if (!admitted) {
                    throw ApiError.throttling("Rate exceeded", clusterName);
                }
                if (decision.error().isPresent()) {
                    throw decision.error().get();
                }
                if (route == null) {
                    throw ApiError.unknownOperation("No EKS operation at " + method + " " + rawPath);
                }
                ObjectNode result = route.operation().handle(new Call(params, query, parseBody(bodyText),
                        callerAccount(exchange), region(exchange, clusterName)));
                status = 200;
                answer = Json.MAPPER.writeValueAsBytes(result);
            } catch (ApiError error) {
                status = error.status();
                errorCode = error.code();
                exchange.getResponseHeaders().set("x-amzn-ErrorType", errorCode);
                ObjectNode body = Json.object().put("message", error.getMessage());
                error.clusterName().ifPresent(name -> body.put("clusterName", name));
                answer = Json.MAPPER.writeValueAsBytes(body);
            } catch (RuntimeException unexpected) {
                status = 500;
                errorCode = "ServerException";
                exchange.getResponseHeaders().set("x-amzn-ErrorType", errorCode);
                answer = Json.MAPPER.writeValueAsBytes(Json.object().put("message",
                        "Emulator failure: " + unexpected));
            }
            calls.add(new RecordedCall(clock.instant(), operation, method, rawPath, params, query, bodyText, status,
                    Optional.ofNullable(errorCode), decision.injected()));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /**
     * The account a call is charged to: a call naming a cluster goes to the account that owns it (a member account's
     * cluster is reached with that account's credentials); any other call to the default account.
     */
    private String account(String clusterName) {
        return Optional.ofNullable(clusterName).flatMap(eks::accountOf)
                .orElse(ClusterSpec.DEFAULT_ACCOUNT);
    }

    /** An access key of the form {@code AKIA} + 12-digit account + {@code EKSE}: the account whose caller it is. */
    private static final Pattern ACCOUNT_KEY = Pattern.compile("Credential=AKIA(\\d{12})EKSE/");

    /**
     * The account of the caller, when it signed with a key of {@code EksEmulator.accessKeyOf}; any other key is a
     * caller of every account, as before accounts were told apart.
     */
    private static Optional<String> callerAccount(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher key = ACCOUNT_KEY.matcher(authorization);
        return key.find() ? Optional.of(key.group(1)) : Optional.empty();
    }

    /** The region the client signed for, else the named cluster's, else the default region. */
    private String region(HttpExchange exchange, String clusterName) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            Matcher scope = SCOPE_REGION.matcher(authorization);
            if (scope.find()) {
                return scope.group(1);
            }
        }
        return Optional.ofNullable(clusterName).flatMap(eks::regionOf)
                .orElse(ClusterSpec.DEFAULT_REGION);
    }

    private static void sleep(FaultInjector.Decision decision) {
        if (decision.latency().isZero()) {
            return;
        }
        try {
            Thread.sleep(decision.latency());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode parseBody(String body) {
        if (body.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (!node.isObject()) {
                throw ApiError.badBody("The request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badBody("The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Path segments, percent-decoded one by one so that an encoded {@code /} in an ARN stays in its segment. */
    private static List<String> pathSegments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }
}
