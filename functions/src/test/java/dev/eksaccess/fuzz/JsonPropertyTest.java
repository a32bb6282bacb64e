package dev.eksaccess.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.Json.Duplicates;
import dev.eksaccess.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The functions' own JSON reader ({@link Json#read}) against Jackson databind's {@code readTree}, which it replaced:
 * for any text or bytes both give the same value (compared as written JSON, which also tells numbers' types apart),
 * or both refuse with the same message, with repeated names rejected or tolerated alike.
 */
class JsonPropertyTest {

    private static final ObjectMapper LENIENT = new ObjectMapper();
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static final Gen<String> TEXT = Gen.oneOf(
            Gen.anyChars(0, 200),
            Gen.strings("{}[]\":,.-+0123456789eEtruefalsn \\u", 0, 200),
            Hostile.ODD_TEXT,
            Hostile.ANY_VALUE.map(JsonText::write),
            Hostile.trees(Gen.oneOf(Gen.elements("a", "b", "c"), Hostile.ODD_TEXT), 5).map(JsonText::write),
            Hostile.trees(Gen.elements("a", "b", "c"), 4).map(JsonText::write).map(JsonPropertyTest::cut),
            random -> "[".repeat(random.nextInt(990, 1_010)) + "]".repeat(random.nextInt(990, 1_010)));

    @Test
    void anyText_readsAsDatabindReadIt() {
        Property.forAll("json reader: any text, as databind", TEXT, text -> {
            same(() -> Json.read(text, Duplicates.KEEP_LAST), () -> LENIENT.readTree(text));
            same(() -> Json.read(text, Duplicates.REJECT), () -> STRICT.readTree(text));
        });
    }

    @Test
    void anyBytes_readAsDatabindReadThem() {
        Gen<byte[]> bytes = Gen.oneOf(
                Gen.lists(Gen.ints(-128, 127), 0, 200).map(CloudTrailEventParserPropertyTest::bytes),
                TEXT.map(text -> text.getBytes(StandardCharsets.UTF_8)),
                TEXT.map(text -> text.getBytes(StandardCharsets.UTF_16)),
                // Zero bytes make Jackson guess UTF-16 or UTF-32, whose decoders can fail on the rest.
                Gen.lists(Gen.elements(0, 0, 0, 0x5B, 0x5D, 0x22, 0x61, 0x7F, -1), 0, 40)
                        .map(CloudTrailEventParserPropertyTest::bytes));
        Property.forAll("json reader: any bytes, as databind", bytes, raw -> {
            same(() -> Json.read(raw, Duplicates.KEEP_LAST), () -> LENIENT.readTree(raw));
            same(() -> Json.read(raw, Duplicates.REJECT), () -> STRICT.readTree(raw));
        });
    }

    private static void same(Reading<Optional<JsonValue>> ours, Reading<JsonNode> databinds) {
        assertThat(outcome(ours)).isEqualTo(outcome(databinds));
    }

    /** What a reading gave: the value as JSON text, "(none)", or the failure's type and message. */
    private static String outcome(Reading<?> reading) {
        Object[] result = new Object[1];
        Throwable thrown = catchThrowable(() -> result[0] = reading.read());
        if (thrown instanceof JacksonException e) {
            return "refused: " + e.getOriginalMessage();
        }
        if (thrown != null) {
            return "failed: " + thrown;
        }
        return switch (result[0]) {
            case Optional<?> value -> value.map(JsonValue.class::cast).map(JsonValue::toString).orElse("(none)");
            case JsonNode node -> node.isMissingNode() ? "(none)" : node.toString();
            default -> throw new IllegalStateException("unexpected " + result[0]);
        };
    }

    @FunctionalInterface
    private interface Reading<T> {
        T read() throws Exception;
    }

    /** A prefix of the text: JSON ending too early. */
    private static String cut(String text) {
        return text.substring(0, text.length() / 2);
    }
}
