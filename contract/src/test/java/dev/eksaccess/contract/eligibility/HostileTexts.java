package dev.eksaccess.contract.eligibility;

import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue;
import dev.eksaccess.json.JsonValue.JsonArray;
import dev.eksaccess.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Text that is not a usable eligibility document, or barely one: noise, near-JSON, documents cut short or with a
 * character changed, repeated field names, nesting past the reader's limit of 1,000 levels, huge strings, other JSON
 * values, and random objects made of the document's field names.
 *
 * @param change        what the text is, for people
 * @param text          the text
 * @param mustBeRefused whether no reading could accept it
 */
record HostileTexts(String change, String text, boolean mustBeRefused) {

    /** Jackson's nesting limit, which the eligibility parser inherits through {@code Json}. */
    static final int MAX_DEPTH = 1000;

    /** Every field name the document knows, and tag keys. */
    private static final List<String> NAMES = names();

    private static final List<Function<SplittableRandom, HostileTexts>> KINDS = List.of(
            HostileTexts::noise, HostileTexts::nearJson, HostileTexts::cutShort, HostileTexts::oneCharacterChanged,
            HostileTexts::repeatedName, HostileTexts::deep, HostileTexts::hugeString, HostileTexts::notAnObject,
            HostileTexts::notOneValue, HostileTexts::randomObject);

    @Override
    public String toString() {
        return change + (mustBeRefused ? " (must be refused)" : "") + ":\n" + text;
    }

    static HostileTexts any(SplittableRandom random) {
        return Pick.one(random, KINDS).apply(random);
    }

