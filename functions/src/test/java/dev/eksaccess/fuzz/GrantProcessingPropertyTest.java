package dev.eksaccess.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.config.Environment;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.delivery.AuditRecord;
import dev.eksaccess.delivery.BatchProcessor;
import dev.eksaccess.delivery.InProcessLeases;
import dev.eksaccess.delivery.InboundMessage;
import dev.eksaccess.delivery.Outcome;
import dev.eksaccess.delivery.RequestProcessor;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.engine.AccessEngine;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.engine.BootstrapSettings;
import dev.eksaccess.handler.GrantRequestHandler;
import dev.eksaccess.log.FunctionLog;
import dev.eksaccess.log.InvocationLog;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.testing.TestSenders;
import dev.eksaccess.testing.FakePendingApprovals;
import dev.eksaccess.testing.RecordingOutcomes;
import dev.eksaccess.testing.FakeEks;
import dev.eksaccess.testing.FakeGrantStates;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testing.FakeLedger;
import dev.eksaccess.testing.FakeRegistry;
import dev.eksaccess.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * No AWS call for an invalid message: generated invalid grant-queue messages go through the grant processor with an
 * in-memory EKS that records every call, and each must end as a stored rejection with its reason, with no EKS call,
 * no retry and no batch item failure.
 */
class GrantProcessingPropertyTest {

    private static final Instant NOW = RequestParserPropertyTest.NOW;
    private static final ClusterRef CLUSTER = new ClusterRef("aws", RequestMutations.HOME_REGION,
            RequestMutations.HOME_ACCOUNT, "payments-prod");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Bodies the parser rejects: hostile changes of valid samples, the invalid samples, text that is not JSON. */
    private static final Gen<String> INVALID_BODY = Gen.oneOf(
            RequestMutations.HOSTILE.map(RequestMutations.Mutant::body),
            Gen.elements(RequestMutations.INVALID_SAMPLES),
            Gen.anyChars(0, 200),
            Hostile.trees(Hostile.ODD_TEXT, 3).map(JsonText::write));

    /** A batch of 1-10 messages, each certainly invalid (checked with the parser the processor uses). */
    static final Gen<List<String>> INVALID_BATCH = Gen.lists(random -> {
        String body = INVALID_BODY.next(random);
        return RequestParserPropertyTest.PARSER.parse(body, meta("probe")) instanceof ParsedMessage.Invalid
                ? body : "{\"action\":\"grant\",\"unexpected\":" + JsonText.quote(body) + "}";
    }, 1, 10);

    private final FakeEks eks = new FakeEks(RequestMutations.HOME_ACCOUNT);
    private final FakeLedger ledger = new FakeLedger();
    private final Map<String, Duration> retries = new ConcurrentHashMap<>();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    /** The batch processor's lines, not looked at here: the handler's are, below. */
    private static final InvocationLog LOG = new FunctionLog("grant-processor", Clock.systemUTC(), line -> { })
            .begin(null);

    GrantProcessingPropertyTest() {
        eks.cluster(CLUSTER, ClusterState.ACTIVE, ClusterState.API_AND_CONFIG_MAP);
    }

