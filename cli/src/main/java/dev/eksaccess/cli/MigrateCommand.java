package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.awsauth.AccessComparison;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthParser;
import dev.eksaccess.awsauth.AwsAuthUnavailableException;
import dev.eksaccess.awsauth.BrokenAwsAuthException;
import dev.eksaccess.awsauth.MigrationPlan;
import dev.eksaccess.awsauth.MigrationPlanner;
import dev.eksaccess.awsauth.PlannedEntry;
import dev.eksaccess.awsauth.PlannedMapping;
import dev.eksaccess.awsauth.PlannedMapping.Verdict;
import dev.eksaccess.eks.EksAccessException;
import dev.eksaccess.migration.MigrateRequests;
import dev.eksaccess.request.AccessRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code eks-access migrate}: {@code --plan} per aws-auth mapping, the access entry it becomes, or why it cannot;
 * {@code --apply} sends the plan's migrate requests to the grant queue; {@code --compare} says what aws-auth grants
 * that access entries do not.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Move a cluster's aws-auth ConfigMap to access entries. Reads kube-system/aws-auth "
                + "through the cluster's Kubernetes API (endpoint and CA from DescribeCluster, a token as 'aws eks "
                + "get-token' makes it) and looks role paths up in IAM. --plan prints per mapping the access entry it "
                + "becomes, or why it cannot migrate, and changes nothing. --apply sends one migrate request per "
                + "migrating mapping to the grant queue (the grant processor applies it under the migration rules of "
                + "the eligibility document; sending again is idempotent) and prints the checklist to follow before "
                + "moving the cluster to API by hand. --compare reads the cluster's access entries and prints what "
                + "aws-auth grants that they do not; it changes nothing. eks-access never edits aws-auth and never "
                + "moves a cluster to API.",
                "The credentials must be allowed to read aws-auth (on a CONFIG_MAP cluster: mapped in it, or the "
                        + "creator) and, for a private-only endpoint, the command must run inside the cluster's "
                        + "VPC."},
        footer = {"", "Examples:", "  eks-access migrate --cluster payments-prod --plan",
                "  eks-access migrate --cluster payments-prod --apply --queue-url $EKS_ACCESS_QUEUE_URL --wait PT2M",
                "  eks-access migrate --cluster payments-prod --compare --json",
                "  kubectl -n kube-system get configmap aws-auth -o yaml > aws-auth.yaml",
                "  eks-access migrate --cluster payments-prod --plan --aws-auth-file aws-auth.yaml --json",
                "", ExitCodes.MIGRATE_SUMMARY})
final class MigrateCommand implements Callable<Integer> {

    /** EKS cluster names. */
    private static final Pattern CLUSTER_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster's name.")
    String cluster;

    @Option(names = "--plan", description = "Print the plan; change nothing.")
    boolean plan;

    @Option(names = "--apply", description = "Send the plan's migrate requests to the grant queue, then print the "
            + "checklist before moving the cluster to API (and, with --wait, the comparison once processed).")
    boolean apply;

    @Option(names = "--compare", description = "Print what aws-auth grants that the cluster's access entries do not; "
            + "change nothing.")
    boolean compare;

    @Option(names = "--queue-url", paramLabel = "URL",
            description = "--apply: the grant queue. Default: $" + CliContext.QUEUE_URL_VARIABLE + ".")
    String queueUrl;

    @Option(names = "--sqs-endpoint-url", paramLabel = "URL", description = "SQS endpoint override (emulators).")
    URI sqsEndpoint;

    @Option(names = "--wait", paramLabel = "ISO-8601",
            description = "--apply: compare every 5 seconds, up to this long (PT2M), until every migrating mapping has "
                    + "its entry; then print the comparison. Default: do not wait.")
    Duration wait;

    @Option(names = "--aws-auth-file", paramLabel = "FILE",
            description = "Plan from this copy of the ConfigMap (kubectl get -o yaml or -o json) instead of reading "
                    + "the cluster; IAM is still asked for role paths.")
    Path awsAuthFile;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The cluster's region. Default: the SDK's region chain (AWS_REGION, profile).")
    String region;

    @Option(names = "--eks-endpoint-url", paramLabel = "URL", description = "EKS endpoint override (emulators).")
    URI eksEndpoint;

