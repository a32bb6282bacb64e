package dev.eksaccess.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The contract's approve/deny message ({@code access-request-v1.schema.json}, {@code $defs/decision}). */
final class DecisionSchema {

    private static final String RESOURCE = "dev/eksaccess/contract/access-request-v1.schema.json";
    private static final Schema SCHEMA = load();

    private DecisionSchema() {
    }

    /** Why {@code message} is not a decision message by the schema; empty when it is one. */
    static List<String> errors(JsonNode message) {
        return SCHEMA.validate(message).stream().map(Object::toString).toList();
    }

    private static Schema load() {
        try (InputStream in = DecisionSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String id = JsonOutput.JSON.readTree(text).path("$id").asText();
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemas(Map.of(id, text)));
            Schema schema = registry.getSchema(SchemaLocation.of(id + "#/$defs/decision"));
            schema.initializeValidators();
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
