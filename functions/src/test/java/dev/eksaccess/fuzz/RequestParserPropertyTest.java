package dev.eksaccess.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.FieldError;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for the grant-queue message parser ({@link RequestParser}): whatever arrives, it returns a result
 * (never throws), every rejection names the fields at fault, near-valid messages are judged as the contract says,
 * and every accepted message survives {@code toJson → parse} unchanged.
 */
class RequestParserPropertyTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final MessageMeta META = new MessageMeta("msg-1", NOW, "AIDASENDER", 1);
    static final RequestParser PARSER = new RequestParser(
            RequestRules.defaults(RequestMutations.HOME_REGION, RequestMutations.HOME_ACCOUNT),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private static final ObjectMapper LENIENT = new ObjectMapper();
    /** What the parser says of a field it refuses for being there, without looking at its value. */
    private static final List<String> NOT_JUDGED = List.of("unknown field", "is only valid for grant",
            "give expiresAt or duration, not both");

    /** Any text: UTF-16 noise, near-JSON, odd text, and arbitrary bytes read as UTF-8. */
    static final Gen<String> ANY_TEXT = Gen.oneOf(
            Gen.anyChars(0, 300),
            Gen.strings("{}[]\":,.-+0123456789eEtruefalsn \\u", 0, 300),
            Hostile.ODD_TEXT,
            Gen.lists(Gen.ints(-128, 127), 0, 300).map(RequestParserPropertyTest::utf8));

    @Test
    void anyText_isAcceptedOrRejectedWithReasonsNamingTheFields() {
        Property.forAll("request parser: any text", ANY_TEXT, body -> checkWellFormed(body, PARSER.parse(body, META)));
    }

    /** Random JSON objects whose keys are mostly the contract's field names (in a fixed order: see FIELD_ORDER). */
    static final Gen<String> RANDOM_OBJECTS = randomObjects(Gen.oneOf(Gen.elements(RequestMutations.FIELD_ORDER),
            Gen.elements("type", "namespaces"), Hostile.ODD_TEXT), 4, 12);

    /** Objects of up to {@code maxKeys - 1} keys drawn from {@code names}, with random values up to {@code maxDepth}. */
    static Gen<String> randomObjects(Gen<String> names, int maxDepth, int maxKeys) {
        Gen<JsonNode> trees = Hostile.trees(names, maxDepth);
        return random -> {
            ObjectNode root = Hostile.NODES.objectNode();
            for (int i = random.nextInt(maxKeys); i > 0; i--) {
                root.set(names.next(random), trees.next(random));
            }
            return JsonText.write(root);
        };
    }

    @Test
    void randomJsonObjects_withTheContractsFieldNames_areAcceptedOrRejectedWithNamedReasons() {
        Property.forAll("request parser: random JSON objects", RANDOM_OBJECTS,
                body -> checkWellFormed(body, PARSER.parse(body, META)));
    }

    @Test
    void neutralChangesOfTheValidSamples_keepThemValid_withExactlyTheExpectedEffect() {
        Property.forAll("request parser: neutral changes of valid samples", RequestMutations.NEUTRAL, mutant -> {
            RequestMutations.Neutral neutral = (RequestMutations.Neutral) mutant;
            ParsedMessage original = PARSER.parse(JsonText.write(
                    RequestMutations.SAMPLES.stream().filter(s -> s.name().equals(neutral.sample())).findFirst()
                            .orElseThrow().json()), META);
            ParsedMessage parsed = PARSER.parse(neutral.body(), META);

            // Valid, not merely judged as before: a sample the parser wrongly refuses must fail here even when its
            // changed copy is refused alike.
            assertThat(original).as("the sample %s", neutral.sample()).isNotInstanceOf(ParsedMessage.Invalid.class);
            assertThat(parsed).as("the changed sample").isNotInstanceOf(ParsedMessage.Invalid.class);
            checkWellFormed(neutral.body(), parsed);
            assertThat(parsed).isEqualTo(neutral.effect().apply(original));
        });
    }

    @Test
    void hostileChangesOfTheValidSamples_areRejected_withAReasonNamingTheChangedField() {
        Property.forAll("request parser: hostile changes of valid samples", RequestMutations.HOSTILE, mutant -> {
            RequestMutations.Rejected hostile = (RequestMutations.Rejected) mutant;
            ParsedMessage parsed = PARSER.parse(hostile.body(), META);

            checkWellFormed(hostile.body(), parsed);
            assertThat(parsed).isInstanceOf(ParsedMessage.Invalid.class);
            List<FieldError> naming = ((ParsedMessage.Invalid) parsed).errors().stream()
                    .filter(error -> hostile.fields().stream().anyMatch(field ->
                            error.field().equals(field) || error.field().startsWith(field + ".")))
                    .toList();
            assertThat(naming).as("errors naming one of %s", hostile.fields()).isNotEmpty();
            if (!hostile.change().equals("unknown field")) {
                // The value reached its validator: the field is not refused only for being there at all (an unknown
                // key inside accessScope is the scope validator's judgement).
                assertThat(naming).as("errors judging the value of %s", hostile.fields())
                        .anySatisfy(error -> assertThat(hostile.fields().contains(error.field())
                                && NOT_JUDGED.contains(error.problem())).as("refused unread: %s", error).isFalse());
            }
        });
    }

    @Test
    void stackedChangesOfTheValidSamples_areAcceptedOrRejectedWithNamedReasons() {
        Property.forAll("request parser: stacked changes of valid samples", RequestMutations.STACKED,
                mutant -> checkWellFormed(mutant.body(), PARSER.parse(mutant.body(), META)));
    }

    @Test
    void everyGeneratedValidRequest_survivesToJsonAndParse_unchanged() {
        ValidRequests valid = new ValidRequests(NOW);
        Property.forAll("request parser: round trip of valid requests", Gen.oneOf(
                valid.accessRequests().map(ParsedMessage.Access::new),
                valid.bootstrapRequests().map(ParsedMessage.Bootstrap::new)), message -> {
            String json = message instanceof ParsedMessage.Access access ? access.request().toJson()
                    : ((ParsedMessage.Bootstrap) message).request().toJson();

            assertThat(PARSER.parse(json, META)).isEqualTo(message);
        });
    }

    /**
     * What holds for every parse result: a valid message survives {@code toJson → parse}; an invalid one has at least
     * one error, and every error has a non-blank problem and names a field of the contract, a field of the message,
     * or the message as a whole.
     */
    static void checkWellFormed(String body, ParsedMessage parsed) {
        assertThat(parsed).isNotNull();
        switch (parsed) {
            case ParsedMessage.Access access ->
                    assertThat(PARSER.parse(access.request().toJson(), META)).isEqualTo(parsed);
            case ParsedMessage.Bootstrap bootstrap ->
                    assertThat(PARSER.parse(bootstrap.request().toJson(), META)).isEqualTo(parsed);
            case ParsedMessage.Decision decision ->
                    assertThat(PARSER.parse(decision.request().toJson(), META)).isEqualTo(parsed);
            case ParsedMessage.Restore restore ->
                    assertThat(PARSER.parse(restore.request().toJson(), META)).isEqualTo(parsed);
            case ParsedMessage.Invalid invalid -> {
                assertThat(invalid.errors()).isNotEmpty();
                assertThat(invalid.rejectionReason()).isNotBlank();
                Set<String> named = nameableFields(body);
                for (FieldError error : invalid.errors()) {
                    assertThat(error.problem()).as("problem of %s", error.field()).isNotBlank();
                    assertThat(error.field()).as("field of '%s'", error.problem()).isNotBlank();
                    assertThat(named.contains(error.field()) || error.field().startsWith(AccessRequest.ACCESS_SCOPE + ".")
                            && error.field().length() > AccessRequest.ACCESS_SCOPE.length() + 1)
                            .as("'%s' names a field of the contract or the message; message fields: %s", error, named)
                            .isTrue();
                }
            }
        }
    }

    /** The contract's fields, "message", and the top-level names of the message as the parser reports them. */
    private static Set<String> nameableFields(String body) {
        Set<String> names = new HashSet<>(AccessRequest.FIELDS);
        names.addAll(dev.eksaccess.request.RestoreRequest.FIELDS);
        names.add(FieldError.MESSAGE);
        try {
            JsonNode root = body == null ? null : LENIENT.readTree(body);
            if (root != null && root.isObject()) {
                List<String> keys = new ArrayList<>();
                root.fieldNames().forEachRemaining(keys::add);
                keys.forEach(key -> names.addAll(RequestMutations.labels(key)));
            }
        } catch (Exception e) {
            // Unreadable: only "message" and the contract's names can be named.
        }
        return names;
    }

    private static String utf8(List<Integer> bytes) {
        byte[] raw = new byte[bytes.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = bytes.get(i).byteValue();
        }
        return new String(raw, StandardCharsets.UTF_8);
    }
}
