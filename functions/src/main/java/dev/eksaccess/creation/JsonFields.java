package dev.eksaccess.creation;

import dev.eksaccess.json.JsonValue;
import dev.eksaccess.json.JsonValue.JsonBoolean;
import dev.eksaccess.json.JsonValue.JsonNull;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.json.JsonValue.JsonString;
import java.util.Optional;

/**
 * Reads fields of a JSON event by their dotted path, so that every error names the exact field
 * (for example {@code detail.userIdentity.sessionContext.sessionIssuer.arn}).
 */
final class JsonFields {

    private final JsonObject object;
    private final String path;

    JsonFields(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    /** The value at {@code field} as it is; {@link JsonNull} when absent. */
    JsonValue value(String field) {
        return object.get(field);
    }

    /** The object at {@code field}, required. */
    JsonFields object(String field) {
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
    Optional<JsonFields> optionalObject(String field) {
        if (object.get(field) instanceof JsonNull) {
            return Optional.empty();
        }
        return Optional.of(object(field));
    }

    /** The non-blank text at {@code field}, required. */
    String text(String field) {
        return optionalText(field).orElseThrow(() -> new MalformedEventException(pathOf(field) + " is missing"));
    }

    /** The non-blank text at {@code field}; empty when absent, null or blank. */
    Optional<String> optionalText(String field) {
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

    /** The boolean at {@code field}; empty when absent or null. */
    Optional<Boolean> optionalBoolean(String field) {
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
    String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
