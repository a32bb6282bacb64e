package dev.eksaccess.contract.eligibility;

import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue;
import dev.eksaccess.json.JsonValue.JsonArray;
import dev.eksaccess.json.JsonValue.JsonBoolean;
import dev.eksaccess.json.JsonValue.JsonNumber;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.json.JsonValue.JsonString;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds, edits and writes the JSON trees of generated eligibility documents. A place in a tree is a list of
 * segments, field names ({@link String}) and array indexes ({@link Integer}), written the way the parser names it in
 * its problems: {@code $.rules[2].clusters.tags.team[0]}.
 */
final class JsonTree {

    private static final HexFormat HEX = HexFormat.of();

    private JsonTree() {
    }

    /** An object of the fields {@code nameValues} (name, value, name, value, ...), in that order. */
    static JsonObject object(Object... nameValues) {
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            fields.put((String) nameValues[i], value(nameValues[i + 1]));
        }
        return new JsonObject(fields);
    }

    /** A JSON value for a Java one: strings, booleans, integers, lists of them, and JSON values as they are. */
    static JsonValue value(Object value) {
        return switch (value) {
            case JsonValue json -> json;
            case String text -> new JsonString(text);
            case Boolean flag -> new JsonBoolean(flag);
            case Integer number -> new JsonNumber(number);
            case List<?> items -> new JsonArray(items.stream().map(JsonTree::value).toList());
            default -> throw new IllegalArgumentException("no JSON value for " + value.getClass());
        };
    }

    /** A place of these segments. */
    static List<Object> place(Object... segments) {
        return List.of(segments);
    }

    /** The parser's name of a place: {@code $}, then {@code .field} or {@code [index]} per segment. */
    static String name(List<Object> place) {
        StringBuilder name = new StringBuilder("$");
        for (Object segment : place) {
            name.append(segment instanceof Integer index ? "[" + index + "]" : "." + segment);
        }
        return name.toString();
    }

    /** Every place below {@code root} (not the root itself), parents before children, in document order. */
    static List<List<Object>> places(JsonValue root) {
        List<List<Object>> places = new ArrayList<>();
        collect(root, List.of(), places);
        return places;
    }

    private static void collect(JsonValue value, List<Object> at, List<List<Object>> places) {
        if (value instanceof JsonObject object) {
            for (Map.Entry<String, JsonValue> field : object.fields().entrySet()) {
                List<Object> place = append(at, field.getKey());
                places.add(place);
                collect(field.getValue(), place, places);
            }
        } else if (value instanceof JsonArray array) {
            for (int i = 0; i < array.items().size(); i++) {
                List<Object> place = append(at, i);
                places.add(place);
                collect(array.items().get(i), place, places);
            }
        }
    }

    /** {@code place} with {@code segment} after it. */
    static List<Object> append(List<Object> place, Object segment) {
        List<Object> longer = new ArrayList<>(place);
        longer.add(segment);
        return List.copyOf(longer);
    }

    /** Whether {@code prefix} is {@code place} or a place above it. */
    static boolean within(List<Object> place, List<Object> prefix) {
        return place.size() >= prefix.size() && place.subList(0, prefix.size()).equals(prefix);
    }

    /** The value at {@code place}, or null when there is none. */
    static JsonValue at(JsonValue root, List<Object> place) {
        JsonValue value = root;
        for (Object segment : place) {
            if (segment instanceof String field && value instanceof JsonObject object && object.has(field)) {
                value = object.get(field);
            } else if (segment instanceof Integer index && value instanceof JsonArray array
                    && index < array.items().size()) {
                value = array.items().get(index);
            } else {
                return null;
            }
        }
        return value;
    }

    /**
     * {@code root} with {@code value} at {@code place}: a field set or added (removed when {@code value} is null), an
     * array item replaced, or appended when the index is the array's size. The place's parent must exist.
     */
    static JsonValue with(JsonValue root, List<Object> place, JsonValue value) {
        if (place.isEmpty()) {
            return value;
        }
        Object segment = place.get(0);
        List<Object> rest = place.subList(1, place.size());
        if (root instanceof JsonObject object && segment instanceof String field) {
            Map<String, JsonValue> fields = new LinkedHashMap<>(object.fields());
            JsonValue changed = rest.isEmpty() ? value : with(object.get(field), rest, value);
            if (changed == null) {
                fields.remove(field);
            } else {
                fields.put(field, changed);
            }
            return new JsonObject(fields);
        }
        if (root instanceof JsonArray array && segment instanceof Integer index && index <= array.items().size()) {
            List<JsonValue> items = new ArrayList<>(array.items());
            JsonValue changed = rest.isEmpty() ? value : with(items.get(index), rest, value);
            if (index == items.size()) {
                items.add(changed);
            } else {
                items.set(index, changed);
            }
            return new JsonArray(items);
        }
        throw new IllegalArgumentException("no place " + name(place) + " in " + root);
    }

    /** Compact JSON text, fields in their order. */
    static String write(JsonValue value) {
        return value.toString();
    }

    /**
     * JSON text of the same value written otherwise: random white space between tokens, the fields of every object in
     * a random order, and some strings written as {@code \}{@code uXXXX} escapes.
     */
    static String rewrite(JsonValue value, SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        rewrite(value, random, text);
        return text.toString();
    }

    private static void rewrite(JsonValue value, SplittableRandom random, StringBuilder text) {
        space(random, text);
        switch (value) {
            case JsonObject object -> {
                text.append('{');
                List<String> names = Pick.some(random, List.copyOf(object.fields().keySet()), object.fields().size(),
                        object.fields().size());
                for (int i = 0; i < names.size(); i++) {
                    text.append(i == 0 ? "" : ",");
                    string(names.get(i), random, text);
                    space(random, text);
                    text.append(':');
                    rewrite(object.get(names.get(i)), random, text);
                }
                text.append('}');
            }
            case JsonArray array -> {
                text.append('[');
                for (int i = 0; i < array.items().size(); i++) {
                    text.append(i == 0 ? "" : ",");
                    rewrite(array.items().get(i), random, text);
                }
                space(random, text);
                text.append(']');
            }
            case JsonString string -> string(string.value(), random, text);
            default -> text.append(value);
        }
        space(random, text);
    }

    private static void string(String value, SplittableRandom random, StringBuilder text) {
        space(random, text);
        if (Pick.chance(random, 80)) {
            text.append(Json.quote(value));
            return;
        }
        text.append('"');
        for (char c : value.toCharArray()) {
            text.append("\\u").append(HEX.formatHex(new byte[] {(byte) (c >> 8), (byte) c}));
        }
        text.append('"');
    }

    private static void space(SplittableRandom random, StringBuilder text) {
        if (Pick.chance(random, 20)) {
            text.append(Pick.one(random, List.of(" ", "\n", "\t", "\r\n  ", "    ")));
        }
    }
}
