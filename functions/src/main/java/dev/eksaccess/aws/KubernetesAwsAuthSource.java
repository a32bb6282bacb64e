package dev.eksaccess.aws;

import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthParser;
import dev.eksaccess.awsauth.AwsAuthSource;
import dev.eksaccess.awsauth.AwsAuthUnavailableException;
import dev.eksaccess.awsauth.BrokenAwsAuthException;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * Reads {@code kube-system/aws-auth} through a cluster's Kubernetes API with the JDK's HttpClient (no Kubernetes
 * client in the jar): endpoint and CA from DescribeCluster, trusting that CA only, an EKS bearer token
 * ({@link EksTokens}) as {@code Authorization: Bearer}. Every way it can fail ends in an
 * {@link AwsAuthUnavailableException} that says what to do, never a stack trace.
 */
public final class KubernetesAwsAuthSource implements AwsAuthSource {

    public static final String AWS_AUTH_PATH = "/api/v1/namespaces/kube-system/configmaps/aws-auth";

    /** What a private-only endpoint needs, said once wherever it is said. */
    public static final String NETWORK_REQUIREMENT = "a cluster whose endpoint is private only is reachable only from "
            + "inside its VPC (or a network routed to it): run the reader there (the Lambda in the cluster's VPC, "
            + "the CLI on a host in it) with HTTPS (443) allowed by the cluster security group, or enable the public "
            + "endpoint for the reader's address";

    /** What DescribeCluster says of the API server. */
    public record ApiAccess(Optional<URI> endpoint, Optional<String> certificateAuthorityData, boolean publicAccess) {
    }

    private final ClusterApis clusters;
    private final BiFunction<String, ApiAccess, String> tokens;
    private final Duration timeout;

    /** Finds a cluster's API server (DescribeCluster). */
    @FunctionalInterface
    public interface ClusterApis {
        ApiAccess describe(String cluster) throws AwsAuthUnavailableException;
    }

    public KubernetesAwsAuthSource(ClusterApis clusters, BiFunction<String, ApiAccess, String> tokens,
                                   Duration timeout) {
        this.clusters = clusters;
        this.tokens = tokens;
        this.timeout = timeout;
    }

    /** Wired to EKS and to credentials that sign tokens for STS in {@code region}. */
    public static KubernetesAwsAuthSource of(EksClient eks, AwsCredentialsProvider credentials, String region,
                                             Clock clock, Duration timeout) {
        return new KubernetesAwsAuthSource(cluster -> describe(eks, cluster),
                (cluster, access) -> EksTokens.token(credentials.resolveCredentials(), region, cluster, clock),
                timeout);
    }

    private static ApiAccess describe(EksClient eks, String cluster) throws AwsAuthUnavailableException {
        try {
            Cluster described = eks.describeCluster(r -> r.name(cluster)).cluster();
            boolean publicAccess = described.resourcesVpcConfig() == null
                    || !Boolean.FALSE.equals(described.resourcesVpcConfig().endpointPublicAccess());
            return new ApiAccess(Optional.ofNullable(described.endpoint()).map(URI::create),
                    Optional.ofNullable(described.certificateAuthority()).map(ca -> ca.data()), publicAccess);
        } catch (SdkException e) {
            throw new AwsAuthUnavailableException("EKS DescribeCluster " + cluster + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<AwsAuth> read(String cluster) throws BrokenAwsAuthException, AwsAuthUnavailableException {
        ApiAccess access = clusters.describe(cluster);
        URI endpoint = access.endpoint().orElseThrow(() -> new AwsAuthUnavailableException("DescribeCluster gives "
                + "cluster " + cluster + " no API endpoint yet: wait until it is ACTIVE"));
        SSLContext tls = trusting(cluster, access.certificateAuthorityData().orElseThrow(() ->
                new AwsAuthUnavailableException("DescribeCluster gives cluster " + cluster + " no certificate "
                        + "authority: the API server cannot be trusted, so no token is sent")));
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(AWS_AUTH_PATH)).timeout(timeout)
                .header("Authorization", "Bearer " + tokens.apply(cluster, access))
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (SSLHandshakeException e) {
            throw new AwsAuthUnavailableException("the API server of cluster " + cluster + " at " + endpoint
                    + " did not present a certificate of the cluster's CA (from DescribeCluster): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AwsAuthUnavailableException("cannot reach the Kubernetes API of cluster " + cluster + " at "
                    + endpoint + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage()) + "). " + (access.publicAccess() ? "Check the network path to it; "
                    : "Its endpoint is private only: ") + NETWORK_REQUIREMENT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsAuthUnavailableException("interrupted while reading aws-auth of cluster " + cluster, e);
        } finally {
            http.close();
        }
        return switch (response.statusCode()) {
            case 200 -> Optional.of(AwsAuthParser.parseConfigMap(response.body()));
            case 404 -> Optional.empty();
            case 401 -> throw new AwsAuthUnavailableException("the API server of cluster " + cluster + " refused the "
                    + "token (401 " + message(response) + "): check that the credentials are valid and the clock is "
                    + "right (tokens last 15 minutes)");
            case 403 -> throw new AwsAuthUnavailableException("the identity reading aws-auth may not (403 "
                    + message(response) + "): on a CONFIG_MAP cluster it must be mapped in aws-auth or be the "
                    + "cluster's creator; with access entries, AmazonEKSViewPolicy scoped to the namespace "
                    + "kube-system is enough");
            default -> throw new AwsAuthUnavailableException("the API server of cluster " + cluster + " answered "
                    + response.statusCode() + " " + message(response));
        };
    }

    /** A TLS context that trusts exactly the cluster's CA, and no other. */
    private static SSLContext trusting(String cluster, String certificateAuthorityData)
            throws AwsAuthUnavailableException {
        try {
            byte[] pem = Base64.getMimeDecoder().decode(certificateAuthorityData);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem))) {
                trust.setCertificateEntry("cluster-ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new GeneralSecurityException("no certificate in it");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new AwsAuthUnavailableException("the certificate authority DescribeCluster gives cluster " + cluster
                    + " cannot be read (" + e.getMessage() + "), so no token is sent", e);
        }
    }

    /** The {@code message} of a Kubernetes Status body, else the body's start. */
    private static String message(HttpResponse<String> response) {
        try {
            Optional<JsonValue> body = Json.read(response.body(), Json.Duplicates.KEEP_LAST);
            if (body.isPresent() && body.get() instanceof JsonValue.JsonObject object
                    && object.get("message") instanceof JsonValue.JsonString message) {
                return message.value();
            }
        } catch (IOException ignored) {
            // not JSON: show the text itself
        }
        String text = response.body().strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
