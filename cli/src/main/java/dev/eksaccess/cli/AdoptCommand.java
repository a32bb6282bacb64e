package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eksaccess.contract.AccountId;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * {@code eks-access adopt}: invokes the deployment's adoption function ({@code AdoptionHandler}, docs/adopt.md) and
 * prints its report. The function, not the operator's credentials, runs the adoption: the grant processor trusts
 * bootstraps only from the cluster-creation and adoption roles, and the function has the deployment's settings
 * (registry, grant queue, member accounts, regions, reader role); {@code --plan} runs the same code in the same
 * function, so the plan is what adopting would do.
 */
@Command(name = "adopt", mixinStandardHelpOptions = true,
        description = {"Adopt the EKS clusters that existed before eks-access was deployed: register each one the "
                + "registry lacks (hub and member accounts, every adoption region), find its creator in CloudTrail, "
                + "and send it the same admin bootstrap a new cluster gets. Runs in the deployment's adoption function "
                + "(Lambda Invoke; the stack output AdoptionFunctionName), whose role the grant processor trusts for "
                + "bootstraps. --plan says what it would do and writes and sends nothing. Running it again is safe: "
                + "registered clusters are left alone.",
                "The credentials need lambda:InvokeFunction on the adoption function only."},
        footer = {"", "Examples:", "  eks-access adopt --plan --function-name $EKS_ACCESS_ADOPTION_FUNCTION",
                "  eks-access adopt --json", "", ExitCodes.ADOPT_SUMMARY})
