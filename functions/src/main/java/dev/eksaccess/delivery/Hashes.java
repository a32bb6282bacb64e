package dev.eksaccess.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, stable identifiers derived from request data (idempotency tokens, request ids). */
final class Hashes {

    private Hashes() {
    }

    /** The first {@code bytes} bytes of the SHA-256 of {@code value}, in hex. */
    static String sha256Hex(String value, int bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)), 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
