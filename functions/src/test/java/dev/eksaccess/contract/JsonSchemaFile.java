package dev.eksaccess.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** One of the contract's JSON Schemas (draft 2020-12), loaded from the contract module's resources. */
public final class JsonSchemaFile {

    private final String resource;
    private final JsonNode tree;
    private final String id;
    private final SchemaRegistry registry;

    public JsonSchemaFile(String resource) {
        this.resource = resource;
        String text = load(resource);
        try {
            this.tree = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(resource + " is not JSON", e);
        }
        this.id = tree.path("$id").asText();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(id, text)));
    }

    /** The resource path, for messages. */
    public String resource() {
        return resource;
    }

    /** The schema's {@code $id}. */
    public String id() {
        return id;
    }

    /** The schema as a tree (a copy). */
    public JsonNode tree() {
        return tree.deepCopy();
    }

    /** The (sub)schema at {@code pointer} ({@code ""} for the whole, or e.g. {@code #/$defs/bootstrap}). */
    public Schema schema(String pointer) {
        Schema schema = registry.getSchema(SchemaLocation.of(id + pointer));
        schema.initializeValidators();
        return schema;
    }

    /** The validation errors of {@code json} against the whole schema, as text; empty when valid. */
    public List<String> errors(JsonNode json) {
        return schema("").validate(json).stream().map(Object::toString).toList();
    }

    private static String load(String resource) {
        try (InputStream in = JsonSchemaFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (contract's resources)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
