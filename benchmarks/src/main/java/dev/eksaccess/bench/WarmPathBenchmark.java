package dev.eksaccess.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.delivery.PendingApprovals;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.handler.ClusterCreatedHandler;
import dev.eksaccess.handler.GrantRequestHandler;
import dev.eksaccess.request.RequestRules;
import dev.eksaccess.testsupport.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The functions' own work per message, warm, with every port in memory ({@link InMemoryPorts}): for a grant, the SQS
 * record to the batch response (parse, validate, safety rules, the access change planned against EKS, ledger record
 * and log line built); for a CreateCluster event, the raw bytes to the log line (parse, creator resolution, bootstrap
 * plan, registry record, bootstrap request). Emulator or AWS latency is excluded by construction.
 *
 * <p>Sampled per operation, so the median is reported: on a machine shared with other work, a mean is dragged up by
 * the moments the benchmark thread was not running at all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarmPathBenchmark {

    static final String ACCOUNT = "111122223333";
    static final String REGION = "eu-west-1";

    private GrantRequestHandler grants;
    private ClusterCreatedHandler creation;
    private LocalLambdaContext context;
    private byte[] createClusterEvent;
    private String grantBody;
    private long sequence;

    @Setup
    public void setUp() {
        Clock clock = Clock.systemUTC();
        String queueUrl = "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/eks-access-grants";
        List<AdminGrant> admins = List.of(new AdminGrant("arn:aws:iam::" + ACCOUNT + ":role/platform-admin",
                AccessPolicies.CLUSTER_ADMIN));
        GrantProcessorConfig grantConfig = new GrantProcessorConfig("ledger", "registry", queueUrl, ACCOUNT, admins,
                false, false, Optional.empty(), AccessPolicies.DEFAULT_ALLOWED,
                RequestRules.DEFAULT_MAX_GRANT_DURATION).withAuthorization(BenchAuthorization.document(ACCOUNT),
                BenchAuthorization.internalSenders(ACCOUNT));
        InMemoryPorts.NewPrincipalEks eks = new InMemoryPorts.NewPrincipalEks();
        grants = GrantRequestHandler.builder(grantConfig, REGION).withEks((cluster, actingFor) -> eks)
                .withRegistry(new InMemoryPorts.NewClusterRegistry()).withLedger(new InMemoryPorts.LastRecordLedger())
                .withStates(new InMemoryPorts.NoGrantStates()).withRetries((receiptHandle, delay) -> { })
                .withPrincipalIds(BenchAuthorization.ids(ACCOUNT))
                .withPendingApprovals(PendingApprovals.NONE)
                .withClock(clock).withLogSink(line -> { }).build();
        creation = new ClusterCreatedHandler(new ClusterCreationConfig("registry", queueUrl, admins, false, false,
                Optional.empty()), new InMemoryPorts.NewClusterRegistry(), new InMemoryPorts.LastRequestQueue(), clock,
                line -> { });
        context = new LocalLambdaContext(LocalLambdaContext.functionArn(REGION, ACCOUNT, "bench"), line -> { });
        createClusterEvent = SampleInputs.createClusterEvent(ACCOUNT, REGION, "warm").getBytes(StandardCharsets.UTF_8);
        grantBody = SampleInputs.grantBody(ACCOUNT, "warm", "warm-reader");
    }

    /** One grant message through the grant processor's handler. */
    @Benchmark
    public SQSBatchResponse grantMessage() {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("warm-" + sequence++);
        message.setBody(grantBody);
        message.setAttributes(Map.of("SentTimestamp", String.valueOf(System.currentTimeMillis()),
                "ApproximateReceiveCount", "1", "SenderId", BenchAuthorization.teamSenderId()));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        SQSBatchResponse response = grants.handleRequest(event, context);
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("the warm grant failed: " + response.getBatchItemFailures());
        }
        return response;
    }

    /** One CreateCluster event through the cluster-creation handler. */
    @Benchmark
    public byte[] createClusterEvent() throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream(1024);
        creation.handleRequest(new ByteArrayInputStream(createClusterEvent), output, context);
        return output.toByteArray();
    }
}
