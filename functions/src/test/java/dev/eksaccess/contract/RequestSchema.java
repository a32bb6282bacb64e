package dev.eksaccess.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Schema;
import dev.eksaccess.testing.EventFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The grant queue's contract v1 as a JSON Schema ({@value #RESOURCE} in the contract module), and its verdict on a
 * message body as a sender's validator would give it: the body is read as JSON first (a body that is not one JSON
 * value cannot be validated, and counts as refused), repeated keys keep their last value as in most JSON readers.
 */
public final class RequestSchema {

    /** Where the schema is on the classpath (contract's resources). */
    public static final String RESOURCE = "dev/eksaccess/contract/access-request-v1.schema.json";
    /** Where the schema is in the repository. */
    public static final String REPO_PATH = "contract/src/main/resources/" + RESOURCE;
    /** The internal bootstrap message's definition inside the schema. */
    public static final String BOOTSTRAP_POINTER = "#/$defs/bootstrap";
    /** An approver's approve or deny message's definition inside the schema. */
    public static final String DECISION_POINTER = "#/$defs/decision";
    /** The expiry sweep's expire message's definition inside the schema. */
    public static final String EXPIRE_POINTER = "#/$defs/expire";
    /** A migrate message's definition inside the schema. */
    public static final String MIGRATE_POINTER = "#/$defs/migrate";
    /** A recover message's definition inside the schema. */
    public static final String RECOVER_POINTER = "#/$defs/recover";

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final ObjectMapper NO_DUPLICATES = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final JsonSchemaFile FILE = new JsonSchemaFile(RESOURCE);
    private static final JsonNode TREE = FILE.tree();
    /** The schema's {@code $id}. */
    public static final String ID = FILE.id();
    private static final Schema TEAM_MESSAGE = schema("");
    private static final Schema BOOTSTRAP = schema(BOOTSTRAP_POINTER);
    private static final Schema DECISION = schema(DECISION_POINTER);
    private static final Schema EXPIRE = schema(EXPIRE_POINTER);
    /** The drift function's restore message's definition inside the schema. */
    public static final String RESTORE_POINTER = "#/$defs/restore";
    private static final Schema RESTORE = schema(RESTORE_POINTER);
    private static final Schema MIGRATE = schema(MIGRATE_POINTER);
    private static final Schema RECOVER = schema(RECOVER_POINTER);
    private static final Map<String, Schema> PARTS = new ConcurrentHashMap<>();

    private RequestSchema() {
    }

    /** What a validator makes of one message body. */
    public record Verdict(boolean readable, List<String> errors) {
        public boolean accepted() {
            return readable && errors.isEmpty();
        }

        @Override
        public String toString() {
            return !readable ? "unreadable as JSON" : errors.isEmpty() ? "accepted" : "refused: " + errors;
        }
    }

    /** The verdict of the team schema on {@code body}. */
    public static Verdict validate(String body) {
        return validate(TEAM_MESSAGE, body);
    }

    /** The verdict of the bootstrap definition on {@code body}. */
    public static Verdict validateBootstrap(String body) {
        return validate(BOOTSTRAP, body);
    }

    /**
     * The verdict on {@code body} of what the grant processor takes from the queue: the bootstrap definition for a
     * body whose action is bootstrap, the decision definition for approve and deny, the expire definition for expire,
     * the migrate definition for migrate, the recover definition for recover, the team schema for any other.
     */
    public static Verdict validateQueueMessage(String body) {
        String action = readTree(body).filter(JsonNode::isObject).map(json -> json.path("action").asText(null))
                .orElse("");
        Schema schema = switch (action) {
            case "bootstrap" -> BOOTSTRAP;
            case "approve", "deny" -> DECISION;
            case "expire" -> EXPIRE;
            case "restore" -> RESTORE;
            case "migrate" -> MIGRATE;
            case "recover" -> RECOVER;
            default -> TEAM_MESSAGE;
        };
        return validate(schema, body);
    }

    /** The verdict of the (sub)schema at {@code pointer} (e.g. {@code #/$defs/instant}) on the JSON value {@code json}. */
    public static Verdict validateValue(String pointer, JsonNode json) {
        return verdict(PARTS.computeIfAbsent(pointer, RequestSchema::schema).validate(json));
    }

    /** The repository root, found from a sample (the way to it differs between branches of the test helpers). */
    public static Path repoRoot() {
        return EventFiles.path("requests/bootstrap.json").toAbsolutePath().getParent().getParent().getParent();
    }

    /** The schema as a tree. */
    public static JsonNode tree() {
        return TREE.deepCopy();
    }

    /** The body as a tree, or empty when it is not exactly one JSON value. */
    public static Optional<JsonNode> readTree(String body) {
        return read(STRICT, body);
    }

    /** Whether the body is one JSON value only when repeated keys are tolerated. */
    public static boolean hasDuplicateKeys(String body) {
        return readTree(body).isPresent() && read(NO_DUPLICATES, body).isEmpty();
    }

    private static Verdict validate(Schema schema, String body) {
        return readTree(body).map(json -> verdict(schema.validate(json))).orElse(new Verdict(false, List.of()));
    }

    private static Verdict verdict(List<com.networknt.schema.Error> errors) {
        return new Verdict(true, errors.stream().map(error -> error.toString()).toList());
    }

    private static Schema schema(String pointer) {
        return FILE.schema(pointer);
    }

    private static Optional<JsonNode> read(ObjectMapper mapper, String body) {
        if (body == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(mapper.readTree(body)).filter(json -> !json.isMissingNode());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
