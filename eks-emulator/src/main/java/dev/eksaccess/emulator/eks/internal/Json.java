package dev.eksaccess.emulator.eks.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JSON reading and writing in the EKS rest-json shapes (timestamps as epoch seconds with a fraction). */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode strings(Collection<String> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    public static ObjectNode stringMap(Map<String, String> values) {
        ObjectNode node = object();
        values.forEach(node::put);
        return node;
    }

    /** The rest-json timestamp format: epoch seconds as a number, millisecond precision. */
    public static BigDecimal timestamp(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    /** An optional string member; present but not a string is a bad parameter. */
    public static Optional<String> optionalString(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiError.invalidParameter(field + " must be a string");
        }
        return Optional.of(node.asText());
    }

    public static String requiredString(JsonNode body, String field) {
        return optionalString(body, field)
                .orElseThrow(() -> ApiError.invalidParameter(field + " is required"));
    }

    /** An optional list of strings; empty optional when the member is absent. */
    public static Optional<List<String>> optionalStringList(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw ApiError.invalidParameter(field + " must be a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw ApiError.invalidParameter(field + " must be a list of strings");
            }
            values.add(item.asText());
        }
        return Optional.of(values);
    }

    public static Optional<Map<String, String>> optionalStringMap(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw ApiError.invalidParameter(field + " must be a map of strings");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw ApiError.invalidParameter(field + " must be a map of strings");
            }
            values.put(e.getKey(), e.getValue().asText());
        }
        return Optional.of(values);
    }
}
