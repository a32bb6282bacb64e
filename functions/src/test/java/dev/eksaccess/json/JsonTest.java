package dev.eksaccess.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eksaccess.json.Json.Duplicates;
import dev.eksaccess.json.JsonValue.JsonArray;
import dev.eksaccess.json.JsonValue.JsonBoolean;
import dev.eksaccess.json.JsonValue.JsonNull;
import dev.eksaccess.json.JsonValue.JsonNumber;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.json.JsonValue.JsonString;
import java.io.CharConversionException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static JsonValue read(String text) throws JsonProcessingException {
        return Json.read(text, Duplicates.REJECT).orElseThrow();
    }

    @Test
    void readsEveryKindOfValue_objectFieldsInTheirOrder() throws JsonProcessingException {
        JsonValue value = read("{\"z\":\"a\\u00e9\\n\",\"a\":[1,2.5,true,false,null],\"m\":{}}");

        Map<String, JsonValue> fields = new LinkedHashMap<>();
        fields.put("z", new JsonString("a\u00e9\n"));
        fields.put("a", new JsonArray(List.of(new JsonNumber(1), new JsonNumber(2.5), new JsonBoolean(true),
                new JsonBoolean(false), JsonNull.NULL)));
        fields.put("m", new JsonObject(Map.of()));
        assertThat(value).isEqualTo(new JsonObject(fields));
        assertThat(((JsonObject) value).fields().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void numbers_keepJacksonsTypes() throws JsonProcessingException {
        assertThat(read("[7, 3000000000, 12345678901234567890, 7.0, 1e2, 1e400]")).isEqualTo(new JsonArray(List.of(
                new JsonNumber(7), new JsonNumber(3_000_000_000L),
                new JsonNumber(new BigInteger("12345678901234567890")), new JsonNumber(7.0), new JsonNumber(100.0),
                new JsonNumber(Double.POSITIVE_INFINITY))));
    }

    @Test
    void aMissingField_readsAsNull_andHasTellsItFromAnExplicitNull() throws JsonProcessingException {
        JsonObject object = (JsonObject) read("{\"given\":null}");

        assertThat(object.get("given")).isEqualTo(JsonNull.NULL);
        assertThat(object.get("absent")).isEqualTo(JsonNull.NULL);
        assertThat(object.has("given")).isTrue();
        assertThat(object.has("absent")).isFalse();
    }

    @Test
    void repeatedNames_areRejected_orKeepTheirFirstPlaceAndLastValue() throws JsonProcessingException {
        String text = "{\"a\":1,\"b\":2,\"a\":3}";

        assertThatThrownBy(() -> Json.read(text, Duplicates.REJECT)).isInstanceOf(JsonProcessingException.class)
                .extracting(e -> ((JsonProcessingException) e).getOriginalMessage())
                .isEqualTo("Duplicate field 'a'");
        assertThat(Json.read(text, Duplicates.KEEP_LAST)).hasValueSatisfying(value ->
                assertThat(value).hasToString("{\"a\":3,\"b\":2}"));
    }

    @Test
    void readWhole_refusesTextAfterTheValue_butNotWhitespace() throws IOException {
        assertThat(Json.readWhole("{\"a\":1} \n\t", Duplicates.REJECT)).hasValueSatisfying(value ->
                assertThat(value).hasToString("{\"a\":1}"));
        assertThat(Json.readWhole(" ", Duplicates.REJECT)).isEmpty();
        assertThatThrownBy(() -> Json.readWhole("{\"a\":1} {\"b\":2}", Duplicates.REJECT))
                .isInstanceOf(JsonProcessingException.class)
                .extracting(e -> ((JsonProcessingException) e).getOriginalMessage())
                .isEqualTo("text after the JSON value at line 1, column 9");
    }

    @Test
    void onlyTheFirstValueIsRead_andBlankTextHoldsNone() throws IOException {
        assertThat(read("{\"a\":1} {\"b\": [")).hasToString("{\"a\":1}");
        assertThat(Json.read(" \n", Duplicates.REJECT)).isEmpty();
        assertThat(Json.read("", Duplicates.REJECT)).isEmpty();
        assertThat(Json.read(new byte[0], Duplicates.REJECT)).isEmpty();
    }

    @Test
    void bytes_areDecodedAsUtf8OrUtf16OrUtf32_andUndecodableOnesFail() throws Exception {
        assertThat(Json.read("[\"\u00e9\"]".getBytes(StandardCharsets.UTF_8), Duplicates.REJECT))
                .contains(new JsonArray(List.of(new JsonString("\u00e9"))));
        assertThat(Json.read("[\"\u00e9\"]".getBytes(StandardCharsets.UTF_16BE), Duplicates.REJECT))
                .contains(new JsonArray(List.of(new JsonString("\u00e9"))));
        assertThatThrownBy(() -> Json.read(new byte[] {0, 0, 0, '[', 0x7F, 0, 0, 0}, Duplicates.REJECT))
                .isInstanceOf(CharConversionException.class);
    }

    @Test
    void nestingToTheLimit_isReadAndWrittenOnHalfTheDefaultStack_deeperIsRefused() throws Exception {
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        AtomicReference<Object> outcome = new AtomicReference<>();
        // The JVM's default thread stack is 1 MiB; a cold JVM, the worst case, needed about 400 KiB here.
        Thread small = new Thread(null, () -> {
            try {
                outcome.set(read(deepest).toString());
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "half-stack", 512 * 1024);
        small.start();
        small.join();

        assertThat(outcome.get()).isEqualTo(deepest);
        assertThatThrownBy(() -> read("[" + deepest + "]")).isInstanceOf(JsonProcessingException.class)
                .hasMessageStartingWith("Document nesting depth (1001) exceeds the maximum allowed (1000");
    }

    @Test
    void values_areUnmodifiable() throws JsonProcessingException {
        JsonObject object = (JsonObject) read("{\"a\":[1]}");

        assertThatThrownBy(() -> object.fields().put("b", JsonNull.NULL))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((JsonArray) object.get("a")).items().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toString_isCompactJson() throws JsonProcessingException {
        assertThat(read(" { \"a\" : [ 1 , -0.0 , 1E2 , \"\\u0001\\\"\" ] , \"b\" : { } , \"c\" : null } "))
                .hasToString("{\"a\":[1,-0.0,100.0,\"\\u0001\\\"\"],\"b\":{},\"c\":null}");
        assertThat(new JsonNumber(Double.POSITIVE_INFINITY)).hasToString("\"Infinity\"");
        assertThat(new JsonBoolean(false)).hasToString("false");
        assertThat(JsonNull.NULL).hasToString("null");
    }

    @Test
    void object_writesTheFieldsInOrder_compactAndEscaped() {
        String written = Json.object(json -> {
            json.writeStringField("text", "a \"quote\"\n\u2028");
            json.writeStringField("none", null);
            json.writeNumberField("count", 3);
            Json.writeStrings(json, "list", List.of("x", "y"));
            Json.writeStrings(json, "empty", List.of());
        });

        assertThat(written).isEqualTo("{\"text\":\"a \\\"quote\\\"\\n\u2028\",\"none\":null,\"count\":3,"
                + "\"list\":[\"x\",\"y\"],\"empty\":[]}");
        assertThat(Json.quote("tab\there")).isEqualTo("\"tab\\there\"");
    }
}
