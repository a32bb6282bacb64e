package dev.eksaccess.cli;

/**
 * The CLI's exit codes. 0 and 2 follow picocli's conventions; the others tell a script what to do next: fix the
 * request (3) or retry / fix the AWS setup (4).
 */
public final class ExitCodes {

    /** Sent, or printed with {@code --dry-run}; also for {@code --help} and {@code --version}. */
    public static final int OK = 0;
    /** Unknown flag, missing value, missing subcommand, no queue URL or region, options that contradict each other. */
    public static final int USAGE = 2;
    /** The request breaks the grant processor's validation rules; every problem is listed. */
    public static final int INVALID_REQUEST = 3;
    /** The request is valid but could not be sent: credentials, network, or SQS refused it. */
    public static final int SEND_FAILED = 4;

    /** The line the help texts end with. */
    public static final String SUMMARY = "Exit codes: 0 sent or printed, 2 usage error, 3 invalid request, "
            + "4 could not send.";

    private ExitCodes() {
    }
}
