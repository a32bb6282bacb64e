package dev.eksaccess.cli;

import static dev.eksaccess.request.AccessRequest.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.request.Action;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eks-access grant}: associate an access policy with a principal, at cluster or namespace scope. */
@Command(name = "grant", mixinStandardHelpOptions = true,
        description = "Ask for a principal to get an EKS access policy on a cluster (cluster scope unless "
                + "--namespace is given).",
        footer = {"", "Example:", "  eks-access grant --cluster payments-prod \\",
                "    --principal arn:aws:iam::111122223333:role/teams/payments-dev \\",
                "    --policy AmazonEKSEditPolicy --namespace payments \\",
                "    --duration PT8H --reason INC-4711",
                "", ExitCodes.SUMMARY})
final class GrantCommand extends RequestCommand {

    @Option(names = "--policy", paramLabel = "POLICY",
            description = "Access policy short name (AmazonEKSViewPolicy) or ARN. Required.")
    String policy;

    @Option(names = "--namespace", split = ",", paramLabel = "NAMESPACE",
            description = "Namespace scope (repeatable; a trailing * matches a prefix). Without it: cluster scope.")
    List<String> namespaces;

    @Option(names = "--group", split = ",", paramLabel = "GROUP",
            description = "Kubernetes group of the access entry (repeatable). Without it: groups unchanged.")
    List<String> groups;

    @Option(names = "--username", paramLabel = "NAME",
            description = "Kubernetes username of the access entry. Without it: unchanged.")
    String username;

    @Mixin
    ExpiryOptions expiry;

    GrantCommand(CliContext context) {
        super(context);
    }

    @Override
    Action action() {
        return Action.GRANT;
    }

    @Override
    String policy() {
        return policy;
    }

    @Override
    void putActionFields(ObjectNode message) {
        ObjectNode scope = message.putObject(ACCESS_SCOPE);
        if (namespaces == null || namespaces.isEmpty()) {
            scope.put(SCOPE_TYPE, "cluster");
        } else {
            scope.put(SCOPE_TYPE, "namespace");
            ArrayNode list = scope.putArray(SCOPE_NAMESPACES);
            namespaces.forEach(list::add);
        }
        if (groups != null && !groups.isEmpty()) {
            ArrayNode list = message.putArray(KUBERNETES_GROUPS);
            groups.forEach(list::add);
        }
        putIfGiven(message, USERNAME, username);
        expiry.putInto(message);
    }
}
