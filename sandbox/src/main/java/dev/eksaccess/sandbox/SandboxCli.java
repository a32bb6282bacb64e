package dev.eksaccess.sandbox;

import dev.eksaccess.cli.CallerIdentity;
import dev.eksaccess.cli.CliContext;
import dev.eksaccess.cli.ClusterConnector;
import dev.eksaccess.cli.EksAccessCli;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.IamEmulator;
import dev.eksaccess.testsupport.SenderIdentities;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs the real {@code eks-access} CLI ({@link EksAccessCli}) in the sandbox, as an operator on their machine would,
 * with the sandbox's emulators behind every client the CLI builds:
 * <ul>
 *   <li>SQS with the sender's own credentials through {@link SenderIdentities}' proxy, so the grant processor sees the
 *       SenderId SQS would give the operator's messages ({@code migrate --apply}, {@code grant}, ...);</li>
 *   <li>EKS, IAM and each cluster's Kubernetes API (aws-auth, read with a token as {@code aws eks get-token} makes it,
 *       naming the sender) from the EKS and IAM emulators;</li>
 *   <li>Lambda from a {@code LambdaInvokeEmulator} serving the adoption function ({@code adopt});</li>
 *   <li>the ledger and inventory tables on the sandbox's DynamoDB ({@code status}, {@code pending},
 *       {@code inventory}).</li>
 * </ul>
 * Endpoint flags in a command are ignored: the sandbox's are used. The environment names the sandbox's grant queue,
 * tables and adoption function as the stack outputs would.
 */
final class SandboxCli {

    /** Everything the CLI reaches, and the environment variables that name it. */
    record Wiring(AwsBackend aws, SenderIdentities senders, EksEmulator eks, IamEmulator iam, URI lambdaEndpoint,
                  Map<String, String> environment) {
    }

    private final Wiring wiring;

    SandboxCli(Wiring wiring) {
        this.wiring = wiring;
    }

    /** What one command did: its exit code and what it printed. */
    record Result(int exitCode, String output, String errors) {
    }

    /**
     * Runs {@code eks-access ARGS} as {@code senderArn}, whose SQS client is {@code sender}'s.
     *
     * @param clusters the clusters whose Kubernetes API lets the sender read aws-auth (RBAC is not emulated)
     */
    Result run(List<String> args, String senderArn, SenderIdentities.Sender sender,
               Iterable<String> clusters) {
        // The operator's keys for EKS, IAM and the token: the IAM emulator's for the sandbox's account, which each
        // cluster's API server takes for the sender's (STS would say who signed the token).
        AwsCredentialsProvider keys = wiring.iam().credentials(Sandbox.ACCOUNT_ID);
        AwsCredentials resolved = keys.resolveCredentials();
        for (String cluster : clusters) {
            var api = wiring.eks().kubernetesApi(cluster);
            api.registerCaller(resolved.accessKeyId(), resolved.secretAccessKey(), senderArn);
            api.allowRead(senderArn);
        }
        CallerIdentity identity = region -> callerArn(senderArn);
        Clock clock = Clock.systemUTC();
        ClusterConnector clustersConnector = (region, eksEndpoint, iamEndpoint) -> ClusterConnector
                .sdk(keys, clock, identity).open(region, Optional.of(wiring.eks().endpoint()),
                        Optional.of(wiring.iam().endpoint()));
        CliContext context = new CliContext(clock, wiring.environment(),
                (region, endpoint) -> client(SqsClient.builder(), region, wiring.senders().sqsEndpoint(),
                        sender.credentials()),
                (region, endpoint) -> client(DynamoDbClient.builder(), region, wiring.aws().dynamoDbEndpoint(),
                        wiring.aws().credentials()),
                identity, clustersConnector,
                (region, endpoint) -> client(LambdaClient.builder(), region, wiring.lambdaEndpoint(), keys));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = EksAccessCli.commandLine(context);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }

    /**
     * What STS GetCallerIdentity answers for {@code senderArn}'s credentials: for a role, its session (the sandbox's
     * people use session {@value Sandbox#SESSION}); for a user, the user.
     */
    static String callerArn(String senderArn) {
        if (!senderArn.contains(":role/")) {
            return senderArn;
        }
        String[] parts = senderArn.split(":", 6);
        String name = parts[5].substring(parts[5].lastIndexOf('/') + 1);
        return "arn:" + parts[1] + ":sts::" + parts[4] + ":assumed-role/" + name + "/" + Sandbox.SESSION;
    }

    private static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C client(
            B builder, Region region, URI endpoint, AwsCredentialsProvider credentials) {
        return builder.httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint).region(region)
                .credentialsProvider(credentials).build();
    }
}
