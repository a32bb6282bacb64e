package dev.eksaccess.sandbox;

import dev.eksaccess.config.ConfigException;
import dev.eksaccess.config.AdminPrincipals;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.testsupport.EmulatorUnavailableException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code java -jar sandbox/target/sandbox.jar [OPTIONS] [FILE...]}: plays the demo scenario, or the given files in
 * order, through the emulated system, and prints what happened. Exit status 0 whenever it ran (whatever the
 * requests' outcomes), 2 for bad arguments or a file it cannot play, 1 when the emulators cannot start or the
 * sandbox itself fails.
 */
@Command(name = "sandbox", sortOptions = false,
        description = {
                "Runs the EKS access automation locally: emulated SQS (ElasticMQ), DynamoDB (dynalite) and EKS, the "
                        + "EventBridge rule, the grant queue's event source mapping, both functions.",
                "Without FILEs it plays the demo in " + DemoScenario.FOLDER + " (as " + DemoScenario.MANIFEST
                        + " lists it), or the scenario --scenario names. A JSON file with 'detail-type' is an "
                        + "EventBridge event; an aws-auth ConfigMap is attached to its cluster; a file whose one line "
                        + "starts with 'eks-access ' is run by the eks-access CLI as the last --sender before it; any "
                        + "other file is the body of a grant-queue message, sent by the last --sender before it."})
public final class SandboxCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int CANNOT_START = 1;
    static final int BAD_INPUT = 2;

    /** An IAM role or user ARN, as SQS senders are named. */
    private static final Pattern IAM_PRINCIPAL =
            Pattern.compile("arn:aws(-cn|-us-gov)?:iam::\\d{12}:(role|user)(/[\\w+=,.@-]+)*/[\\w+=,.@-]{1,64}");

    /** The files to play, each with the sender in force where it was named. */
    private final List<Play> plays = new ArrayList<>();
    /** The last {@code --sender}, or the built-in team sender before any. */
    private String currentSender = Sandbox.TEAM_SENDER;
    /** A {@code --sender} that no file followed yet. */
    private String unusedSender;
    private String badSender;

    /** How many FILEs (positional) were seen so far. */
    private int positional;

    /**
     * A file to play and who sends it (for a grant-queue message, or as whom an eks-access command runs).
     *
     * @param existing given with {@code --existing}: the CreateCluster event of a cluster that existed before
     */
    record Play(Path file, String sender, boolean existing) {

        Play(Path file, String sender) {
            this(file, sender, false);
        }
    }

    @Parameters(paramLabel = "FILE", description = "Events, messages, aws-auth ConfigMaps and eks-access command "
            + "files to play, in order.")
    void files(List<Path> files) {
        // Called with every file so far each time one is parsed: the new ones are sent by the current sender.
        for (Path file : files.subList(positional, files.size())) {
            plays.add(new Play(file, currentSender));
            unusedSender = null;
        }
        positional = files.size();
    }

    @Option(names = "--existing", paramLabel = "FILE",
            description = "A CloudTrail CreateCluster event of a cluster that existed before eks-access: the cluster is "
                    + "made in EKS as it is now (ACTIVE, created 3 days ago) and the event is put in CloudTrail's "
                    + "event history only, where eks-access adopt finds its creator. Played in order among the FILEs.")
    void existing(List<Path> files) {
        if (!files.isEmpty()) {
            plays.add(new Play(files.getLast(), currentSender, true));
        }
    }

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "Play the scenario in " + DemoScenario.SCENARIOS + "/NAME (as its " + DemoScenario.MANIFEST
                    + " lists it) instead of FILEs: demo (the default) or legacy (adopt a CONFIG_MAP cluster older than "
                    + "eks-access, then migrate its aws-auth).")
    private String scenario;

    @Option(names = "--sender", paramLabel = "ARN",
            description = "IAM role or user that sends the FILEs after it, until the next --sender. Before any, "
                    + Sandbox.TEAM_SENDER + " (the built-in document's team sender).")
    void senders(List<String> senders) {
        if (senders.isEmpty()) {
            return;
        }
        String sender = senders.getLast();
        if (badSender == null && !IAM_PRINCIPAL.matcher(sender).matches()) {
            badSender = sender;
        }
        currentSender = sender;
        unusedSender = sender;
    }

    @Option(names = "--eligibility", paramLabel = "FILE",
            description = "Eligibility document the grant processor decides with. Default: "
                    + DemoScenario.BUILT_IN_ELIGIBILITY + ".")
    private Path eligibility;

    @Option(names = "--admin", paramLabel = "ARN[=POLICY]",
            description = "Principal bootstrapped on every new cluster, with POLICY (default "
                    + "AmazonEKSClusterAdminPolicy) at cluster scope. Repeatable. The demo uses "
                    + DemoScenario.ADMIN + " when none is given.")
    private List<String> admins = new ArrayList<>();

    @Option(names = "--allow-auth-mode-switch",
            description = "Move CONFIG_MAP clusters to API_AND_CONFIG_MAP so that access entries work.")
    private boolean allowAuthModeSwitch;

    @Option(names = "--creator-admin",
            description = "Give the creator cluster admin when the cluster was created without it.")
    private boolean creatorAdmin;

    @Option(names = "--json", description = "Print the report as one JSON document.")
    private boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show the functions' log lines on standard error.")
    private boolean verbose;

    @Option(names = "--cluster-delay", paramLabel = "DURATION", defaultValue = "PT2S",
            description = "How long a new cluster is CREATING, and a mode switch UPDATING (EKS: minutes). "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration clusterDelay;

    @Option(names = "--retry-delay", paramLabel = "DURATION", defaultValue = "PT1S",
            description = "Delay before every retry of the grant processor (AWS: 30 s growing to 15 min). "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration retryDelay;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT2M",
            description = "Longest wait for one file's effects to settle. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private PrintStream out = System.out;
    private PrintStream err = System.err;
    /** Told of each sandbox once it has started, so that tests can judge the emulated EKS it ran against. */
    private Consumer<Sandbox> started = sandbox -> { };

    /** Runs the sandbox as a process: the report alone goes to standard output, everything else to standard error. */
    public static void main(String[] args) {
        PrintStream report = System.out;
        // The emulators and the functions print to System.out; keep standard output for the report (--json).
        System.setOut(System.err);
        System.exit(run(args, report, System.err));
    }

    /** Runs the sandbox with the given streams; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, sandbox -> { });
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, telling {@code started} of the sandbox it starts. */
    static int run(String[] args, PrintStream out, PrintStream err, Consumer<Sandbox> started) {
        SandboxCommand command = new SandboxCommand();
        command.out = out;
        command.err = err;
        command.started = started;
        return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Override
    public Integer call() {
        for (Map.Entry<String, Duration> delay : List.of(Map.entry("--cluster-delay", clusterDelay),
                Map.entry("--retry-delay", retryDelay), Map.entry("--timeout", timeout))) {
            if (delay.getValue().isNegative()) {
                err.println("sandbox: " + delay.getKey() + " must not be negative, was " + delay.getValue());
                return BAD_INPUT;
            }
        }
        List<AdminGrant> grants = new ArrayList<>();
        for (String admin : admins) {
            try {
                grants.add(AdminPrincipals.parse(admin));
            } catch (ConfigException e) {
                err.println("sandbox: --admin " + admin + ": " + e.getMessage());
                return BAD_INPUT;
            }
        }
        if (badSender != null) {
            err.println("sandbox: --sender " + badSender + ": not an IAM role or user ARN "
                    + "(arn:aws:iam::ACCOUNT:role/PATH/NAME or ...:user/PATH/NAME)");
            return BAD_INPUT;
        }
        if (unusedSender != null) {
            err.println("sandbox: --sender " + unusedSender + " is followed by no file; it names the sender of the "
                    + "files after it");
            return BAD_INPUT;
        }
        if (scenario != null && !plays.isEmpty()) {
            err.println("sandbox: --scenario " + scenario + " plays its own files; give either FILEs or --scenario");
            return BAD_INPUT;
        }
        List<Play> toPlay = plays;
        List<InputFile> inputs = new ArrayList<>();
        Optional<DemoScenario.Eligibility> document;
        boolean switchModes = allowAuthModeSwitch;
        try {
            if (toPlay.isEmpty()) {
                DemoScenario.Scenario played = DemoScenario.load(scenario == null ? DemoScenario.DEFAULT : scenario);
                toPlay = played.plays();
                switchModes |= played.allowAuthModeSwitch();
                if (grants.isEmpty()) {
                    grants.add(AdminPrincipals.parse(DemoScenario.ADMIN));
                }
            }
            for (Play play : toPlay) {
                InputFile input = InputFile.read(play.file());
                inputs.add(play.existing() ? InputFile.existing(input) : input);
            }
            document = DemoScenario.eligibility(Optional.ofNullable(eligibility), err);
        } catch (UnplayableFileException e) {
            err.println("sandbox: cannot play " + e.getMessage());
            return BAD_INPUT;
        }
        if (document.isEmpty()) {
            return BAD_INPUT;
        }
        Consumer<String> progress = line -> err.println("[sandbox] " + line);
        Consumer<String> functionLog = verbose ? line -> err.println("[function] " + line) : line -> { };
        Sandbox.Options options = new Sandbox.Options(grants, creatorAdmin, switchModes, clusterDelay,
                retryDelay, timeout, document.get().document(), document.get().source(),
                toPlay.stream().map(Play::sender).distinct().toList(), functionLog, progress);
        Report report;
        try (Sandbox sandbox = Sandbox.start(options)) {
            started.accept(sandbox);
            for (int i = 0; i < inputs.size(); i++) {
                sandbox.play(inputs.get(i), toPlay.get(i).sender());
            }
            report = sandbox.report();
        } catch (EmulatorUnavailableException e) {
            err.println("sandbox: cannot start the emulators: " + e.getMessage());
            return CANNOT_START;
        } catch (RuntimeException e) {
            // The functions report what they do in the report; this is the sandbox itself failing.
            err.println("sandbox: stopped by " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (verbose ? "" : " (run with --verbose to see the functions' log)"));
            return CANNOT_START;
        }
        out.print(json ? ReportRenderer.json(report) + "\n" : ReportRenderer.table(report));
        out.flush();
        return OK;
    }
}
