package dev.eksaccess.creation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Reads fields of a JSON event by their dotted path, so that every error names the exact field
 * (for example {@code detail.userIdentity.sessionContext.sessionIssuer.arn}).
 */
final class JsonFields {

    private final JsonNode node;
    private final String path;

    JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The object at {@code field}, required. */
    JsonFields object(String field) {
        JsonNode child = node.get(field);
        if (child == null || child.isNull()) {
            throw new MalformedEventException(pathOf(field) + " is missing");
        }
        if (!child.isObject()) {
            throw new MalformedEventException(pathOf(field) + " is not a JSON object");
        }
        return new JsonFields(child, pathOf(field));
    }

    /** The object at {@code field}, when present and not null. */
    Optional<JsonFields> optionalObject(String field) {
        JsonNode child = node.get(field);
        if (child == null || child.isNull()) {
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
        JsonNode child = node.get(field);
        if (child == null || child.isNull()) {
            return Optional.empty();
        }
        if (!child.isTextual()) {
            throw new MalformedEventException(pathOf(field) + " is not a string");
        }
        String value = child.asText().trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The boolean at {@code field}; empty when absent or null. */
    Optional<Boolean> optionalBoolean(String field) {
        JsonNode child = node.get(field);
        if (child == null || child.isNull()) {
            return Optional.empty();
        }
        if (!child.isBoolean()) {
            throw new MalformedEventException(pathOf(field) + " is not true or false: " + child);
        }
        return Optional.of(child.booleanValue());
    }

    /** Whether {@code field} is present with a value other than null. */
    boolean has(String field) {
        JsonNode child = node.get(field);
        return child != null && !child.isNull();
    }

    /** The dotted path of {@code field} under this object. */
    String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
