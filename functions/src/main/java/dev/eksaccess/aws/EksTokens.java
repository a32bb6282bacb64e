package dev.eksaccess.aws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * EKS bearer tokens, made as {@code aws eks get-token} makes them: {@code k8s-aws-v1.} + base64url (no padding) of an
 * STS {@code GetCallerIdentity} URL presigned with SigV4 for the regional STS endpoint, with the header
 * {@code x-k8s-aws-id: CLUSTER} signed in. No call to STS is made here; the API server forwards the URL to STS, which
 * answers who signed it. Valid for 15 minutes after signing whatever {@code X-Amz-Expires} says (60, as the CLI).
 */
public final class EksTokens {

    public static final String PREFIX = "k8s-aws-v1.";
    public static final String CLUSTER_ID_HEADER = "x-k8s-aws-id";
    /** What the CLI and aws-iam-authenticator put in X-Amz-Expires; STS ignores it (15 minutes apply). */
    static final Duration PRESIGN_EXPIRES = Duration.ofSeconds(60);
    /** How long the API server accepts a token after signing. */
    public static final Duration VALIDITY = Duration.ofMinutes(15);

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private EksTokens() {
    }

    /** A token for {@code clusterName}, signed with {@code credentials} for STS in {@code region} at {@code clock}. */
    public static String token(AwsCredentialsIdentity credentials, String region, String clusterName, Clock clock) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://" + stsHost(region) + "/"))
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader(CLUSTER_ID_HEADER, clusterName)
                .build();
        SdkHttpRequest signed = SIGNER.sign(r -> r.identity(credentials).request(request)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, PRESIGN_EXPIRES)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request();
        String url = signed.getUri().toString();
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
    }

    /** The regional STS endpoint's host, as the CLI uses it. */
    static String stsHost(String region) {
        return "sts." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
    }
}
