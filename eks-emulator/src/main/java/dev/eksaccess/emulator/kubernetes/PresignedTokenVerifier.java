package dev.eksaccess.emulator.kubernetes;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an EKS bearer token the way the API server's aws-iam-authenticator does ({@code pkg/token/token.go},
 * {@code Verify}), then does what STS does with the presigned URL it forwards: recomputes the SigV4 signature with the
 * header {@code x-k8s-aws-id} set to this cluster's name, using the secret of the access key (known here because
 * tests register their callers). A token made for another cluster therefore fails the signature, as in AWS.
 */
final class PresignedTokenVerifier {

    static final String PREFIX = "k8s-aws-v1.";
    static final int MAX_TOKEN_LENGTH = 4 * 1024;
    static final Duration VALIDITY = Duration.ofMinutes(15);
    static final String CLUSTER_ID_HEADER = "x-k8s-aws-id";
    private static final Set<String> ALLOWED_PARAMETERS = Set.of("action", "version", "x-amz-algorithm",
            "x-amz-credential", "x-amz-date", "x-amz-expires", "x-amz-security-token", "x-amz-signature",
            "x-amz-signedheaders");
    private static final Pattern STS_HOST = Pattern.compile(
            "sts\\.amazonaws\\.com|sts\\.([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d)\\.amazonaws\\.com(\\.cn)?");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String EMPTY_PAYLOAD_SHA256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** A caller STS knows: its secret key and who it is. */
    record Caller(String secretAccessKey, String principalArn) {
    }

    /** The outcome: the caller's ARN, or why the token is refused (the API server answers 401). */
    sealed interface Result {
        record Authenticated(String principalArn) implements Result {
        }

        record Refused(String reason) implements Result {
        }
    }

    private final String clusterName;
    private final InstantSource clock;
    private final Map<String, Caller> callers;

    PresignedTokenVerifier(String clusterName, InstantSource clock, Map<String, Caller> callers) {
        this.clusterName = clusterName;
        this.clock = clock;
        this.callers = callers;
    }

