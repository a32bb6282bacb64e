package dev.eksaccess.cli;

import picocli.CommandLine.Command;

/** {@code eks-access approve}: one approval of a request that waits for approval. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve a request that waits for approval. It is applied once as many approvers as its rule "
                + "requires have approved; only an approver the rule names counts, never the requester nor the "
                + "principal.",
        footer = {"", "Example:", "  eks-access approve payments-admin-42 --reason 'INC-4711, checked with Bob'",
                "", ExitCodes.SUMMARY})
final class ApproveCommand extends DecisionCommand {

    ApproveCommand(CliContext context) {
        super(context);
    }

    @Override
    String action() {
        return "approve";
    }
}
