package dev.eksaccess.cli;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Someone who may be among a request's approvers, as {@code pending} matches them against the ARNs in the ledger
 * (approvers, requester, principal, approved-by; IAM role ARNs with their path, or IAM user ARNs).
 *
 * <p>A role, whether given by its ARN or by a session of it ({@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION},
 * what STS says of a caller who assumed it), matches every role ARN of the same partition, account and name,
 * whatever its path: a session ARN does not carry the path, and a role's name is unique in its account. A user
 * matches its own ARN exactly. Names are compared as written, case included.
 *
 * @param arn       the ARN this approver was read from
 * @param role      true for a role (or a session of it), false for an IAM user
 * @param partition {@code aws}, {@code aws-cn}, ...
 * @param account   the 12-digit account
 * @param name      the role's name; for a user, its whole ARN
 */
record Approver(String arn, boolean role, String partition, String account, String name) {

    private static final Pattern ROLE = Pattern.compile("arn:([\\w-]+):iam::(\\d{12}):role/(?:.*/)?([\\w+=,.@-]+)");
    private static final Pattern SESSION = Pattern.compile(
            "arn:([\\w-]+):sts::(\\d{12}):assumed-role/([\\w+=,.@-]+)/[^/]+");
    private static final Pattern USER = Pattern.compile("arn:([\\w-]+):iam::(\\d{12}):user/(?:.*/)?[\\w+=,.@-]+");

    /**
     * The approver {@code arn} names: an IAM role or user ARN, or an assumed-role session ARN. Empty for anything
     * else (an account's root user, a federated user, a malformed ARN), which no approver list can name.
     */
    static Optional<Approver> of(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        for (Pattern rolePattern : new Pattern[] {ROLE, SESSION}) {
            Matcher m = rolePattern.matcher(arn);
            if (m.matches()) {
                return Optional.of(new Approver(arn, true, m.group(1), m.group(2), m.group(3)));
            }
        }
        Matcher user = USER.matcher(arn);
        return user.matches()
                ? Optional.of(new Approver(arn, false, user.group(1), user.group(2), arn))
                : Optional.empty();
    }

    /** Whether {@code otherArn} (a role or user ARN from the ledger, or a session ARN) names this approver. */
    boolean is(String otherArn) {
        return of(otherArn).filter(other -> other.role == role && other.partition.equals(partition)
                && other.account.equals(account) && other.name.equals(name)).isPresent();
    }

    /** Whether any of {@code arns} names this approver. */
    boolean isAnyOf(Collection<String> arns) {
        return arns.stream().anyMatch(this::is);
    }
}
