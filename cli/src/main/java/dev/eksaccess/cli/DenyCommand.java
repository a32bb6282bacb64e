package dev.eksaccess.cli;

import picocli.CommandLine.Command;

/** {@code eks-access deny}: refuse a request that waits for approval. */
@Command(name = "deny", mixinStandardHelpOptions = true,
        description = "Deny a request that waits for approval: one denial by an approver the rule names ends it, "
                + "and the reason reaches the requester.",
        footer = {"", "Example:", "  eks-access deny payments-admin-42 --reason 'no incident open; use view access'",
                "", ExitCodes.SUMMARY})
final class DenyCommand extends DecisionCommand {

    DenyCommand(CliContext context) {
        super(context);
    }

    @Override
    String action() {
        return "deny";
    }
}
