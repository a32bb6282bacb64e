package dev.eksaccess.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/** JSON trees to text, and reshuffled, for building message bodies and events. */
final class JsonText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonText() {
    }

    static String write(JsonNode json) {
        return write(json, false);
    }

    static String write(JsonNode json, boolean pretty) {
        try {
            return pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) : JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
        return write(Hostile.NODES.textNode(text));
    }

    /** The same object with the keys of it and of every nested object in a random order. */
    static ObjectNode shuffled(ObjectNode json, SplittableRandom random) {
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        Collections.shuffle(keys, new Random(random.nextLong()));
        ObjectNode reordered = Hostile.NODES.objectNode();
        for (String key : keys) {
            JsonNode value = json.get(key);
            reordered.set(key, value.isObject() ? shuffled((ObjectNode) value, random) : value);
        }
        return reordered;
    }
}
