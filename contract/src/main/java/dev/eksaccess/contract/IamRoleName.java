package dev.eksaccess.contract;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name of the role the grant processor assumes in member accounts ({@link Setting#CROSS_ACCOUNT_ROLE_NAME}, the
 * CDK context key {@code crossAccountRoleName}): an IAM role name, optionally after its path without a leading or
 * trailing slash ({@code platform/eks-access}), never its ARN. The functions refuse to start with anything else and
 * synth refuses it with the same explanation; both build the role's ARN with {@link #arn}.
 *
 * <p>Next to it, each member account has the cluster-creation function's read-only role, {@link #clusterReader}: the
 * same path and name + {@value #READER_SUFFIX}. So that both fit IAM's 64 characters, the name may have
 * {@value #MAX_NAME_CHARS}.
 */
public final class IamRoleName {

    /** Appended to the name of the grant processor's role to name the cluster-creation function's read-only one. */
    public static final String READER_SUFFIX = "-reader";
    /** IAM's 64 characters, less the reader role's suffix. */
    public static final int MAX_NAME_CHARS = 64 - READER_SUFFIX.length();

    /** Path segments, then a name of at most {@link #MAX_NAME_CHARS} characters, in IAM's character set. */
    private static final Pattern NAME_WITH_PATH = Pattern.compile("([\\w+=,.@-]+/)*[\\w+=,.@-]{1," + MAX_NAME_CHARS
            + "}");

    private IamRoleName() {
    }

    /** Why {@code name} is not a role name (a phrase to follow the value), or empty when it is one. */
    public static Optional<String> problemWith(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("is empty");
        }
        if (name.startsWith("arn:")) {
            return Optional.of("is an ARN; give the role's name, not the ARN (with its path, if any: path/name)");
        }
        if (name.startsWith("/") || name.endsWith("/")) {
            return Optional.of("starts or ends with '/'; write the path without slashes around it: path/name");
        }
        if (!NAME_WITH_PATH.matcher(name).matches()) {
            return Optional.of("is not an IAM role name: up to " + MAX_NAME_CHARS + " letters, digits or +=,.@_-"
                    + " characters (IAM's 64 less " + READER_SUFFIX.length() + " for the read-only role named NAME"
                    + READER_SUFFIX + "), optionally after its path (path/name)");
        }
        return Optional.empty();
    }

    /**
     * The cluster-creation function's read-only role next to the role {@code name} (with its path): only
     * {@code eks:DescribeCluster}, trusted only by the hub's cluster-creation role.
     */
    public static String clusterReader(String name) {
        return name + READER_SUFFIX;
    }

    /**
     * {@code arn:PARTITION:iam::ACCOUNT:role/PATH/NAME}, the role {@code name} (with its path) in an account; the CDK app
     * passes {@code *} as the account to allow assuming it in any member account.
     */
    public static String arn(String partition, String accountId, String name) {
        return "arn:" + partition + ":iam::" + accountId + ":role/" + name;
    }
}
