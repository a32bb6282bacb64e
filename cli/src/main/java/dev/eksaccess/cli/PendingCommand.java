package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.cli.Ledger.PendingApproval;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code eks-access pending}: the requests that wait for approval, by default those the caller may approve. */
@Command(name = "pending", mixinStandardHelpOptions = true,
        description = {"List requests that wait for approval, soonest expiry first.",
                "By default only those you may approve now: you are among their approvers (as STS says who you "
                        + "are: a role session counts as its role), you neither sent them nor are their principal, "
                        + "you have not approved them yet, and they have not expired."},
        footer = {"", "Examples:", "  eks-access pending",
                "  eks-access pending --approver arn:aws:iam::111122223333:role/platform/sre-lead",
                "  eks-access pending --all --json", "", ExitCodes.PENDING_SUMMARY})
final class PendingCommand implements Callable<Integer> {

    /** Whose view: the caller's (neither flag), another approver's, or everything. */
    static final class Whose {
        @Option(names = "--approver", paramLabel = "ARN",
                description = "List what this approver may approve instead of what you may: an IAM role or user "
                        + "ARN, or an assumed-role session ARN. No call to STS.")
        String approver;

        @Option(names = "--all", description = "List every request that waits for approval, expired ones too.")
        boolean all;
    }

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @ArgGroup(exclusive = true)
    Whose whose;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Mixin
    LedgerOptions ledger;

    PendingCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String table = ledger.table();
        Region region = ledger.region();
        boolean all = whose != null && whose.all;
        Optional<String> callerArn = Optional.empty();
        if (!all) {
            callerArn = whose != null && whose.approver != null ? Optional.of(checked(whose.approver))
                    : callerArn(region);
            if (callerArn.isEmpty()) {
                return ExitCodes.AWS_FAILED;
            }
        }
        List<PendingApproval> every;
        try (DynamoDbClient dynamo = context.dynamoDb().connect(region, ledger.endpoint())) {
            every = new Ledger(dynamo, table).pending();
        } catch (SdkException e) {
            return ledger.readFailed(table, e);
        }
        Instant now = context.clock().instant();
        Optional<Approver> approver = callerArn.flatMap(Approver::of);
        List<PendingApproval> shown = every.stream()
                .filter(pending -> all || approver.isPresent() && mayApprove(approver.get(), pending, now))
                .sorted(Comparator.comparing((PendingApproval p) -> p.expiry().orElse(Instant.MAX))
                        .thenComparing(p -> String.valueOf(p.requestId())))
                .toList();
        LedgerView view = new LedgerView(now);
        if (json) {
            ObjectNode document = JsonOutput.JSON.createObjectNode().put("approver", callerArn.orElse(null));
            ArrayNode array = document.putArray("pending");
            shown.forEach(pending -> array.add(view.json(pending)));
            JsonOutput.print(spec.commandLine().getOut(), document);
        } else {
            printText(view, callerArn, approver.isPresent(), shown, every);
        }
        return ExitCodes.OK;
    }

    /**
     * Whether {@code approver} may approve {@code pending} now: named among its approvers, neither its requester nor
     * its principal, not among those who approved it already, and not expired.
     */
    static boolean mayApprove(Approver approver, PendingApproval pending, Instant now) {
        return approver.isAnyOf(pending.approvers())
                && !approver.is(pending.requesterArn())
                && !approver.is(pending.principalArn())
                && !approver.isAnyOf(pending.approvedBy())
                && !pending.expiredAt(now);
    }

    private String checked(String arn) {
        if (Approver.of(arn.trim()).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--approver: '" + arn + "' is not an IAM role or "
                    + "user ARN, nor an assumed-role session ARN");
        }
        return arn.trim();
    }

    private Optional<String> callerArn(Region region) {
        try {
            return Optional.of(context.identity().arn(region));
        } catch (SdkException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("eks-access: could not ask STS who you are (GetCallerIdentity): " + e.getMessage()
                    + ". Give --approver ARN, or --all");
            err.flush();
            return Optional.empty();
        }
    }

    private void printText(LedgerView view, Optional<String> callerArn, boolean canApprove,
                           List<PendingApproval> shown, List<PendingApproval> every) {
        PrintWriter out = spec.commandLine().getOut();
        String as = callerArn.map(arn -> " (as " + arn + ")").orElse("");
        if (callerArn.isEmpty()) {
            out.println(shown.isEmpty() ? "no request waits for approval"
                    : StatusCommand.count(shown.size(), "request") + " waiting for approval");
        } else if (!canApprove) {
            out.println("no request waits for your approval" + as + ": no approver list can name such an "
                    + "identity (only IAM roles and users)");
        } else {
            out.println((shown.isEmpty() ? "no request waits for your approval"
                    : StatusCommand.count(shown.size(), "request") + " waiting for your approval") + as);
        }
        if (callerArn.isPresent() && every.size() > shown.size()) {
            out.println("(" + (every.size() - shown.size()) + " more that you cannot approve now: "
                    + "eks-access pending --all)");
        }
        Set<String> ambiguous = LedgerView.ambiguousIds(every);
        for (PendingApproval pending : shown) {
            out.println();
            view.print(out, pending, ambiguous);
        }
        out.flush();
    }
}
