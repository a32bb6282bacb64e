package dev.eksaccess.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue;
import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the sample events in the repository's {@code events/} folder, the fixtures every test tier shares; test-support's
 * {@link RepositoryRoot} finds the folder.
 */
public final class EventFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventFiles() {
    }

    /** The file at {@code relative} under {@code events/}, e.g. {@code cloudtrail/create-cluster/iam-user.json}. */
    public static Path path(String relative) {
        Path file = RepositoryRoot.resolve("events").resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no sample event " + file);
        }
        return file;
    }

    /** The raw bytes of a sample event. */
    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample event as a fresh, mutable JSON tree (tests may edit it to make variants). */
    public static ObjectNode json(String relative) {
        try {
            return (ObjectNode) JSON.readTree(bytes(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON files in {@code folder} under {@code events/}, as paths relative to {@code events/}, sorted. */
    public static List<String> list(String folder) {
        Path events = RepositoryRoot.resolve("events");
        try (Stream<Path> files = Files.list(events.resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .map(f -> events.relativize(f).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of a JSON tree, for code that reads raw events. */
    public static byte[] bytes(ObjectNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON tree as the functions read it, for code that takes a part of an event already read. */
    public static JsonValue value(JsonNode json) {
        try {
            return Json.read(JSON.writeValueAsBytes(json), Json.Duplicates.REJECT).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
