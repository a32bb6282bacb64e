package dev.eksaccess.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code eks-access}: the command-line tool teams use to ask for, or give back, access to an EKS cluster, and
 * approvers to approve or deny what waits for them. It builds a contract-v1 message from flags, validates it (grants
 * and revokes with the grant processor's own parser), and sends it to the grant queue (or prints it with
 * {@code --dry-run}); {@code status} and {@code pending} read the audit ledger. Exit codes: {@link ExitCodes}.
 */
@Command(name = "eks-access",
        mixinStandardHelpOptions = true,
        versionProvider = EksAccessCli.Version.class,
        description = {"Sends grant and revoke requests for EKS cluster access to the eks-access grant queue, and "
                + "approvals and denials of requests that wait for approval; shows what became of a request "
                + "(status) and what waits for approval (pending)."},
        footer = {"", ExitCodes.ALL})
public final class EksAccessCli {

    /** Options that fall back to an environment variable; {@code --requested-by} tries each in turn. */
    private static final Map<String, String[]> ENVIRONMENT_DEFAULTS = Map.of(
            "--queue-url", new String[] {CliContext.QUEUE_URL_VARIABLE},
            "--ledger-table", new String[] {CliContext.LEDGER_TABLE_VARIABLE},
            "--inventory-table", new String[] {CliContext.INVENTORY_TABLE_VARIABLE},
            "--allowed-policies", new String[] {CliContext.ALLOWED_POLICIES_VARIABLE},
            "--max-grant-duration", new String[] {CliContext.MAX_GRANT_DURATION_VARIABLE},
            "--function-name", new String[] {CliContext.ADOPTION_FUNCTION_VARIABLE},
            "--requested-by", new String[] {"USER", "USERNAME"});

    public static void main(String[] args) {
        System.exit(commandLine(CliContext.system()).execute(args));
    }

    /** The command tree wired to {@code context}; tests run it with {@link CommandLine#execute}. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine commandLine = new CommandLine(new EksAccessCli())
                .addSubcommand(new CommandLine(new GrantCommand(context)))
                .addSubcommand(new CommandLine(new RevokeCommand(context)))
                .addSubcommand(new CommandLine(new RecoverCommand(context)))
                .addSubcommand(new CommandLine(new ApproveCommand(context)))
                .addSubcommand(new CommandLine(new DenyCommand(context)))
                .addSubcommand(new CommandLine(new StatusCommand(context)))
                .addSubcommand(new CommandLine(new PendingCommand(context)))
                .addSubcommand(new CommandLine(new MigrateCommand(context)))
                .addSubcommand(new CommandLine(new AdoptCommand(context)))
                .addSubcommand(new CommandLine(new InventoryCommand(context)))
                .addSubcommand(new CommandLine(new WhoCanCommand(context)));
        // Set after the subcommands are added: picocli hands these to the hierarchy present at this moment.
        commandLine.setDefaultValueProvider(environmentDefaults(context));
        commandLine.setParameterExceptionHandler(EksAccessCli::shortUsageError);
        return commandLine;
    }

    /** The problem and where to read more, instead of picocli's default of the whole help text after it. */
    private static int shortUsageError(ParameterException problem, String[] args) {
        CommandLine command = problem.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("eks-access: " + problem.getMessage());
        UnmatchedArgumentException.printSuggestions(problem, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Environment variables as defaults, so picocli converts and checks them exactly like the flags. */
    private static IDefaultValueProvider environmentDefaults(CliContext context) {
        return argument -> {
            if (!(argument instanceof OptionSpec option)) {
                return null;
            }
            for (String variable : ENVIRONMENT_DEFAULTS.getOrDefault(option.longestName(), new String[0])) {
                String value = context.variable(variable);
                if (value != null) {
                    return value;
                }
            }
            return null;
        };
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EksAccessCli.class.getPackage().getImplementationVersion();
            return new String[] {"eks-access " + (version == null ? "(development build)" : version)
                    + ", request contract v1"};
        }
    }
}
