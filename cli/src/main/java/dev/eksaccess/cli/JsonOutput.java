package dev.eksaccess.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** JSON for people and scripts alike: pretty-printed, one document per run, on stdout. */
final class JsonOutput {

    static final ObjectMapper JSON = new ObjectMapper();

    private JsonOutput() {
    }

    static void print(PrintWriter out, JsonNode document) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("writing a JSON tree", e);
        }
        out.flush();
    }

    /** {@code json}, which this program wrote itself, as a tree. */
    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("re-reading our own JSON", e);
        }
    }
}
