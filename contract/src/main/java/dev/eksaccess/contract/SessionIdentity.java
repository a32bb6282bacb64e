package dev.eksaccess.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a role session in a member account says about who asked: the functions pass these values to STS AssumeRole,
 * the spoke role's trust (CDK) requires a source identity of this form, and an auditor maps them back to the ledger.
 *
 * <ul>
 *   <li>{@code SourceIdentity} (sticky: it stays on every call made with the session and on any role chained from it,
 *       and cannot be changed) names the sender: an IAM role or user ARN becomes its name (at most
 *       {@value #NAME_CHARS} characters) + {@code .} + the first {@value #HASH_CHARS} hex digits of the SHA-256 of the
 *       whole ARN ({@link #ofPrincipal}); the system's own functions are {@code eks-access.} + the function
 *       ({@link #ofFunction}).</li>
 *   <li>{@code RoleSessionName} names the request: its id when that is already 2-64 characters STS accepts, else the
 *       id with every other character replaced by {@code _}, cut to {@value #NAME_CHARS} characters, + {@code .} + the
 *       hash of the id as sent ({@link #sessionName}).</li>
 * </ul>
 *
 * <p>Both follow STS's rule for the two values: 2 to 64 characters of letters, digits and {@code _+=,.@-}.
 */
public final class SessionIdentity {

    /** STS's rule for {@code SourceIdentity} and {@code RoleSessionName}. */
    public static final Pattern STS_VALUE = Pattern.compile("[\\w+=,.@-]{2,64}");
    /** Hex digits of the SHA-256 kept: 32 bits, enough to tell apart the senders one configuration names. */
    public static final int HASH_CHARS = 8;
    /** Characters of a name kept before {@code .} and the hash, so that the whole fits STS's 64. */
    public static final int NAME_CHARS = 64 - 1 - HASH_CHARS;
    /** The system's functions, as their logs and their sessions in member accounts name them. */
    public static final String GRANT_PROCESSOR = "grant-processor";
    public static final String CLUSTER_CREATION = "cluster-creation";
    public static final String EXPIRY_SWEEP = "expiry-sweep";
    /** Reading a cluster after someone else changed its access (docs/drift.md); read-only. */
    public static final String ACCESS_CHANGES = "access-changes";
    /** The scheduled reconciliation (docs/drift.md): lists entries and policies, read-only in EKS. */
    public static final String RECONCILIATION = "reconciliation";
    /** Registering clusters that existed before the system (docs/adopt.md): ListClusters, LookupEvents; read-only. */
    public static final String ADOPTION = "adoption";
    /** The source identity of the system's own functions starts so. */
    public static final String FUNCTION_PREFIX = "eks-access.";
    /**
     * The {@code StringLike} patterns the spoke roles' trust requires of {@code sts:SourceIdentity}: a sender's name
     * and hash, or a function. A request without a source identity matches none, so the trust refuses it.
     */
    public static final List<String> TRUST_PATTERNS = List.of("*." + "?".repeat(HASH_CHARS), FUNCTION_PREFIX + "*");

    private static final Pattern FUNCTION = Pattern.compile("[a-z][a-z-]{1,40}");
    private static final Pattern NOT_STS = Pattern.compile("[^\\w+=,.@-]");

    private SessionIdentity() {
    }

    /**
     * The source identity of a sender: {@code arn:aws:iam::111122223333:role/teams/payments-deployer} becomes
     * {@code payments-deployer.} and 8 hex digits.
     */
    public static String ofPrincipal(String principalArn) {
        String name = principalArn.substring(principalArn.lastIndexOf('/') + 1);
        return cut(NOT_STS.matcher(name).replaceAll("_")) + "." + hash(principalArn);
    }

    /** The source identity of one of the system's functions ({@code grant-processor}, {@code cluster-creation}…). */
    public static String ofFunction(String function) {
        if (!FUNCTION.matcher(function).matches()) {
            throw new IllegalArgumentException("not a function name: " + function);
        }
        return FUNCTION_PREFIX + function;
    }

    /** The role session name of a request. */
    public static String sessionName(String requestId) {
        if (STS_VALUE.matcher(requestId).matches()) {
            return requestId;
        }
        return cut(NOT_STS.matcher(requestId).replaceAll("_")) + "." + hash(requestId);
    }

    /** The first {@value #HASH_CHARS} hex digits of the SHA-256 of {@code value} (UTF-8). */
    public static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8))).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static String cut(String name) {
        return name.length() <= NAME_CHARS ? name : name.substring(0, NAME_CHARS);
    }
}
