package dev.eksaccess.creation;

import com.fasterxml.jackson.core.JacksonException;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue;
import dev.eksaccess.json.JsonValue.JsonArray;
import dev.eksaccess.json.JsonValue.JsonBoolean;
import dev.eksaccess.json.JsonValue.JsonNull;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.json.JsonValue.JsonString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads fields of a JSON event by their dotted path, so that every error names the exact field
 * (for example {@code detail.userIdentity.sessionContext.sessionIssuer.arn}). Shared by the readers of CloudTrail
 * events ({@code CreateCluster} here, the access changes in {@code drift}).
 */
public final class JsonFields {

    private final JsonObject object;
    private final String path;

    JsonFields(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    /**
     * The event's top-level object, read as AWS sends it: unlike a grant request, a repeated key is not refused (the
     * last value counts).
     *
     * @throws MalformedEventException when the bytes are not JSON or not a JSON object
     */
    public static JsonFields readEvent(byte[] event) {
        Optional<JsonValue> root;
        try {
            root = Json.read(event, Json.Duplicates.KEEP_LAST);
        } catch (JacksonException e) {
            throw new MalformedEventException("the event is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedEventException("the event could not be read: " + e.getMessage());
        }
        if (!(root.orElse(null) instanceof JsonObject object)) {
            throw new MalformedEventException("the event is not a JSON object");
        }
        return new JsonFields(object, "");
    }

    /** The object these fields are read from. */
    public JsonObject json() {
        return object;
    }

    /** The value at {@code field} as it is; {@link JsonNull} when absent. */
    public JsonValue value(String field) {
        return object.get(field);
    }

    /** The object at {@code field}, required. */
    public JsonFields object(String field) {
        JsonValue child = object.get(field);
        if (child instanceof JsonNull) {
            throw new MalformedEventException(pathOf(field) + " is missing");
        }
        if (!(child instanceof JsonObject nested)) {
            throw new MalformedEventException(pathOf(field) + " is not a JSON object");
        }
        return new JsonFields(nested, pathOf(field));
    }

    /** The object at {@code field}, when present and not null. */
    public Optional<JsonFields> optionalObject(String field) {
        if (object.get(field) instanceof JsonNull) {
            return Optional.empty();
        }
        return Optional.of(object(field));
    }

    /** The non-blank text at {@code field}, required. */
    public String text(String field) {
        return optionalText(field).orElseThrow(() -> new MalformedEventException(pathOf(field) + " is missing"));
    }

    /** The non-blank text at {@code field}; empty when absent, null or blank. */
    public Optional<String> optionalText(String field) {
        JsonValue child = object.get(field);
        if (child instanceof JsonNull) {
            return Optional.empty();
        }
        if (!(child instanceof JsonString text)) {
            throw new MalformedEventException(pathOf(field) + " is not a string");
        }
        String value = text.value().trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The strings of the array at {@code field}; empty when absent or null. */
    public List<String> optionalStrings(String field) {
        JsonValue child = object.get(field);
        if (child instanceof JsonNull) {
            return List.of();
        }
        if (!(child instanceof JsonArray array)) {
            throw new MalformedEventException(pathOf(field) + " is not an array");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < array.items().size(); i++) {
            if (!(array.items().get(i) instanceof JsonString text)) {
                throw new MalformedEventException(pathOf(field) + "[" + i + "] is not a string");
            }
            values.add(text.value());
        }
        return List.copyOf(values);
    }

    /** The boolean at {@code field}; empty when absent or null. */
    public Optional<Boolean> optionalBoolean(String field) {
        JsonValue child = object.get(field);
        if (child instanceof JsonNull) {
            return Optional.empty();
        }
        if (!(child instanceof JsonBoolean flag)) {
            throw new MalformedEventException(pathOf(field) + " is not true or false: " + child);
        }
        return Optional.of(flag.value());
    }

    /** The dotted path of {@code field} under this object. */
    public String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
