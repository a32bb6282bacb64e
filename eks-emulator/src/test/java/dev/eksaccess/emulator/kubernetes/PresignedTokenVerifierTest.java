package dev.eksaccess.emulator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token's form, checked as aws-iam-authenticator checks it before anything is sent to STS. */
class PresignedTokenVerifierTest {

    private static final String GOOD_QUERY = "Action=GetCallerIdentity&Version=2011-06-15"
            + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDX%2F20261203%2Fus-east-1%2Fsts%2Faws4_request"
            + "&X-Amz-Date=20261203T060000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id"
            + "&X-Amz-Signature=00";

    private final PresignedTokenVerifier verifier = new PresignedTokenVerifier("demo",
            InstantSource.fixed(Instant.parse("2026-12-03T06:05:00Z")), Map.of());

    @Test
    void theFormIsCheckedBeforeTheSignature() {
        assertRefusal("https://sts.us-east-1.amazonaws.com/?" + GOOD_QUERY, "STS: InvalidClientTokenId");
        assertRefusal("http://sts.us-east-1.amazonaws.com/?" + GOOD_QUERY, "unexpected scheme \"http\"");
        assertRefusal("https://sts.evil.example/?" + GOOD_QUERY, "unexpected hostname \"sts.evil.example\"");
        assertRefusal("https://sts.us-east-1.amazonaws.com:8443/?" + GOOD_QUERY, "unexpected hostname");
        assertRefusal("https://sts.us-east-1.amazonaws.com/x?" + GOOD_QUERY, "unexpected path");
        assertRefusal("https://sts.us-east-1.amazonaws.com/?" + GOOD_QUERY + "&Action=GetCallerIdentity",
                "multiple values");
        assertRefusal("https://sts.us-east-1.amazonaws.com/?" + GOOD_QUERY.replace("Expires=60", "Expires=901"),
                "invalid X-Amz-Expires");
        assertRefusal("https://sts.us-east-1.amazonaws.com/?" + GOOD_QUERY.replace("T060000Z", "T054959Z"),
                "X-Amz-Date parameter is expired");
    }

    @Test
    void theTokenItself() {
        assertThat(refusal("k8s-aws-v2.abc")).contains("missing expected \"k8s-aws-v1.\" prefix");
        assertThat(refusal("k8s-aws-v1." + "a".repeat(5000))).isEqualTo("token is too large");
        String padded = Base64.getUrlEncoder().encodeToString("https://sts.amazonaws.com/?x".getBytes(
                StandardCharsets.UTF_8));
        assertThat(padded).endsWith("=");
        assertThat(refusal("k8s-aws-v1." + padded)).contains("no padding");
    }

    private void assertRefusal(String url, String reason) {
        assertThat(refusal(PresignedTokenVerifier.PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(url.getBytes(StandardCharsets.UTF_8)))).contains(reason);
    }

    private String refusal(String token) {
        return ((PresignedTokenVerifier.Result.Refused) verifier.verify(token)).reason();
    }
}
