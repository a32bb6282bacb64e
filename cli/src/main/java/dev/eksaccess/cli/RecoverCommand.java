package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.request.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code eks-access recover}: time-bound AmazonEKSClusterAdminPolicy at cluster scope for a principal, on a cluster
 * nobody can reach (docs/migration.md#recover-lost-access). Only a recovery rule allows it.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Ask for a principal to get AmazonEKSClusterAdminPolicy at cluster scope, for a limited time, "
                + "on a cluster nobody can reach (a CONFIG_MAP cluster is switched to API_AND_CONFIG_MAP first when "
                + "the deployment allows it). Allowed only by eligibility rules with \"recovery\": true; held for "
                + "approval when the rule asks for it; break-glass use raises the alarm.",
        footer = {"", "Example:", "  eks-access recover --cluster payments-prod \\",
                "    --principal arn:aws:iam::111122223333:role/platform/recovery \\",
                "    --duration PT1H --reason INC-4711",
                "", ExitCodes.SUMMARY})
final class RecoverCommand extends RequestCommand {

    @Mixin
    ExpiryOptions expiry;

    RecoverCommand(CliContext context) {
        super(context);
    }

    @Override
    Action action() {
        return Action.RECOVER;
    }

    /** None: a recover gives cluster admin, which the parser sets. */
    @Override
    String policy() {
        return null;
    }

    @Override
    void putActionFields(ObjectNode message) {
        expiry.putInto(message);
    }
}
