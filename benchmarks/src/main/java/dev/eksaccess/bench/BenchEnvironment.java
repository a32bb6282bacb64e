package dev.eksaccess.bench;

import dev.eksaccess.config.SqsQueueUrl;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.AwsBackends;
import dev.eksaccess.testsupport.BackendChoice;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.IamEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Emulated AWS for the benchmarks: ElasticMQ and dynalite (test-support) and the EKS emulator, with the grant queue,
 * both tables and one ACTIVE cluster in API_AND_CONFIG_MAP mode, {@value #CLUSTER}, in the queue's account and the
 * backend's region, so requests that name it by name reach it.
 */
final class BenchEnvironment implements AutoCloseable {

    static final String CLUSTER = "bench";
    static final String REGISTRY_TABLE = "bench-registry";
    static final String LEDGER_TABLE = "bench-ledger";
    static final String GRANT_QUEUE = "bench-grants";

    private final AwsBackend aws;
    private final EksEmulator eks;
    private final IamEmulator iam = IamEmulator.start();
    private final String queueUrl;
    private final String account;
    private final String teamSenderId;
    /** The configured senders' IAM unique ids, {@code ARN=ID,...}: for the bound probe, which asks IAM nothing. */
    private final String knownSenderIds;
    private final Path eligibilityFile;
    private final Path deploymentFile;

    private BenchEnvironment(AwsBackend aws, EksEmulator eks) {
        this.aws = aws;
        this.eks = eks;
        this.queueUrl = aws.sqs().createQueue(request -> request.queueName(GRANT_QUEUE)).queueUrl();
        // The functions take their home account from the queue URL's path, /ACCOUNT/NAME.
        this.account = SqsQueueUrl.parse(queueUrl).accountId();
        DynamoDbTables.create(aws.dynamoDb(), REGISTRY_TABLE, Tables.REGISTRY);
        DynamoDbTables.create(aws.dynamoDb(), LEDGER_TABLE, Tables.LEDGER);
        eks.createCluster(ClusterSpec.builder(CLUSTER).accountId(account).region(region())
                .authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP).activationDelay(Duration.ZERO).build());
        // The grant processor resolves its senders through IAM: the roles exist in the emulated IAM.
        String teamRoleId = iam.createRole(BenchAuthorization.teamRole(account));
        this.teamSenderId = teamRoleId + ":" + BenchAuthorization.SESSION;
        this.knownSenderIds = String.join(",", BenchAuthorization.teamRole(account) + "=" + teamRoleId,
                BenchAuthorization.clusterCreationRole(account) + "="
                        + iam.createRole(BenchAuthorization.clusterCreationRole(account)),
                BenchAuthorization.expirySweepRole(account) + "="
                        + iam.createRole(BenchAuthorization.expirySweepRole(account)));
        try {
            this.eligibilityFile = Files.createTempFile("bench-eligibility", ".json");
            Files.writeString(eligibilityFile, BenchAuthorization.documentJson(account));
            // As the stack ships it: the admin principal in the deployment settings file, not in a variable.
            this.deploymentFile = Files.createTempFile("bench-deployment", ".json");
            Files.writeString(deploymentFile, new DeploymentSettings(List.of(new DeploymentSettings.Admin(
                    adminPrincipal(), AccessPolicies.CLUSTER_ADMIN)), AccessPolicies.DEFAULT_ALLOWED, List.of(),
                    Optional.empty()).toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BenchEnvironment start() {
        AwsBackend aws = AwsBackends.start(BackendChoice.LOCAL);
        try {
            return new BenchEnvironment(aws, EksEmulator.start());
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    AwsBackend aws() {
        return aws;
    }

    EksEmulator eks() {
        return eks;
    }

    String queueUrl() {
        return queueUrl;
    }

    String account() {
        return account;
    }

    String region() {
        return aws.region().id();
    }

    /** A principal the configuration makes admin of every new cluster. */
    String adminPrincipal() {
        return "arn:aws:iam::" + account + ":role/platform-admin";
    }

    /**
     * The environment of a function started as Lambda starts it (no-argument constructors): region, credentials,
     * the emulators' endpoints in the SDK's own per-service variables, and the functions' settings.
     */
    Map<String, String> lambdaEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(aws.sdkEnvironment());
        environment.put("AWS_ENDPOINT_URL_EKS", eks.endpoint().toString());
        environment.put("REGISTRY_TABLE", REGISTRY_TABLE);
        environment.put("LEDGER_TABLE", LEDGER_TABLE);
        environment.put("GRANT_QUEUE_URL", queueUrl);
        environment.put("DEPLOYMENT_FILE", deploymentFile.toString());
        environment.put("PROBE_FUNCTION_ARN", "arn:aws:lambda:" + region() + ":" + account + ":function:bench");
        // Authorization as deployed: the document, the functions' roles, IAM (GetRole) answered by the emulator,
        // which answers only credentials it handed out (ElasticMQ and dynalite take any).
        environment.put("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString());
        var credentials = iam.credentials(account).resolveCredentials();
        environment.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        environment.put("ELIGIBILITY_FILE", eligibilityFile.toString());
        environment.put("CLUSTER_CREATION_ROLE_ARN", BenchAuthorization.clusterCreationRole(account));
        environment.put("EXPIRY_SWEEP_ROLE_ARN", BenchAuthorization.expirySweepRole(account));
        environment.put("PROBE_SENDER_ID", teamSenderId);
        environment.put("PROBE_KNOWN_SENDER_IDS", knownSenderIds);
        return environment;
    }

    @Override
    public void close() {
        try {
            iam.close();
            Files.deleteIfExists(eligibilityFile);
            Files.deleteIfExists(deploymentFile);
        } catch (IOException e) {
            // a temporary file left behind
        }
        try {
            eks.close();
        } finally {
            aws.close();
        }
    }
}