    Result verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return refused("token is too large");
        }
        if (!token.startsWith(PREFIX)) {
            return refused("token is missing expected \"" + PREFIX + "\" prefix");
        }
        String encoded = token.substring(PREFIX.length());
        if (encoded.contains("=")) {
            return refused("the token's base64url must have no padding");
        }
        URI url;
        try {
            url = new URI(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | URISyntaxException e) {
            return refused("not a base64url-encoded URL: " + e.getMessage());
        }
        if (!"https".equals(url.getScheme())) {
            return refused("unexpected scheme \"" + url.getScheme() + "\" in pre-signed URL");
        }
        String host = url.getRawAuthority();
        if (host == null || !STS_HOST.matcher(host).matches()) {
            return refused("unexpected hostname \"" + host + "\" in pre-signed URL");
        }
        if (!"/".equals(url.getRawPath())) {
            return refused("unexpected path in pre-signed URL");
        }
        Map<String, String> raw = new TreeMap<>();
        Map<String, String> lower = new TreeMap<>();
        for (String pair : Optional.ofNullable(url.getRawQuery()).orElse("").split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            String keyLower = key.toLowerCase(Locale.ROOT);
            if (!ALLOWED_PARAMETERS.contains(keyLower)) {
                return refused("non-whitelisted query parameter \"" + key + "\"");
            }
            if (lower.put(keyLower, value) != null) {
                return refused("query parameter with multiple values not supported");
            }
            raw.put(key, value);
        }
        if (!"GetCallerIdentity".equals(lower.get("action"))) {
            return refused("unexpected action parameter in pre-signed URL");
        }
        String signedHeaders = lower.getOrDefault("x-amz-signedheaders", "");
        if (Arrays.stream(signedHeaders.split(";")).noneMatch(CLUSTER_ID_HEADER::equalsIgnoreCase)) {
            return refused("client did not sign the " + CLUSTER_ID_HEADER + " header in the pre-signed URL");
        }
        int expires;
        try {
            expires = Integer.parseInt(lower.getOrDefault("x-amz-expires", ""));
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 0 || expires > 900) {
            return refused("invalid X-Amz-Expires parameter in pre-signed URL: " + lower.get("x-amz-expires"));
        }
        String date = lower.get("x-amz-date");
        if (date == null || date.isEmpty()) {
            return refused("X-Amz-Date parameter must be present in pre-signed URL");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return refused("error parsing X-Amz-Date parameter " + date);
        }
        if (clock.instant().isAfter(signedAt.plus(VALIDITY))) {
            return refused("X-Amz-Date parameter is expired (15 minute expiration) " + signedAt);
        }
        return checkSignature(host, raw, lower, signedHeaders, date);
    }

    /** What STS does with the forwarded request: the signature must match, with this cluster's name as header. */
    private Result checkSignature(String host, Map<String, String> raw, Map<String, String> lower,
                                  String signedHeaders, String date) {
        if (!"2011-06-15".equals(lower.get("version"))) {
            return refused("STS: Version must be 2011-06-15");
        }
        if (!"AWS4-HMAC-SHA256".equals(lower.get("x-amz-algorithm"))) {
            return refused("STS: X-Amz-Algorithm must be AWS4-HMAC-SHA256");
        }
        String[] credential = lower.getOrDefault("x-amz-credential", "").split("/");
        if (credential.length != 5 || !"sts".equals(credential[3]) || !"aws4_request".equals(credential[4])
                || !date.startsWith(credential[1])) {
            return refused("STS: malformed X-Amz-Credential");
        }
        String region = credential[2];
        if (!host.equals("sts.amazonaws.com") && !host.startsWith("sts." + region + ".")) {
            return refused("STS: the credential's region " + region + " does not match the host " + host);
        }
        Caller caller = callers.get(credential[0]);
        if (caller == null) {
            return refused("STS: InvalidClientTokenId: the access key " + credential[0] + " is not known");
        }
        Map<String, String> headers = Map.of("host", host, CLUSTER_ID_HEADER, clusterName);
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String header : signedHeaders.split(";")) {
            String value = headers.get(header);
            if (value == null) {
                return refused("STS: SignatureDoesNotMatch: the request carries no signed header " + header);
            }
            canonicalHeaders.append(header).append(':').append(value).append('\n');
        }
        TreeMap<String, String> query = new TreeMap<>();
        raw.forEach((key, value) -> {
            if (!key.equalsIgnoreCase("X-Amz-Signature")) {
                query.put(encode(key), encode(value));
            }
        });
        StringBuilder canonicalQuery = new StringBuilder();
        query.forEach((key, value) -> canonicalQuery.append(canonicalQuery.isEmpty() ? "" : "&")
                .append(key).append('=').append(value));
        String canonicalRequest = String.join("\n", "GET", "/", canonicalQuery, canonicalHeaders, signedHeaders,
                EMPTY_PAYLOAD_SHA256);
        String scope = String.join("/", credential[1], region, "sts", "aws4_request");
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", date, scope, sha256Hex(canonicalRequest));
        byte[] key = hmac(("AWS4" + caller.secretAccessKey()).getBytes(StandardCharsets.UTF_8), credential[1]);
        key = hmac(hmac(hmac(key, region), "sts"), "aws4_request");
        String expected = HexFormat.of().formatHex(hmac(key, stringToSign));
        String given = lower.getOrDefault("x-amz-signature", "");
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII))) {
            return refused("STS: SignatureDoesNotMatch (was the token made for cluster " + clusterName + "?)");
        }
        return new Result.Authenticated(caller.principalArn());
    }

    private static Result refused(String reason) {
        return new Result.Refused(reason);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** SigV4's URI encoding: RFC 3986 unreserved characters stay, everything else is %XX in upper case. */
    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
