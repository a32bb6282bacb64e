package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.cli.Ledger.AuditRecord;
import dev.eksaccess.cli.Ledger.PendingApproval;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code eks-access status}: what became of a request, from the audit ledger. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show what became of a request: every audit record with its id (from any sender: ids are "
                + "unique per sender) and, while it waits for approval, who approved, how many must, who may, and "
                + "until when.",
        footer = {"", "Example:", "  eks-access status payments-admin-42", "", ExitCodes.STATUS_SUMMARY})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "REQUEST_ID",
            description = "The request's id, as grant, revoke, approve or deny printed it (or the SQS message id of "
                    + "a message sent without one).")
    String requestId;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Mixin
    LedgerOptions ledger;

    StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        // Reserved prefixes are fine here: the system's own requests (bootstrap:, expiry:) are worth looking up.
        if (!DecisionCommand.REQUEST_ID_SYNTAX.matcher(requestId).matches()) {
            throw new ParameterException(spec.commandLine(), "REQUEST_ID: '" + requestId
                    + "' is not a request id (1-128 letters, digits or any of _:.@/+=-)");
        }
        String table = ledger.table();
        List<AuditRecord> records;
        List<PendingApproval> pending;
        try (DynamoDbClient dynamo = context.dynamoDb().connect(ledger.region(), ledger.endpoint())) {
            Ledger reader = new Ledger(dynamo, table);
            records = reader.records(requestId);
            pending = reader.pending(requestId);
        } catch (SdkException e) {
            return ledger.readFailed(table, e);
        }
        boolean found = !records.isEmpty() || !pending.isEmpty();
        LedgerView view = new LedgerView(context.clock().instant());
        if (json) {
            ObjectNode document = JsonOutput.JSON.createObjectNode().put("requestId", requestId);
            ArrayNode recordArray = document.putArray("records");
            records.forEach(record -> recordArray.add(view.json(record)));
            ArrayNode pendingArray = document.putArray("pending");
            pending.forEach(item -> pendingArray.add(view.json(item)));
            JsonOutput.print(spec.commandLine().getOut(), document);
        } else if (found) {
            printText(view, records, pending);
        } else {
            PrintWriter err = spec.commandLine().getErr();
            err.println("eks-access: the ledger (table " + table + ") has no record of request " + requestId
                    + ", and nothing waits for approval under that id. A request sent moments ago may not be "
                    + "processed yet, or it went to another deployment's queue.");
            err.flush();
        }
        return found ? ExitCodes.OK : ExitCodes.NOT_FOUND;
    }

    private void printText(LedgerView view, List<AuditRecord> records, List<PendingApproval> pending) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("request " + requestId + ": " + count(records.size(), "audit record") + ", "
                + count(pending.size(), "pending approval"));
        for (AuditRecord record : records) {
            out.println();
            view.print(out, record);
        }
        Set<String> ambiguous = LedgerView.ambiguousIds(pending);
        for (PendingApproval item : pending) {
            out.println();
            view.print(out, item, ambiguous);
        }
        out.flush();
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
