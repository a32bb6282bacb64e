package dev.eksaccess.awsauth;

/**
 * aws-auth cannot be read as aws-iam-authenticator reads it. A broken aws-auth is a lockout in progress (one malformed
 * {@code mapRoles} entry makes the authenticator drop every role mapping), so it is reported, never guessed around.
 */
public final class BrokenAwsAuthException extends Exception {

    private final String where;
    private final String problem;

    /**
     * @param where   what is broken and where: {@code data.mapRoles[2].groups, line 7, column 9}
     * @param problem what is wrong there
     */
    public BrokenAwsAuthException(String where, String problem) {
        super("aws-auth is broken at " + where + ": " + problem);
        this.where = where;
        this.problem = problem;
    }

    public String where() {
        return where;
    }

    public String problem() {
        return problem;
    }
}
