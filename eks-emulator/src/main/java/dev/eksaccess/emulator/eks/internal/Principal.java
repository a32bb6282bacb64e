package dev.eksaccess.emulator.eks.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM user or role ARN accepted as an access-entry principal, parsed.
 *
 * @param path the IAM path between the kind and the name, with surrounding slashes ({@code /} when none)
 */
public record Principal(String arn, String partition, String accountId, String kind, String path, String name) {

    /** The message EKS answers for a principal that is not an IAM user or role ARN, STS sessions included. */
    public static final String FORMAT_NOT_VALID = "principalArn parameter format is not valid";

    private static final Pattern IAM_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):(user|role)(/(?:[\\x21-\\x2E\\x30-\\x7E]+/)*)([\\w+=,.@-]{1,64})");

    /** Parses an IAM user or role ARN; anything else (STS sessions, root, other services) is a bad parameter. */
    public static Principal parse(String arn) {
        Matcher m = IAM_ARN.matcher(arn);
        if (!m.matches()) {
            throw ApiError.invalidParameter(FORMAT_NOT_VALID);
        }
        Principal principal = new Principal(arn, m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
        if (principal.isRole() && principal.path().startsWith("/aws-service-role/")) {
            throw ApiError.invalidParameter("The principalArn " + arn + " is a service-linked role, which can't be used"
                    + " as an access entry principal");
        }
        return principal;
    }

    public boolean isRole() {
        return "role".equals(kind);
    }

    /** Same account, kind and name, whatever the path: used to spot a role ARN whose path was dropped. */
    public boolean sameIdentityAs(Principal other) {
        return partition.equals(other.partition) && accountId.equals(other.accountId)
                && kind.equals(other.kind) && name.equals(other.name);
    }

    /**
     * The username EKS assigns to a STANDARD entry when none is given: the user ARN for users, the session
     * template without the path for roles.
     */
    public String defaultStandardUsername() {
        return isRole()
                ? "arn:" + partition + ":sts::" + accountId + ":assumed-role/" + name + "/{{SessionName}}"
                : arn;
    }
}