final class AdoptCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Option(names = "--plan", description = "Print what adoption would do; register and send nothing.")
    boolean plan;

    @Option(names = "--json", description = "Print the function's report (JSON) instead of a table.")
    boolean json;

    @Option(names = "--account", paramLabel = "ID", description = "A member account to look in, besides the hub, "
            + "instead of the deployment's memberAccounts (repeatable). An organizationMembers deployment lists no "
            + "accounts: name them here. Each must be a member account of the deployment.")
    List<String> accounts = new ArrayList<>();

    @Option(names = "--function-name", paramLabel = "NAME|ARN", description = "The adoption function (stack output "
            + "AdoptionFunctionName). Default: $" + CliContext.ADOPTION_FUNCTION_VARIABLE + ".")
    String functionName;

    @Option(names = "--region", paramLabel = "REGION", description = "The function's region. Default: the one in its "
            + "ARN, else the SDK's region chain (AWS_REGION, profile).")
    String region;

    @Option(names = "--lambda-endpoint-url", paramLabel = "URL", description = "Lambda endpoint override (emulators).")
    URI lambdaEndpoint;

    AdoptCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (functionName == null || functionName.isBlank()) {
            throw new ParameterException(spec.commandLine(), "adopt needs the adoption function: give --function-name "
                    + "(the stack output AdoptionFunctionName) or set " + CliContext.ADOPTION_FUNCTION_VARIABLE);
        }
        String function = functionName.trim();
        for (String account : accounts) {
            if (!AccountId.isValid(account)) {
                throw new ParameterException(spec.commandLine(), "--account " + account
                        + " is not a 12-digit AWS account id");
            }
        }
        AwsClients.checkEndpoint(spec, lambdaEndpoint);
        Region functionRegion = Optional.ofNullable(region).map(r -> Region.of(r.trim()))
                .or(() -> regionOfArn(function)).or(AwsClients::chainRegion)
                .orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "no region for the adoption function: give --region or set AWS_REGION"));
        PrintWriter err = spec.commandLine().getErr();
        InvokeResponse response;
        try (LambdaClient lambda = context.lambda().connect(functionRegion, Optional.ofNullable(lambdaEndpoint))) {
            response = lambda.invoke(r -> r.functionName(function)
                    .payload(SdkBytes.fromString(payload(plan, accounts), StandardCharsets.UTF_8)));
        } catch (SdkException e) {
            err.println("eks-access: could not invoke the adoption function " + function + ": " + e.getMessage());
            err.flush();
            return ExitCodes.AWS_FAILED;
        }
        String payload = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            err.println("eks-access: the adoption function " + function + " failed (" + response.functionError()
                    + "): " + payload);
            err.println("Nothing is lost: what it registered stays registered, and running adopt again finishes it.");
            err.flush();
            return ExitCodes.AWS_FAILED;
        }
        JsonNode report;
        try {
            report = JsonOutput.read(payload);
        } catch (RuntimeException e) {
            err.println("eks-access: the adoption function " + function + " answered something that is not its "
                    + "report: " + payload);
            err.flush();
            return ExitCodes.AWS_FAILED;
        }
        if (json) {
            JsonOutput.print(spec.commandLine().getOut(), report);
        } else {
            printTable(report);
        }
        if (report.hasNonNull("refused")) {
            err.println("eks-access: the adoption function refused the request, nothing was looked at: "
                    + report.path("refused").asText());
            err.flush();
            return ExitCodes.INVALID_REQUEST;
        }
        if (!report.path("complete").asBoolean(false)) {
            err.println("eks-access: the run was incomplete (an account or region was not listed, or a cluster "
                    + "failed): see the report, fix the cause and run adopt again");
            err.flush();
            return ExitCodes.AWS_FAILED;
        }
        return ExitCodes.OK;
    }

    /** The invocation's event: {@code {"plan":true,"accounts":["111122223333"]}}, each part only when asked for. */
    static String payload(boolean plan, List<String> accounts) {
        List<String> fields = new ArrayList<>();
        if (plan) {
            fields.add("\"plan\":true");
        }
        if (!accounts.isEmpty()) {
            fields.add("\"accounts\":[" + String.join(",", accounts.stream().map(a -> "\"" + a + "\"").toList()) + "]");
        }
        return "{" + String.join(",", fields) + "}";
    }

    /** The region of a function ARN ({@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}). */
    static Optional<Region> regionOfArn(String function) {
        String[] parts = function.split(":");
        return parts.length >= 7 && "arn".equals(parts[0]) && "lambda".equals(parts[2]) && !parts[3].isEmpty()
                ? Optional.of(Region.of(parts[3])) : Optional.empty();
    }

    private void printTable(JsonNode report) {
        PrintWriter out = spec.commandLine().getOut();
        boolean isPlan = report.path("plan").asBoolean();
        out.println((isPlan ? "Adoption plan (nothing registered or sent)" : "Adoption") + ": "
                + report.path("listings").size() + " account/region(s), " + report.path("clusters").size()
                + " cluster(s)");
        if (report.hasNonNull("refused")) {
            out.println("  REFUSED: " + report.path("refused").asText());
        }
        for (JsonNode note : report.path("notes")) {
            out.println("  NOTE: " + note.asText());
        }
        for (JsonNode listing : report.path("listings")) {
            out.println("  " + listing.path("accountId").asText() + " " + listing.path("region").asText() + ": "
                    + (listing.hasNonNull("error") ? "NOT LISTED: " + listing.path("error").asText()
                    : listing.path("clusters").asInt() + " cluster(s)"));
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ACTION", "CLUSTER", "CREATOR", "BOOTSTRAP", "DETAIL"});
        for (JsonNode cluster : report.path("clusters")) {
            rows.add(new String[] {
                    cluster.path("action").asText(),
                    cluster.path("clusterArn").asText(),
                    cluster.hasNonNull("creatorIdentityType") && "Unknown".equals(
                            cluster.path("creatorIdentityType").asText()) ? "(unknown)"
                            : cluster.path("creatorPrincipalArn").asText("-"),
                    cluster.path("bootstrapStatus").asText("-"),
                    cluster.path("detail").asText() + ("BLOCKED".equals(cluster.path("bootstrapStatus").asText())
                            ? ": " + cluster.path("bootstrapReason").asText() : "")});
        }
        out.println();
        InventoryView.aligned(out, rows);
        out.flush();
    }
}