    private static HostileTexts noise(SplittableRandom random) {
        int length = random.nextInt(0, 300);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) random.nextInt(0x10000));
        }
        return new HostileTexts("UTF-16 noise", text.toString(), true);
    }

    private static HostileTexts nearJson(SplittableRandom random) {
        return new HostileTexts("near-JSON", Pick.text(random, "{}[]\":,.-+0123456789eEtruefalsnversionrules \\u",
                0, 300), false);
    }

    private static HostileTexts cutShort(SplittableRandom random) {
        String text = JsonTree.write(ValidDocuments.document(random));
        return new HostileTexts("valid document cut short", text.substring(0, random.nextInt(text.length())), true);
    }

    private static HostileTexts oneCharacterChanged(SplittableRandom random) {
        StringBuilder text = new StringBuilder(JsonTree.write(ValidDocuments.document(random)));
        int at = random.nextInt(text.length());
        char c = Pick.one(random, List.of('"', '\\', '{', '}', '[', ']', ',', ':', '*', ' ', '\u0000', 'x', '1'));
        switch (random.nextInt(3)) {
            case 0 -> text.setCharAt(at, c);
            case 1 -> text.insert(at, c);
            default -> text.deleteCharAt(at);
        }
        return new HostileTexts("valid document with one character changed", text.toString(), false);
    }

    /** A field written twice in one object (the reader refuses repeated names: which would count is unclear). */
    private static HostileTexts repeatedName(SplittableRandom random) {
        JsonValue document = ValidDocuments.document(random);
        List<List<Object>> fields = JsonTree.places(document).stream()
                .filter(place -> place.getLast() instanceof String).toList();
        List<Object> field = Pick.one(random, fields);
        String name = (String) field.getLast();
        List<Object> parent = field.subList(0, field.size() - 1);
        JsonObject object = (JsonObject) JsonTree.at(document, parent);
        String again = Json.quote(name) + ":" + BrokenDocuments.anyValue(random);
        String objectText = object.toString();
        String changed = objectText.substring(0, objectText.length() - 1) + "," + again + "}";
        String text = JsonTree.write(document).replace(objectText, changed);
        return new HostileTexts("field " + JsonTree.name(field) + " written twice", text, true);
    }

    /** Arrays nested around the reader's limit in place of some value. */
    private static HostileTexts deep(SplittableRandom random) {
        JsonValue document = BrokenDocuments.withARule(random, ValidDocuments.document(random));
        List<Object> place = Pick.one(random, JsonTree.places(document));
        int depth = random.nextInt(MAX_DEPTH - 10, MAX_DEPTH + 10);
        String marker = "\"@@deep@@\"";
        String text = JsonTree.write(JsonTree.with(document, place, JsonTree.value("@@deep@@")))
                .replace(marker, "[".repeat(depth) + "]".repeat(depth));
        return new HostileTexts(depth + " nested arrays at " + JsonTree.name(place), text, true);
    }

    /** A string of up to 60,000 characters in place of some value, or as a field name. */
    private static HostileTexts hugeString(SplittableRandom random) {
        JsonValue document = BrokenDocuments.withARule(random, ValidDocuments.document(random));
        String huge = Pick.text(random, "ab*- :/\u00e9", 1, 3).repeat(random.nextInt(1_000, 20_000));
        if (Pick.chance(random, 20)) {
            List<List<Object>> objects = JsonTree.places(document).stream()
                    .filter(place -> JsonTree.at(document, place) instanceof JsonObject).toList();
            List<Object> object = objects.isEmpty() ? List.of() : Pick.one(random, objects);
            return new HostileTexts("field of " + huge.length() + " characters in " + JsonTree.name(object),
                    JsonTree.write(JsonTree.with(document, JsonTree.append(object, huge), JsonTree.value(1))), true);
        }
        List<Object> place = Pick.one(random, JsonTree.places(document));
        return new HostileTexts("string of " + huge.length() + " characters at " + JsonTree.name(place),
                JsonTree.write(JsonTree.with(document, place, JsonTree.value(huge))), false);
    }

    private static HostileTexts notAnObject(SplittableRandom random) {
        JsonValue document = ValidDocuments.document(random);
        String text = Pick.one(random, List.of("", " ", "null", "true", "0", "-1.5e7", "\"{}\"", "[]",
                new JsonArray(List.of(document)).toString(), JsonTree.write(ValidDocuments.rules(document).isEmpty()
                        ? JsonTree.value("x") : ValidDocuments.rules(document).getFirst())));
        return new HostileTexts("not an object", Pick.chance(random, 5) ? null : text, true);
    }

    private static HostileTexts notOneValue(SplittableRandom random) {
        String text = JsonTree.write(ValidDocuments.document(random));
        String changed = switch (random.nextInt(7)) {
            case 0 -> text + text;
            case 1 -> text + " x";
            case 2 -> "\ufeff" + text;
            case 3 -> "// eligibility\n" + text;
            case 4 -> text.replace("\"version\":1", "\"version\":NaN");
            case 5 -> text.replace('"', '\'');
            default -> text + "}";
        };
        return new HostileTexts("not exactly one JSON value", changed, true);
    }

    /** Objects whose names are the document's own, with values of any kind: its shape without its meaning. */
    private static HostileTexts randomObject(SplittableRandom random) {
        return new HostileTexts("random object", JsonTree.write(randomValue(random, 4, true)), false);
    }

    private static JsonValue randomValue(SplittableRandom random, int depth, boolean object) {
        if (object || depth > 0 && Pick.chance(random, 30)) {
            Map<String, JsonValue> fields = new LinkedHashMap<>();
            for (int i = random.nextInt(8); i > 0; i--) {
                fields.put(Pick.one(random, NAMES), randomValue(random, depth - 1, false));
            }
            return new JsonObject(fields);
        }
        if (depth > 0 && Pick.chance(random, 30)) {
            List<JsonValue> items = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                items.add(Pick.chance(random, 50) ? JsonTree.value(Pick.one(random, ValidDocuments.IDENTITIES))
                        : randomValue(random, depth - 1, false));
            }
            return new JsonArray(items);
        }
        return BrokenDocuments.anyValue(random);
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (List<String> fields : List.of(ValidDocuments.DOCUMENT_FIELDS, ValidDocuments.RULE_FIELDS,
                ValidDocuments.CLUSTER_FIELDS, ValidDocuments.PRINCIPAL_FIELDS, ValidDocuments.SCOPE_FIELDS,
                ValidDocuments.APPROVAL_FIELDS, ValidDocuments.TAG_KEYS)) {
            names.addAll(fields);
        }
        return List.copyOf(names);
    }
}
