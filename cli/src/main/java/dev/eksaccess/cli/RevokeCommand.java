package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.request.Action;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eks-access revoke}: remove one access policy from a principal, or every policy this system granted it. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Ask for a principal to lose an EKS access policy on a cluster, or every policy eks-access "
                + "granted it (--all-policies).",
        footer = {"", "Example:", "  eks-access revoke --cluster payments-prod \\",
                "    --principal arn:aws:iam::111122223333:role/teams/payments-dev --policy AmazonEKSEditPolicy",
                "", ExitCodes.SUMMARY})
final class RevokeCommand extends RequestCommand {

    /** Revoking everything must be asked for explicitly: a forgotten --policy must not widen a revoke. */
    static final class Which {
        @Option(names = "--policy", required = true, paramLabel = "POLICY",
                description = "Access policy short name or ARN to revoke.")
        String policy;

        @Option(names = "--all-policies", required = true,
                description = "Revoke every policy eks-access granted the principal on this cluster.")
        boolean allPolicies;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    RevokeCommand(CliContext context) {
        super(context);
    }

    @Override
    Action action() {
        return Action.REVOKE;
    }

    @Override
    String policy() {
        return which.policy;
    }

    @Override
    void putActionFields(ObjectNode message) {
        // A revoke has no scope, groups, username or expiry: picocli refuses those flags here.
    }
}
