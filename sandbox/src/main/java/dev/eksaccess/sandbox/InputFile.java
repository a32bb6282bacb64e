package dev.eksaccess.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file the sandbox plays: an EventBridge event (a JSON object with {@code detail-type}) or the body of a grant-queue
 * message (anything else, byte for byte, so that malformed requests reach the processor as they would in AWS).
 */
public sealed interface InputFile permits InputFile.Event, InputFile.Message {

    /** Largest SQS message body. */
    int MAX_MESSAGE_BYTES = 256 * 1024;

    /** Where it was read from, as given. */
    Path path();

    /** The file's text. */
    String text();

    /** An EventBridge event: delivered to the rule, and to the cluster-creation function if the pattern matches. */
    record Event(Path path, String text, JsonNode json) implements InputFile {
    }

    /** A grant-queue message body. */
    record Message(Path path, String text) implements InputFile {
    }

    /**
     * Reads and classifies a file.
     *
     * @throws UnplayableFileException saying why the file cannot be played (missing, a directory, unreadable, not
     *                                 UTF-8 text, empty, too large for SQS)
     */
    static InputFile read(Path path) {
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw new UnplayableFileException(path, "is a directory; give the files in it instead");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UnplayableFileException(path, "does not exist");
        } catch (AccessDeniedException e) {
            throw new UnplayableFileException(path, "is not readable (permission denied)");
        } catch (IOException e) {
            throw new UnplayableFileException(path, "cannot be read: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UnplayableFileException(path, "is not UTF-8 text; events and SQS message bodies are text");
        }
        JsonNode json = parseOrNull(text);
        if (json != null && json.isObject() && json.has("detail-type")) {
            return new Event(path, text, json);
        }
        if (text.isEmpty()) {
            throw new UnplayableFileException(path, "is empty; SQS refuses an empty message body");
        }
        if (bytes.length > MAX_MESSAGE_BYTES) {
            throw new UnplayableFileException(path, "has " + bytes.length + " bytes; an SQS message body has at most "
                    + MAX_MESSAGE_BYTES);
        }
        return new Message(path, text);
    }

    private static JsonNode parseOrNull(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
