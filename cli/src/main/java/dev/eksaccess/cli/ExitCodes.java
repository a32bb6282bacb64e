package dev.eksaccess.cli;

/**
 * The CLI's exit codes. 0 and 2 follow picocli's conventions; the others tell a script what to do next: fix the
 * request (3), retry or fix the AWS setup (4), or wait for a request the ledger does not know yet (5).
 */
public final class ExitCodes {

    /** Sent, printed with {@code --dry-run}, found, or listed; also for {@code --help} and {@code --version}. */
    public static final int OK = 0;
    /**
     * Unknown flag, missing value, missing subcommand, no queue URL, ledger table or region, options that contradict
     * each other.
     */
    public static final int USAGE = 2;
    /** The request breaks the grant processor's validation rules; every problem is listed. */
    public static final int INVALID_REQUEST = 3;
    /** An AWS call failed: the request could not be sent, the ledger not read, or STS not asked who the caller is. */
    public static final int AWS_FAILED = 4;
    /** {@code status}: the ledger has no record of the request id (yet), and nothing waits for approval under it. */
    public static final int NOT_FOUND = 5;

    /** {@code migrate}: aws-auth is broken (not valid YAML, a malformed entry): fix it first, nothing was planned. */
    public static final int BROKEN_AWS_AUTH = 6;

    /** The line {@code migrate --help} ends with. */
    public static final String MIGRATE_SUMMARY = "Exit codes: 0 plan or comparison printed, or every request "
            + "sent (also when some mappings cannot migrate), 2 usage error, 4 could not read aws-auth, ask AWS or send "
            + "a request, 6 aws-auth is broken (nothing sent).";

    /** The line {@code adopt --help} ends with. */
    public static final String ADOPT_SUMMARY = "Exit codes: 0 the run was complete (every account and region "
            + "listed, no cluster failed), 2 usage error, 3 the function refused the request (an --account that is not "
            + "a member account), 4 the function could not be invoked or failed, or the run was incomplete (the report "
            + "says where; run again).";

    /** The line the help texts of the sending commands (grant, revoke, approve, deny) end with. */
    public static final String SUMMARY = "Exit codes: 0 sent or printed, 2 usage error, 3 invalid request, "
            + "4 could not send.";
    /** The line {@code status --help} ends with. */
    public static final String STATUS_SUMMARY = "Exit codes: 0 found, 2 usage error, 4 could not read the ledger, "
            + "5 no record of the request.";
    /** The line {@code pending --help} ends with. */
    public static final String PENDING_SUMMARY = "Exit codes: 0 listed (also when nothing waits), 2 usage error, "
            + "4 could not read the ledger or ask STS who you are.";
    /** The line {@code inventory --help} and {@code who-can --help} end with. */
    public static final String INVENTORY_SUMMARY = "Exit codes: 0 shown, 2 usage error, 4 could not read the inventory "
            + "table, 5 no snapshot yet (or it expired), or no such cluster in it.";
    /** The line the top-level help ends with. */
    public static final String ALL = "Exit codes: 0 done, 2 usage error, 3 invalid request, 4 an AWS call failed, "
            + "5 status found no record (inventory, who-can: no snapshot), 6 migrate found aws-auth broken.";

    private ExitCodes() {
    }
}
