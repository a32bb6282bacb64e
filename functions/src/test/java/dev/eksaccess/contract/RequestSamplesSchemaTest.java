package dev.eksaccess.contract;

import static dev.eksaccess.contract.ProcessorOnlyRule.ALLOWED_POLICIES;
import static dev.eksaccess.contract.ProcessorOnlyRule.EXPIRY_IN_THE_PAST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.request.FieldError;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import dev.eksaccess.testing.EventFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every message body in {@code events/} against the contract's JSON Schema: the files of {@code events/requests/}
 * (approve and deny messages in {@code events/requests/decisions/}, against {@code $defs/decision}) and the
 * grant-queue messages of {@code events/scenarios/} (the files that are not EventBridge events). A valid
 * sample passes both the schema and the grant processor's parser; a sample meant to be refused ({@code invalid-*},
 * or a scenario step named {@code *rejected*}) is refused by the parser, and either by the schema too, or for
 * processor-only rules alone, as {@link #INVALID} says of each.
 */
class RequestSamplesSchemaTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final MessageMeta META = new MessageMeta("msg-1", NOW, "AIDASENDER", 1);
    private static final RequestParser PARSER = new RequestParser(RequestRules.defaults("eu-west-1", "111122223333"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    /** Of each sample meant to be refused: the processor-only rules it breaks alone, or none if the schema refuses it. */
    private static final Map<String, Set<ProcessorOnlyRule>> INVALID = Map.of(
            "requests/invalid-expiry-in-the-past.json", Set.of(EXPIRY_IN_THE_PAST),
            "requests/invalid-malformed-json.json", Set.of(),
            "requests/invalid-namespace-scope-without-namespaces.json", Set.of(),
            "requests/invalid-sts-session-arn.json", Set.of(),
            "requests/invalid-system-group.json", Set.of(),
            "requests/invalid-unknown-field.json", Set.of(),
            "requests/invalid-unknown-policy.json", Set.of(ALLOWED_POLICIES),
            "scenarios/demo/04-rejected-system-masters.json", Set.of());

    @Test
    void validSamples_passTheSchemaAndTheParser() {
        List<String> valid = messageFiles().stream().filter(file -> !meantToBeRefused(file)).toList();

        assertThat(valid).hasSizeGreaterThanOrEqualTo(10);
        for (String file : valid) {
            String body = body(file);
            assertThat(PARSER.parse(body, META)).as(file).isNotInstanceOf(ParsedMessage.Invalid.class);
            assertThat(RequestSchema.validateQueueMessage(body)).as(file).matches(RequestSchema.Verdict::accepted);
        }
    }

    @Test
    void decisionSamples_areApproveOrDenyMessages_thatTheDecisionDefinitionAndTheParserAccept() {
        List<String> decisions = messageFiles().stream().filter(file -> List.of("approve", "deny").contains(
                RequestSchema.readTree(body(file)).map(json -> json.path("action").asText()).orElse(""))).toList();

        assertThat(decisions).as("approve and deny samples, in events/requests/decisions/ and the demo")
                .contains("requests/decisions/approve-pending-grant.json", "requests/decisions/deny-pending-grant.json",
                        "scenarios/demo/08-approve-oncall.json");
        for (String file : decisions) {
            assertThat(PARSER.parse(body(file), META)).as(file).isInstanceOf(ParsedMessage.Decision.class);
            assertThat(RequestSchema.validateValue(RequestSchema.DECISION_POINTER,
                    RequestSchema.readTree(body(file)).orElseThrow())).as(file)
                    .matches(RequestSchema.Verdict::accepted);
        }
    }

    @Test
    void adminClassGrantSamples_allHaveALimit_soThatARuleWithApprovalCanAllowThem() {
        List<String> adminGrants = messageFiles().stream().filter(file -> RequestSchema.readTree(body(file))
                .filter(json -> json.path("action").asText().equals("grant"))
                .filter(json -> json.path("accessPolicy").asText().matches(".*AmazonEKS(Cluster)?AdminPolicy"))
                .isPresent()).toList();

        assertThat(adminGrants).isNotEmpty();
        for (String file : adminGrants) {
            ParsedMessage parsed = PARSER.parse(body(file), META);
            assertThat(parsed).as(file).isInstanceOf(ParsedMessage.Access.class);
            Instant expiresAt = ((ParsedMessage.Access) parsed).request().expiresAt();
            assertThat(expiresAt).as("%s: an admin-class grant without duration or expiresAt is refused by every "
                    + "rule (they need approval and a limit)", file).isNotNull();
            assertThat(Duration.between(NOW, expiresAt)).as(file).isLessThanOrEqualTo(Duration.ofDays(1));
        }
    }

    @Test
    void samplesMeantToBeRefused_areRefusedByTheSchema_orBreakOnlyRulesTheProcessorAloneChecks() {
        List<String> invalid = messageFiles().stream().filter(RequestSamplesSchemaTest::meantToBeRefused).toList();

        assertThat(invalid).as("every sample meant to be refused has its expectation here")
                .containsExactlyInAnyOrderElementsOf(INVALID.keySet());
        for (String file : invalid) {
            String body = body(file);
            ParsedMessage parsed = PARSER.parse(body, META);
            assertThat(parsed).as(file).isInstanceOf(ParsedMessage.Invalid.class);
            List<FieldError> errors = ((ParsedMessage.Invalid) parsed).errors();
            Set<ProcessorOnlyRule> processorOnly = INVALID.get(file);
            RequestSchema.Verdict schema = RequestSchema.validateQueueMessage(body);
            if (processorOnly.isEmpty()) {
                assertThat(schema.accepted()).as("%s: schema %s; parser: %s", file, schema, errors).isFalse();
                assertThat(Rejections.schemaExpressible(body, errors)).as(file).isNotEmpty();
            } else {
                assertThat(schema.accepted()).as("%s: schema %s", file, schema).isTrue();
                assertThat(errors).as(file).allSatisfy(error ->
                        assertThat(Rejections.processorOnlyRule(body, error)).isPresent());
                assertThat(errors.stream().map(error -> Rejections.processorOnlyRule(body, error).orElseThrow())
                        .collect(Collectors.toSet())).as(file).isEqualTo(processorOnly);
            }
        }
    }

    /** The grant-queue message bodies in events/, as paths relative to it. */
    private static List<String> messageFiles() {
        List<String> files = new ArrayList<>(EventFiles.list("requests"));
        files.addAll(EventFiles.list("requests/decisions"));
        try (Stream<Path> scenarios = Files.list(RequestSchema.repoRoot().resolve("events/scenarios"))) {
            scenarios.filter(Files::isDirectory).sorted().forEach(scenario -> EventFiles.list(
                    "scenarios/" + scenario.getFileName()).stream().filter(file -> !isEvent(file)).forEach(files::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** An EventBridge event (played to the cluster-creation function), not a grant-queue message: the sandbox's rule. */
    private static boolean isEvent(String file) {
        return RequestSchema.readTree(body(file)).map(json -> json.has("detail-type")).orElse(false);
    }

    private static boolean meantToBeRefused(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return name.startsWith("invalid-") || name.contains("rejected");
    }

    private static String body(String file) {
        return new String(EventFiles.bytes(file), StandardCharsets.UTF_8);
    }
}
