package dev.eksaccess.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value as {@link Json#read} builds it: a small read-only tree for the request and CloudTrail parsers, which
 * judge a message field by field. It stands in for Jackson databind's {@code JsonNode}, whose some 800 classes in the
 * Lambda jar cost a large share of the cold start; the parsers need no more than these six kinds of value.
 *
 * <p>{@link #toString()} is the value as compact JSON text, exactly as databind wrote a {@code JsonNode}, because
 * rejection reasons show values that way.
 */
public sealed interface JsonValue {

    /**
     * An object, its fields in the order they came. A repeated name keeps its first place and its last value.
     *
     * @param fields the fields by name; unmodifiable
     */
    record JsonObject(Map<String, JsonValue> fields) implements JsonValue {

        public JsonObject {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /**
         * The value of field {@code name}, or {@link JsonNull} when there is no such field: to the parsers a missing
         * field and a null one mean the same, and {@link #has} tells them apart where they do not.
         */
        public JsonValue get(String name) {
            return fields.getOrDefault(name, JsonNull.NULL);
        }

        /** Whether the object has a field {@code name}, also when its value is null. */
        public boolean has(String name) {
            return fields.containsKey(name);
        }

        @Override
        public String toString() {
            return Json.text(this);
        }
    }

    /** @param items the items in their order; unmodifiable */
    record JsonArray(List<JsonValue> items) implements JsonValue {

        public JsonArray {
            items = List.copyOf(items);
        }

        @Override
        public String toString() {
            return Json.text(this);
        }
    }

    /** @param value the text, unescaped */
    record JsonString(String value) implements JsonValue {

        @Override
        public String toString() {
            return Json.text(this);
        }
    }

    /**
     * A number as Jackson reads it, which decides how it is written again.
     *
     * @param value an {@link Integer}, {@link Long} or {@link java.math.BigInteger} for a number without fraction
     *              or exponent, else a {@link Double} (infinite beyond the range of a double)
     */
    record JsonNumber(Number value) implements JsonValue {

        @Override
        public String toString() {
            return Json.text(this);
        }
    }

    record JsonBoolean(boolean value) implements JsonValue {

        @Override
        public String toString() {
            return Json.text(this);
        }
    }

    /** JSON's {@code null}; also what {@link JsonObject#get} returns for a missing field. */
    enum JsonNull implements JsonValue {
        NULL;

        @Override
        public String toString() {
            return Json.text(this);
        }
    }
}
