package dev.eksaccess.emulator.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One emulated cluster's Kubernetes API server, only as far as this project calls it: {@code GET
 * /api/v1/namespaces/kube-system/configmaps/aws-auth}. HTTPS on its own port with a certificate signed by the CA in
 * {@link #certificateAuthorityData()} (what DescribeCluster reports), EKS bearer tokens checked as
 * aws-iam-authenticator and STS check them ({@link PresignedTokenVerifier}): 401 for a bad token, 403 for a caller
 * allowed no read, 404 when aws-auth does not exist.
 */
public final class KubernetesApiServer implements AutoCloseable {

    /** The one path served. */
    public static final String AWS_AUTH_PATH = "/api/v1/namespaces/kube-system/configmaps/aws-auth";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as answered: its path, status and, for a refusal, why. */
    public record Call(String path, int status, String reason) {
    }

    private final String clusterName;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final PresignedTokenVerifier verifier;
    private final Map<String, PresignedTokenVerifier.Caller> callers = new ConcurrentHashMap<>();
    private final Set<String> readers = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new ArrayList<>();
    private Map<String, String> awsAuthData;
    private long resourceVersion = 1000;
    private boolean running = true;

    private KubernetesApiServer(String clusterName, InstantSource clock) throws IOException {
        this.clusterName = clusterName;
        this.verifier = new PresignedTokenVerifier(clusterName, clock, callers);
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(EmulatorCertificates.get().serverContext()));
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the API server of cluster {@code clusterName}, judging token expiry by {@code clock}. */
    public static KubernetesApiServer start(String clusterName, InstantSource clock) {
        try {
            return new KubernetesApiServer(clusterName, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the emulated Kubernetes API of " + clusterName, e);
        }
    }

    /** {@code https://127.0.0.1:PORT}, as DescribeCluster's {@code cluster.endpoint}. */
    public URI endpoint() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The CA as DescribeCluster's {@code cluster.certificateAuthority.data}: base64 of the PEM. */
    public String certificateAuthorityData() {
        return Base64.getEncoder().encodeToString(EmulatorCertificates.get().caPem()
                .getBytes(StandardCharsets.US_ASCII));
    }

    public String clusterName() {
        return clusterName;
    }

    /** Lets STS know an access key: tokens signed with it authenticate as {@code principalArn}. */
    public void registerCaller(String accessKeyId, String secretAccessKey, String principalArn) {
        callers.put(accessKeyId, new PresignedTokenVerifier.Caller(secretAccessKey, principalArn));
    }

    /** Lets {@code principalArn} read aws-auth (as an aws-auth mapping or an access entry would). */
    public void allowRead(String principalArn) {
        readers.add(principalArn);
    }

    /** Creates or replaces aws-auth with these data values; each change gets a new resourceVersion. */
    public synchronized void putAwsAuth(Map<String, String> data) {
        awsAuthData = new LinkedHashMap<>(data);
        resourceVersion++;
    }

    /** Deletes aws-auth: GET answers 404. */
    public synchronized void deleteAwsAuth() {
        awsAuthData = null;
    }

    /** The current resourceVersion of aws-auth. */
    public synchronized String resourceVersion() {
        return Long.toString(resourceVersion);
    }

    /** Every request answered so far. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /**
     * Stops listening, as a private-only endpoint looks from outside the cluster's VPC: connections are refused while
     * DescribeCluster still reports the endpoint.
     */
    public synchronized void makeUnreachable() {
        if (running) {
            server.stop(0);
            running = false;
        }
    }

    @Override
    public void close() {
        makeUnreachable();
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                respond(exchange, path, 401, status(401, "Unauthorized", "Unauthorized"), "no bearer token");
                return;
            }
            PresignedTokenVerifier.Result result = verifier.verify(authorization.substring("Bearer ".length()));
            if (result instanceof PresignedTokenVerifier.Result.Refused refused) {
                respond(exchange, path, 401, status(401, "Unauthorized", "Unauthorized"), refused.reason());
                return;
            }
            String caller = ((PresignedTokenVerifier.Result.Authenticated) result).principalArn();
            if (!"GET".equals(exchange.getRequestMethod()) || !AWS_AUTH_PATH.equals(path)) {
                respond(exchange, path, 404, status(404, "NotFound", "the emulator serves only GET "
                        + AWS_AUTH_PATH), "not served");
                return;
            }
            if (!readers.contains(caller)) {
                respond(exchange, path, 403, status(403, "Forbidden", "configmaps \"aws-auth\" is forbidden: User \""
                        + caller + "\" cannot get resource \"configmaps\" in API group \"\" in the namespace "
                        + "\"kube-system\""), caller + " may not read");
                return;
            }
            ObjectNode body;
            synchronized (this) {
                if (awsAuthData == null) {
                    body = null;
                } else {
                    body = JSON.createObjectNode().put("kind", "ConfigMap").put("apiVersion", "v1");
                    body.putObject("metadata").put("name", "aws-auth").put("namespace", "kube-system")
                            .put("resourceVersion", Long.toString(resourceVersion));
                    ObjectNode data = body.putObject("data");
                    awsAuthData.forEach(data::put);
                }
            }
            if (body == null) {
                respond(exchange, path, 404, status(404, "NotFound", "configmaps \"aws-auth\" not found"), "missing");
            } else {
                respond(exchange, path, 200, body, "");
            }
        }
    }

    private static ObjectNode status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        return status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    }

    private void respond(HttpExchange exchange, String path, int code, ObjectNode body, String reason)
            throws IOException {
        synchronized (this) {
            calls.add(new Call(path, code, reason));
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