    @Option(names = "--iam-endpoint-url", paramLabel = "URL", description = "IAM endpoint override (emulators).")
    URI iamEndpoint;

    MigrateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if ((plan ? 1 : 0) + (apply ? 1 : 0) + (compare ? 1 : 0) != 1) {
            throw new ParameterException(spec.commandLine(), "say one of --plan, --apply and --compare");
        }
        Optional<QueueUrl> queue = apply ? Optional.of(queue()) : Optional.empty();
        AwsClients.checkEndpoint(spec, sqsEndpoint);
        if (!CLUSTER_NAME.matcher(cluster).matches()) {
            throw new ParameterException(spec.commandLine(), "--cluster: '" + cluster + "' is not an EKS cluster "
                    + "name (1-100 letters, digits, '-' and '_', starting with a letter or digit)");
        }
        AwsClients.checkEndpoint(spec, eksEndpoint);
        AwsClients.checkEndpoint(spec, iamEndpoint);
        Region clusterRegion = Optional.ofNullable(region).map(r -> Region.of(r.trim()))
                .or(AwsClients::chainRegion)
                .orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "no region for the cluster: give --region or set AWS_REGION"));
        PrintWriter err = spec.commandLine().getErr();
        String fileText = awsAuthFile == null ? null : readFile(awsAuthFile);
        MigrationPlan migration;
        try (ClusterConnector.Sources sources = context.clusters().open(clusterRegion,
                Optional.ofNullable(eksEndpoint), Optional.ofNullable(iamEndpoint))) {
            Optional<AwsAuth> awsAuth = fileText != null ? Optional.of(AwsAuthParser.parseConfigMap(fileText))
                    : sources.awsAuth().read(cluster);
            if (awsAuth.isEmpty()) {
                err.println("eks-access: cluster " + cluster + " has no kube-system/aws-auth ConfigMap: nothing to "
                        + "migrate");
                err.flush();
                migration = new MigrationPlan(Optional.empty(), List.of());
            } else {
                migration = new MigrationPlanner(sources.roles()).plan(awsAuth.get());
            }
            if (apply) {
                return apply(migration, sources.access(cluster), queue.get(), clusterRegion);
            }
            if (compare) {
                printComparison(AccessComparison.compare(migration, sources.access(cluster).entries()));
                return ExitCodes.OK;
            }
        } catch (EksAccessException e) {
            err.println("eks-access: EKS: " + e.getMessage());
            err.flush();
            return ExitCodes.AWS_FAILED;
        } catch (BrokenAwsAuthException e) {
            err.println("eks-access: " + e.getMessage());
            err.println("Nothing was planned. A broken aws-auth can already lock people out (aws-iam-authenticator "
                    + "drops the whole list for one malformed entry): fix it first.");
            err.flush();
            return ExitCodes.BROKEN_AWS_AUTH;
        } catch (AwsAuthUnavailableException e) {
            err.println("eks-access: could not read aws-auth of cluster " + cluster + ": " + e.getMessage());
            err.flush();
            return ExitCodes.AWS_FAILED;
        }
        if (json) {
            JsonOutput.print(spec.commandLine().getOut(), json(migration));
        } else {
            printTable(migration);
        }
        return ExitCodes.OK;
    }

    private QueueUrl queue() {
        String url = queueUrl != null ? queueUrl : context.environment().get(CliContext.QUEUE_URL_VARIABLE);
        if (url == null) {
            throw new ParameterException(spec.commandLine(), "--apply needs the grant queue: give --queue-url or set "
                    + CliContext.QUEUE_URL_VARIABLE);
        }
        try {
            return QueueUrl.parse(url.trim());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--queue-url: " + e.getMessage());
        }
    }

    /** Sends the migrate requests, prints them and the checklist, and with --wait the comparison once processed. */
    private int apply(MigrationPlan migration, ClusterAccess access, QueueUrl queue, Region clusterRegion) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant now = context.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        List<AccessRequest> requests = MigrateRequests.of(migration, access.cluster(), now,
                "eks-access migrate --apply");
        Region queueRegion = queue.hostRegion().orElse(clusterRegion);
        int failed = 0;
        out.println("Sending " + StatusCommand.count(requests.size(), "migrate request") + " for cluster "
                + access.cluster().arn() + " to " + queue.url() + ":");
        try (SqsClient sqs = context.sqs().connect(queueRegion, Optional.ofNullable(sqsEndpoint))) {
            for (AccessRequest request : requests) {
                String what = request.requestId() + "  " + request.migration().entryType() + "  "
                        + request.principalArn() + (request.policyName() == null ? "" : "  " + request.policyName()
                        + " (cluster)") + "  from " + request.reason().substring("migration of aws-auth ".length());
                try {
                    String id = sqs.sendMessage(r -> r.queueUrl(queue.url()).messageBody(request.toJson()))
                            .messageId();
                    out.println("  sent " + what + "  (message " + id + ")");
                } catch (SdkException e) {
                    failed++;
                    err.println("eks-access: could not send " + request.requestId() + ": " + e.getMessage());
                }
            }
        }
        long skipped = migration.mappings().size() - requests.size();
        if (skipped > 0) {
            out.println("Not sent: " + StatusCommand.count((int) skipped, "mapping") + " that do not migrate (see "
                    + "--plan); aws-auth alone keeps granting them.");
        }
        out.println("Sending again is safe: the same mapping has the same request id, recorded as a duplicate.");
        out.println();
        out.println(CHECKLIST.replace("CLUSTER", cluster));
        if (wait != null && failed == 0) {
            AccessComparison.Result result = waitForEntries(migration, access);
            out.println();
            printComparison(result);
        } else {
            out.println("Once the grant processor has applied them: eks-access migrate --cluster " + cluster
                    + " --compare");
        }
        out.flush();
        err.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.AWS_FAILED;
    }

    private AccessComparison.Result waitForEntries(MigrationPlan migration, ClusterAccess access) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            AccessComparison.Result result = AccessComparison.compare(migration, access.entries());
            if (result.migratableCovered() || System.nanoTime() - deadline >= 0) {
                return result;
            }
            try {
                Thread.sleep(Math.min(WAIT_STEP.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return result;
            }
        }
    }

    private static final Duration WAIT_STEP = Duration.ofSeconds(5);

    /** What an operator does before moving a cluster to API by hand (docs/migration.md has it too). */
    static final String CHECKLIST = String.join("\n",
            "Before moving CLUSTER to authentication mode API (by hand; eks-access never does, and it cannot be undone):",
            "  1. eks-access migrate --cluster CLUSTER --compare says every mapping is EQUIVALENT. A mapping that does",
            "     not migrate (mapAccounts, Fargate and Windows nodes, what aws-auth matches nobody with) needs an",
            "     entry made by hand, or a decision that nobody needs it.",
            "  2. RBAC bindings that name users still match: mappings without a username now get EKS's default.",
            "  3. At least two principals hold AmazonEKSClusterAdminPolicy at cluster scope as access entries, and the",
            "     break-glass rule of the eligibility document covers this cluster.",
            "  4. Each migrated principal was tried (kubectl auth can-i --list with its credentials), nodes are Ready.",
            "  5. Then: aws eks update-cluster-config --name CLUSTER --access-config authenticationMode=API",
            "     aws-auth is ignored from then on; delete it only afterwards.");

    private void printComparison(AccessComparison.Result result) {
        if (json) {
            ObjectNode document = JsonOutput.JSON.createObjectNode().put("cluster", cluster)
                    .put("migratableCovered", result.migratableCovered()).put("complete", result.complete());
            ObjectNode counts = document.putObject("counts");
            for (AccessComparison.Status status : AccessComparison.Status.values()) {
                counts.put(status.name(), result.count(status));
            }
            ArrayNode rows = document.putArray("mappings");
            for (AccessComparison.Row row : result.rows()) {
                ObjectNode item = rows.addObject().put("source", row.mapping().source())
                        .put("subject", row.mapping().subject()).put("status", row.status().name());
                row.gap().ifPresentOrElse(gap -> item.put("gap", gap), () -> item.putNull("gap"));
            }
            JsonOutput.print(spec.commandLine().getOut(), document);
            return;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("aws-auth of cluster " + cluster + " against its access entries: "
                + result.count(AccessComparison.Status.EQUIVALENT) + " equivalent, "
                + result.count(AccessComparison.Status.MISSING) + " missing, "
                + result.count(AccessComparison.Status.NOT_MIGRATABLE) + " not migratable");
        for (AccessComparison.Row row : result.rows()) {
            out.println("  " + row.mapping().source() + "  " + row.status() + "  " + row.mapping().subject()
                    + row.gap().map(gap -> "  " + gap).orElse(""));
        }
        out.println(result.complete() ? "Every mapping has an equivalent access entry."
                : result.migratableCovered() ? "Every migrating mapping has its entry; the ones not migratable are "
                + "granted by aws-auth alone: keep API_AND_CONFIG_MAP."
                : "Some mappings have no equivalent entry yet: aws-auth alone grants them.");
        out.flush();
    }

    private String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--aws-auth-file: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private ObjectNode json(MigrationPlan migration) {
        ObjectNode document = JsonOutput.JSON.createObjectNode().put("cluster", cluster);
        migration.resourceVersion().ifPresentOrElse(v -> document.put("resourceVersion", v),
                () -> document.putNull("resourceVersion"));
        document.put("complete", migration.complete());
        ObjectNode counts = document.putObject("counts");
        for (Verdict verdict : Verdict.values()) {
            counts.put(verdict.name(), migration.count(verdict));
        }
        ArrayNode mappings = document.putArray("mappings");
        for (PlannedMapping mapping : migration.mappings()) {
            ObjectNode item = mappings.addObject().put("source", mapping.source()).put("subject", mapping.subject());
            mapping.username().ifPresentOrElse(u -> item.put("username", u), () -> item.putNull("username"));
            mapping.groups().forEach(item.putArray("groups")::add);
            item.put("verdict", mapping.verdict().name());
            mapping.entry().ifPresentOrElse(entry -> {
                ObjectNode e = item.putObject("entry").put("principalArn", entry.principalArn())
                        .put("type", entry.type().name());
                entry.username().ifPresentOrElse(u -> e.put("username", u), () -> e.putNull("username"));
                entry.kubernetesGroups().forEach(e.putArray("kubernetesGroups")::add);
                entry.clusterPolicies().forEach(e.putArray("clusterScopePolicies")::add);
            }, () -> item.putNull("entry"));
            item.put("explanation", mapping.explanation());
        }
        return document;
    }

    private void printTable(MigrationPlan migration) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("aws-auth of cluster " + cluster + migration.resourceVersion().map(v -> " (resourceVersion " + v
                + ")").orElse("") + ": " + StatusCommand.count(migration.mappings().size(), "mapping") + ", "
                + migration.count(Verdict.MIGRATE) + " migrate, " + migration.count(Verdict.NOT_MIGRATABLE)
                + " not migratable, " + migration.count(Verdict.UNRESOLVED) + " unresolved");
        if (migration.mappings().isEmpty()) {
            out.flush();
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "AWS-AUTH", "VERDICT", "TYPE", "PRINCIPAL", "USERNAME", "GROUPS", "POLICY"});
        int n = 1;
        for (PlannedMapping mapping : migration.mappings()) {
            Optional<PlannedEntry> entry = mapping.entry();
            rows.add(new String[] {
                    Integer.toString(n++),
                    mapping.source(),
                    mapping.verdict().name(),
                    entry.map(e -> e.type().name()).orElse("-"),
                    entry.map(PlannedEntry::principalArn).orElse(mapping.subject()),
                    entry.map(e -> e.username().orElse(e.type() == PlannedEntry.Type.STANDARD ? "(EKS default)"
                            : "(set by EKS)")).orElse("-"),
                    entry.map(e -> e.kubernetesGroups().isEmpty() ? "-" : String.join(",", e.kubernetesGroups()))
                            .orElse("-"),
                    entry.map(e -> e.clusterPolicies().isEmpty() ? "-"
                            : String.join(",", e.clusterPolicies()) + " (cluster)").orElse("-")});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        out.println();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(c == row.length - 1 ? row[c] : String.format("%-" + widths[c] + "s  ", row[c]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
        n = 1;
        for (PlannedMapping mapping : migration.mappings()) {
            out.println((n++) + ". " + mapping.explanation());
        }
        out.println();
        out.println(migration.complete() ? "Every mapping has an access-entry equivalent."
                : "Not every mapping migrates: keep aws-auth (API_AND_CONFIG_MAP) until the ones above are handled "
                        + "by hand, and never switch this cluster to API before.");
        out.flush();
    }
}
