package dev.eksaccess.contract;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What EKS accepts as an access-entry principal: an IAM user or role ARN (role ARNs with their path), and the
 * explanation when a string is not one.
 */
public final class IamPrincipal {

    /** Longest principal ARN accepted; IAM allows a 512-character path and a 64-character name. */
    public static final int MAX_LENGTH = 1024;

    /** Also the pattern of principalArn in access-request-v1.schema.json (anchored there); a test keeps them equal. */
    static final Pattern USER_OR_ROLE = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):(role|user)(/[\\w+=,.@-]+)*/[\\w+=,.@-]{1,64}");
    private static final Pattern STS_SESSION = Pattern.compile(
            "arn:[\\w-]+:sts::\\d{12}:assumed-role/([^/]+)/.*");

    private IamPrincipal() {
    }

    /** Whether {@code arn} is an IAM user or role ARN that EKS accepts. */
    public static boolean isValid(String arn) {
        return problemWith(arn).isEmpty();
    }

    /** Why {@code arn} is not an acceptable principal, or empty when it is. */
    public static Optional<String> problemWith(String arn) {
        if (arn == null || arn.isBlank()) {
            return Optional.of("is required");
        }
        if (arn.length() > MAX_LENGTH) {
            return Optional.of("is " + arn.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        if (arn.contains("*") || arn.contains("?")) {
            return Optional.of("must not contain wildcards");
        }
        var session = STS_SESSION.matcher(arn);
        if (session.matches()) {
            // The session ARN never carries the role's path, and a path-stripped role ARN is refused by EKS:
            // only the sender knows the real role ARN, so the system does not guess it.
            return Optional.of("is an STS assumed-role session ARN; send the IAM role ARN with its path instead, "
                    + "e.g. arn:aws:iam::ACCOUNT:role/PATH/" + session.group(1)
                    + " (aws iam get-role --role-name " + session.group(1) + " shows it)");
        }
        if (!USER_OR_ROLE.matcher(arn).matches()) {
            return Optional.of("must be an IAM user or role ARN (arn:aws|aws-cn|aws-us-gov:iam::12-digit-account:"
                    + "user/NAME or role/[PATH/]NAME)");
        }
        if (arn.contains(":role/aws-service-role/")) {
            return Optional.of("is a service-linked role, which EKS does not accept as an access-entry principal");
        }
        return Optional.empty();
    }

    /** The partition of a valid principal ARN. */
    public static String partitionOf(String arn) {
        return arn.substring(4, arn.indexOf(':', 4));
    }
}
