package dev.eksaccess.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in-process as {@code main} would, with captured stdout and stderr. */
final class CliHarness {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** A connector for runs that must not reach SQS. */
    static final SqsConnector NO_SQS = (region, endpoint) -> {
        throw new AssertionError("this run must not connect to SQS");
    };

    /** What one run produced. */
    record Run(int exitCode, String out, String err) {
    }

    private CliHarness() {
    }

    static Run run(CliContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = EksAccessCli.commandLine(context);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** Fixed clock, {@code USER=alice}, no SQS. */
    static Run run(String... args) {
        return run(new CliContext(CLOCK, Map.of("USER", "alice"), NO_SQS), args);
    }
}
