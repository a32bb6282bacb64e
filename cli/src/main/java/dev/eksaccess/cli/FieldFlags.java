package dev.eksaccess.cli;

import static dev.eksaccess.request.AccessRequest.*;

import dev.eksaccess.request.FieldError;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** Which flag sets which message field, so that the parser's field errors point at the flag to fix. */
final class FieldFlags {

    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry(CLUSTER_NAME, "--cluster"),
            Map.entry(CLUSTER_ARN, "--cluster"),
            Map.entry(PRINCIPAL_ARN, "--principal"),
            Map.entry(ACCESS_POLICY, "--policy"),
            Map.entry(ACCESS_SCOPE + "." + SCOPE_NAMESPACES, "--namespace"),
            Map.entry(KUBERNETES_GROUPS, "--group"),
            Map.entry(USERNAME, "--username"),
            Map.entry(EXPIRES_AT, "--expires-at"),
            Map.entry(DURATION, "--duration"),
            Map.entry(REQUEST_ID, "--request-id"),
            Map.entry(REQUESTED_BY, "--requested-by"),
            Map.entry(REASON, "--reason"),
            Map.entry(DecisionCommand.PENDING_REQUEST_ID, "PENDING_REQUEST_ID"),
            Map.entry(DecisionCommand.REQUESTER, "--requester"));

    private FieldFlags() {
    }

    /**
     * Says that the {@code action} request is invalid, with every problem on a line of its own and the flag to fix,
     * on stderr. Returns {@link ExitCodes#INVALID_REQUEST}.
     */
    static int report(CommandSpec spec, String action, List<FieldError> errors) {
        PrintWriter err = spec.commandLine().getErr();
        int count = errors.size();
        err.println("eks-access: the " + action + " request is invalid (" + count
                + (count == 1 ? " problem" : " problems") + "):");
        errors.forEach(error -> err.println("  " + describe(error)));
        err.flush();
        return ExitCodes.INVALID_REQUEST;
    }

    /** {@code --principal (principalArn): is an STS ...}; fields no flag sets keep their bare name. */
    static String describe(FieldError error) {
        String flag = FLAGS.get(error.field());
        return (flag == null ? error.field() : flag + " (" + error.field() + ")") + ": " + error.problem();
    }
}
