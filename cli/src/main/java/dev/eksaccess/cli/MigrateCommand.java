package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthParser;
import dev.eksaccess.awsauth.AwsAuthUnavailableException;
import dev.eksaccess.awsauth.BrokenAwsAuthException;
import dev.eksaccess.awsauth.MigrationPlan;
import dev.eksaccess.awsauth.MigrationPlanner;
import dev.eksaccess.awsauth.PlannedEntry;
import dev.eksaccess.awsauth.PlannedMapping;
import dev.eksaccess.awsauth.PlannedMapping.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import software.amazon.awssdk.regions.Region;

/** {@code eks-access migrate --plan}: per aws-auth mapping, the access entry it becomes, or why it cannot. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Plan the move of a cluster's aws-auth ConfigMap to access entries: reads kube-system/aws-auth "
                + "through the cluster's Kubernetes API (endpoint and CA from DescribeCluster, a token as 'aws eks "
                + "get-token' makes it), looks role paths up in IAM, and prints per mapping the access entry it "
                + "becomes, or why it cannot migrate. Changes nothing.",
                "The credentials must be allowed to read aws-auth (on a CONFIG_MAP cluster: mapped in it, or the "
                        + "creator) and, for a private-only endpoint, the command must run inside the cluster's "
                        + "VPC."},
        footer = {"", "Examples:", "  eks-access migrate --cluster payments-prod --plan",
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

    @Option(names = "--plan", description = "Print the plan (the only mode so far: --apply is not available yet).")
    boolean plan;

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
        if (!plan) {
            throw new ParameterException(spec.commandLine(), "say --plan: migrate only plans so far (--apply, which "
                    + "sends the changes through the grant queue, is not available yet)");
        }
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
