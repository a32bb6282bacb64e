package dev.eksaccess.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.FieldError;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.contract.Rejections;
import dev.eksaccess.contract.RequestSchema;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract's JSON Schema (contract/.../access-request-v1.schema.json) and the grant processor's parser judge
 * generated messages alike: whatever the schema refuses, the parser refuses; whatever the parser refuses for a reason
 * the schema can express, the schema refuses. The reasons it cannot express are {@link
 * dev.eksaccess.contract.ProcessorOnlyRule}s, sorted out by {@link Rejections}. A bootstrap message is judged by the
 * schema's bootstrap definition, any other by the schema itself.
 *
 * <p>A message costs a validation on top of a parse, so these properties take a share of {@link Property#tries()}:
 * 1,350 messages in all by default, most of them near misses (the edges of the patterns).
 */
class SchemaAgreementPropertyTest {

    @Test
    void generatedValidRequests_areAcceptedByTheSchema() {
        ValidRequests valid = new ValidRequests(RequestParserPropertyTest.NOW);
        Property.forAll("schema agreement: valid requests", Property.tries() / 10, Gen.oneOf(
                valid.accessRequests().map(AccessRequest::toJson),
                valid.bootstrapRequests().map(request -> request.toJson())), body -> {
            assertThat(RequestSchema.validateQueueMessage(body).accepted()).as("schema verdict").isTrue();
            agree(body);
        });
    }

    @Test
    void changesOfTheSamples_areJudgedAlike() {
        Property.forAll("schema agreement: changed samples", Property.tries() / 5, RequestMutations.ANY,
                mutant -> agree(mutant.body()));
    }

    @Test
    void nearMissesOfEveryPattern_areJudgedAlike() {
        Property.forAll("schema agreement: near misses", NearMisses.MESSAGES,
                SchemaAgreementPropertyTest::agree);
    }

    /** Random objects whose keys are the contract's field names, in a fixed order (see FIELD_ORDER). */
    static final Gen<String> RANDOM_OBJECTS = RequestParserPropertyTest.randomObjects(
            Gen.oneOf(Gen.elements(RequestMutations.FIELD_ORDER), Gen.elements("type", "namespaces")), 3, 8);

    @Test
    void randomObjectsWithTheContractsFieldNames_areJudgedAlike() {
        Property.forAll("schema agreement: random objects", Property.tries() / 20, RANDOM_OBJECTS,
                SchemaAgreementPropertyTest::agree);
    }

    @Test
    void instants_areReadByTheSchemaAsByJavaTime_butForInstantsThatDoNotExist() {
        Property.forAll("schema agreement: instants", NearMisses.INSTANTS, instant -> {
            boolean parses = parses(() -> Instant.parse(instant));
            assertThat(RequestSchema.validateValue("#/$defs/instant", Hostile.NODES.textNode(instant)).accepted())
                    .as("schema verdict; Instant.parse %s it", parses ? "reads" : "refuses")
                    .isEqualTo(parses || Rejections.instantThatDoesNotExist(instant));
        });
    }

    @Test
    void durations_areReadByTheSchemaAsByJavaTime_positiveOnly_butForSignArithmeticAndOverflow() {
        Property.forAll("schema agreement: durations", NearMisses.DURATIONS, duration -> {
            boolean accepted = RequestSchema.validateValue("#/properties/duration",
                    Hostile.NODES.textNode(duration)).accepted();
            if (!parses(() -> Duration.parse(duration))) {
                assertThat(accepted && !Rejections.durationOutOfRange(duration))
                        .as("schema accepts what Duration.parse refuses").isFalse();
            } else if (Duration.parse(duration).isPositive()) {
                assertThat(accepted).as("schema accepts a positive duration").isTrue();
            } else {
                assertThat(accepted && !Rejections.hasNegativeParts(duration))
                        .as("schema accepts a duration that is not positive").isFalse();
            }
        });
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** The schema refuses only what the parser refuses, and refuses what the parser refuses for a schema rule. */
    static void agree(String body) {
        RequestSchema.Verdict schema = RequestSchema.validateQueueMessage(body);
        ParsedMessage parsed = RequestParserPropertyTest.PARSER.parse(body, RequestParserPropertyTest.META);
        if (!schema.accepted()) {
            assertThat(parsed).as("parser verdict on a message the schema %s", schema)
                    .isInstanceOf(ParsedMessage.Invalid.class);
        }
        if (parsed instanceof ParsedMessage.Invalid invalid) {
            List<FieldError> expressible = Rejections.schemaExpressible(body, invalid.errors());
            if (!expressible.isEmpty()) {
                assertThat(schema.accepted())
                        .as("schema verdict on a message the parser refuses for %s, rules the schema expresses", expressible)
                        .isFalse();
            }
        }
    }
}