    @Test
    void invalidBatches_throughTheBatchProcessor_makeNoEksCall_andStoreOneRejectionPerMessage() {
        Property.forAll("grant processor: invalid batches", INVALID_BATCH, bodies -> {
            ledger.history.clear();
            List<InboundMessage> batch = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                batch.add(new InboundMessage(bodies.get(i), meta("m-" + i), "receipt-" + i));
            }

            List<String> failed;
            try (BatchProcessor processor = processor()) {
                failed = processor.process(batch, LOG);
            }

            assertThat(failed).isEmpty();
            assertThat(eks.calls).isEmpty();
            assertThat(retries).isEmpty();
            assertThat(ledger.history).hasSize(bodies.size()).allSatisfy(record -> {
                assertThat(record.outcomeReason()).isNotBlank();
                if (record.outcome() == Outcome.IGNORED) {
                    // Two messages of one batch with the same request id: the second is recorded as a duplicate.
                    assertThat(record.outcomeReason()).contains("this one ended rejected: ");
                } else {
                    assertThat(record.outcome()).isEqualTo(Outcome.REJECTED);
                    assertThat(record.before()).isNull();
                    assertThat(record.after()).isNull();
                }
            });
        });
    }

    @Test
    void invalidSqsBatches_throughTheLambdaHandler_areAcknowledged_withoutAnyEksCall() {
        GrantRequestHandler handler = GrantRequestHandler.builder(TestSenders.authorized(GrantProcessorConfig.from(
                        new Environment(Map.of("LEDGER_TABLE", "ledger", "REGISTRY_TABLE", "registry",
                        "GRANT_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/111122223333/grant-queue")))),
                        RequestMutations.HOME_REGION)
                .withEks(eks).withPrincipalIds(TestSenders.ids()).withPendingApprovals(new FakePendingApprovals()).withRegistry(registry()).withLedger(ledger).withStates(new FakeGrantStates())
                .withRetries(retries::put).withClock(new MutableClock(NOW)).withLogSink(logs::add).build();
        FakeLambdaContext context = new FakeLambdaContext(RequestMutations.HOME_ACCOUNT);
        Property.forAll("grant handler: invalid SQS batches", INVALID_BATCH, bodies -> {
            logs.clear();
            SQSEvent event = new SQSEvent();
            List<SQSEvent.SQSMessage> messages = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                messages.add(sqsMessage("m-" + i, bodies.get(i)));
            }
            event.setRecords(messages);

            SQSBatchResponse response = handler.handleRequest(event, context);

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(eks.calls).isEmpty();
            assertThat(retries).isEmpty();
            assertThat(logs).hasSize(bodies.size()).allSatisfy(line -> {
                JsonNode logged = readTree(line);
                assertThat(logged.path("outcome").asText()).isIn("rejected", "ignored");
                assertThat(logged.path("reason").asText()).isNotBlank();
            });
        });
    }

    @Test
    void theSameWiring_doesCallEksForAValidMessage_soTheZeroCallsAboveMeanSomething() {
        try (BatchProcessor processor = processor()) {
            processor.process(List.of(new InboundMessage(
                    JsonText.write(RequestMutations.SAMPLES.stream()
                            .filter(s -> s.name().endsWith("grant-cluster-view.json")).findFirst().orElseThrow().json()),
                    meta("valid"), "receipt-valid")), LOG);
        }

        assertThat(eks.calls).isNotEmpty();
        assertThat(ledger.only("valid").outcome()).isEqualTo(Outcome.APPLIED);
    }

    private BatchProcessor processor() {
        MutableClock clock = new MutableClock(NOW);
        AccessEngine engine = new AccessEngine(eks, registry(), new BootstrapSettings(
                List.of(new AdminGrant("arn:aws:iam::111122223333:role/break-glass", AccessPolicies.CLUSTER_ADMIN)),
                false, false));
        return new BatchProcessor(RequestParserPropertyTest.PARSER,
                new RequestProcessor(engine, ledger, new FakeGrantStates(), new InProcessLeases(), clock,
                        TestSenders.control(engine, new FakePendingApprovals(), new RecordingOutcomes(), clock)),
                retries::put, 2);
    }

    private static FakeRegistry registry() {
        FakeRegistry registry = new FakeRegistry();
        registry.putIfAbsent(FakeRegistry.record(CLUSTER.arn(), "arn:aws:iam::111122223333:role/platform/creator",
                ClusterState.API_AND_CONFIG_MAP, true));
        return registry;
    }

    private static MessageMeta meta(String id) {
        return new MessageMeta(id, NOW, TestSenders.TEAM_SENDER, 1);
    }

    private static SQSEvent.SQSMessage sqsMessage(String id, String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setReceiptHandle("receipt-" + id);
        message.setBody(body);
        message.setAttributes(Map.of("SentTimestamp", String.valueOf(NOW.toEpochMilli()), "SenderId", TestSenders.TEAM_SENDER,
                "ApproximateReceiveCount", "1"));
        return message;
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
