package dev.eksaccess.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.eksaccess.json.JsonValue.JsonArray;
import dev.eksaccess.json.JsonValue.JsonBoolean;
import dev.eksaccess.json.JsonValue.JsonNull;
import dev.eksaccess.json.JsonValue.JsonNumber;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.json.JsonValue.JsonString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON in the Lambda functions, on Jackson's streaming API alone: reading into a {@link JsonValue} and writing with a
 * {@link JsonGenerator}. Jackson databind (ObjectMapper, JsonNode) stays out of the functions on purpose: its some 800
 * classes in the jar were a large share of the cold start.
 *
 * <p>Reading and writing keep what databind did: the same parser and generator settings (Jackson's defaults, among
 * them its limits such as {@link #MAX_DEPTH}), the same number types, the same compact output.
 */
public final class Json {

    /**
     * How deeply arrays and objects may nest: Jackson's default, stated here because reading and writing recurse
     * once per level. A thousand levels took less than 400 KiB of a thread's default 1 MiB stack; JsonTest checks
     * that half of it suffices.
     */
    static final int MAX_DEPTH = 1000;

    /** Shared by every parser and generator; never reconfigured, so safe to share between threads. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    /** What to do with a name that occurs twice in one object. */
    public enum Duplicates {
        /** Refuse the text, naming the field. */
        REJECT,
        /** Keep the last value, as databind did. */
        KEEP_LAST
    }

    /** Writes JSON to a generator. */
    @FunctionalInterface
    public interface Writing {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private Json() {
    }

    /**
     * Reads the first JSON value in {@code text}; whatever follows it is not read.
     *
     * @return the value, or empty when the text holds none (it is empty or blank)
     * @throws JsonProcessingException when the text is not JSON, nests deeper than {@link #MAX_DEPTH}, or repeats a
     *                                 name that {@code duplicates} rejects; its original message says which
     */
    public static Optional<JsonValue> read(String text, Duplicates duplicates) throws JsonProcessingException {
        return read(text, duplicates, false);
    }

    /**
     * Reads {@code text} that must hold exactly one JSON value: as {@link #read(String, Duplicates)}, but anything
     * other than whitespace after the value is refused rather than left unread, so that a message holding two objects
     * is not taken for its first.
     *
     * @throws JsonProcessingException as {@link #read(String, Duplicates)}, or when text follows the value
     */
    public static Optional<JsonValue> readWhole(String text, Duplicates duplicates) throws JsonProcessingException {
        return read(text, duplicates, true);
    }

    private static Optional<JsonValue> read(String text, Duplicates duplicates, boolean whole)
            throws JsonProcessingException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            Optional<JsonValue> value = read(parser, duplicates);
            if (whole && value.isPresent() && parser.nextToken() != null) {
                throw new JsonParseException(parser, "text after the JSON value at " + describe(parser));
            }
            return value;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a String failed", e);
        }
    }

    private static String describe(JsonParser parser) {
        var location = parser.currentTokenLocation();
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * Reads the first JSON value in {@code bytes}, which may be UTF-8, UTF-16 or UTF-32; whatever follows it is not
     * read.
     *
     * @return the value, or empty when the bytes hold none
     * @throws JsonProcessingException as {@link #read(String, Duplicates)}
     * @throws IOException             when the bytes cannot be decoded as text
     */
    public static Optional<JsonValue> read(byte[] bytes, Duplicates duplicates) throws IOException {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            return read(parser, duplicates);
        }
    }

    private static Optional<JsonValue> read(JsonParser parser, Duplicates duplicates) throws IOException {
        if (duplicates == Duplicates.REJECT) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
        return parser.nextToken() == null ? Optional.empty() : Optional.of(value(parser));
    }

    /**
     * The value that starts at the parser's current token. It recurses once per level of nesting; the parser
     * refuses a document deeper than {@link #MAX_DEPTH} before that could exhaust the stack.
     */
    private static JsonValue value(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, JsonValue> fields = new LinkedHashMap<>();
                for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                    parser.nextToken();
                    fields.put(name, value(parser));
                }
                yield new JsonObject(fields);
            }
            case START_ARRAY -> {
                List<JsonValue> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(parser));
                }
                yield new JsonArray(items);
            }
            case VALUE_STRING -> new JsonString(parser.getText());
            case VALUE_NUMBER_INT -> new JsonNumber(parser.getNumberValue());
            case VALUE_NUMBER_FLOAT -> new JsonNumber(parser.getDoubleValue());
            case VALUE_TRUE -> new JsonBoolean(true);
            case VALUE_FALSE -> new JsonBoolean(false);
            case VALUE_NULL -> JsonNull.NULL;
            default -> throw new IllegalStateException("a JSON text parser produced " + parser.currentToken());
        };
    }

    /** One JSON object, compact, with the fields that {@code fields} writes in the order it writes them. */
    public static String object(Writing fields) {
        return render(json -> {
            json.writeStartObject();
            fields.writeTo(json);
            json.writeEndObject();
        });
    }

    /** A field whose value is an array of strings. */
    public static void writeStrings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** {@code text} as a JSON string literal, quoted and escaped. */
    public static String quote(String text) {
        return render(json -> json.writeString(text));
    }

    /** {@code value} as compact JSON text. */
    static String text(JsonValue value) {
        return render(json -> write(json, value));
    }

    private static void write(JsonGenerator json, JsonValue value) throws IOException {
        switch (value) {
            case JsonObject object -> {
                json.writeStartObject();
                for (Map.Entry<String, JsonValue> field : object.fields().entrySet()) {
                    json.writeFieldName(field.getKey());
                    write(json, field.getValue());
                }
                json.writeEndObject();
            }
            case JsonArray array -> {
                json.writeStartArray();
                for (JsonValue item : array.items()) {
                    write(json, item);
                }
                json.writeEndArray();
            }
            case JsonString string -> json.writeString(string.value());
            // An infinite double comes out as the string "Infinity", as databind wrote it.
            case JsonNumber(Double number) -> json.writeNumber(number);
            case JsonNumber(Number integer) -> json.writeNumber(integer.toString());
            case JsonBoolean flag -> json.writeBoolean(flag.value());
            case JsonNull ignored -> json.writeNull();
        }
    }

    private static String render(Writing writing) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            writing.writeTo(json);
        } catch (IOException e) {
            // A StringWriter does not fail; this is a generator refusing a call out of order.
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
