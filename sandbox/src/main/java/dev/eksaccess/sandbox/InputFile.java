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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A file the sandbox plays: an EventBridge event (a JSON object with {@code detail-type}), an aws-auth ConfigMap
 * (YAML or JSON, {@code kind: ConfigMap} named {@code aws-auth}, its cluster named by the annotation
 * {@link #CLUSTER_ANNOTATION}), an {@code eks-access} command line (a text file whose one line that is not a
 * {@code #} comment starts with {@value #CLI_PREFIX}), or the body of a grant-queue message (anything else, byte for
 * byte, so that malformed requests reach the processor as they would in AWS). A CreateCluster event given with
 * {@code --existing} is an {@link ExistingCluster}.
 */
public sealed interface InputFile permits InputFile.Event, InputFile.Message, InputFile.AwsAuthConfigMap,
        InputFile.CliCommand, InputFile.ExistingCluster {

    /** The annotation of an aws-auth ConfigMap file that names the sandbox cluster it belongs to. */
    String CLUSTER_ANNOTATION = "eks-access.dev/cluster";

    /** How the one line of an {@code eks-access} command file starts. */
    String CLI_PREFIX = "eks-access ";

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
     * An {@code eks-access} command line, run by the real CLI in the sandbox as the sender in force.
     *
     * @param args the words after {@code eks-access}, split at white space (no quoting)
     */
    record CliCommand(Path path, String text, List<String> args) implements InputFile {

        public CliCommand {
            args = List.copyOf(args);
        }

        /** The command as typed: {@code eks-access adopt --plan}. */
        public String commandLine() {
            return (CLI_PREFIX + String.join(" ", args)).strip();
        }
    }

    /**
     * A CloudTrail CreateCluster event of a cluster that existed before eks-access was deployed: the cluster is made in
     * the EKS emulator as it is now (ACTIVE, created {@code Sandbox.EXISTING_AGE} ago) and the event is put in the
     * emulated CloudTrail event history only, never delivered to the rule.
     */
    record ExistingCluster(Event event) implements InputFile {

        @Override
        public Path path() {
            return event.path();
        }

        @Override
        public String text() {
            return event.text();
        }
    }

    /**
     * {@code file} as the CreateCluster event of a cluster that existed before ({@code --existing FILE}).
     *
     * @throws UnplayableFileException when it is no EventBridge event
     */
    static ExistingCluster existing(InputFile file) {
        if (file instanceof Event event) {
            return new ExistingCluster(event);
        }
        throw new UnplayableFileException(file.path(), "is not an EventBridge event; --existing takes the CloudTrail "
                + "CreateCluster event of a cluster that existed before (events/cloudtrail/create-cluster/)");
    }

    /**
     * An aws-auth ConfigMap for cluster {@code clusterName}: attached to it, and served by its Kubernetes API.
     *
     * @param data the ConfigMap's {@code data} ({@code mapRoles}, {@code mapUsers}, {@code mapAccounts}), as written
     */
    record AwsAuthConfigMap(Path path, String text, String clusterName, Map<String, String> data)
            implements InputFile {

        public AwsAuthConfigMap {
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }
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
        Optional<CliCommand> command = commandOrEmpty(path, text);
        if (command.isPresent()) {
            return command.get();
        }
        Optional<AwsAuthConfigMap> awsAuth = awsAuthOrEmpty(path, text);
        if (awsAuth.isPresent()) {
            return awsAuth.get();
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

    /**
     * The file as an aws-auth ConfigMap, if it is a YAML (or JSON) document of {@code kind: ConfigMap} named
     * {@code aws-auth}.
     *
     * @throws UnplayableFileException when it is one but names no cluster, or its {@code data} is not text by key
     */
    private static Optional<AwsAuthConfigMap> awsAuthOrEmpty(Path path, String text) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().build()).loadFromString(text);
        } catch (RuntimeException notYaml) {
            return Optional.empty();
        }
        if (!(document instanceof Map<?, ?> map) || !"ConfigMap".equals(map.get("kind"))
                || !(map.get("metadata") instanceof Map<?, ?> metadata) || !"aws-auth".equals(metadata.get("name"))) {
            return Optional.empty();
        }
        Object cluster = metadata.get("annotations") instanceof Map<?, ?> annotations
                ? annotations.get(CLUSTER_ANNOTATION) : null;
        if (!(cluster instanceof String name) || name.isBlank()) {
            throw new UnplayableFileException(path, "is an aws-auth ConfigMap that names no cluster: add the "
                    + "annotation metadata.annotations." + CLUSTER_ANNOTATION + ": CLUSTER_NAME");
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (map.get("data") instanceof Map<?, ?> entries) {
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                if (!(entry.getKey() instanceof String key) || !(entry.getValue() instanceof String value)) {
                    throw new UnplayableFileException(path, "is an aws-auth ConfigMap whose data." + entry.getKey()
                            + " is not text; a ConfigMap's data values are strings (mapRoles: |)");
                }
                data.put(key, value);
            }
        } else if (map.get("data") != null) {
            throw new UnplayableFileException(path, "is an aws-auth ConfigMap whose data is not a map");
        }
        return Optional.of(new AwsAuthConfigMap(path, text, name.trim(), data));
    }

    /**
     * The file as an {@code eks-access} command, if its first line that is neither blank nor a {@code #} comment starts
     * with {@value #CLI_PREFIX}.
     *
     * @throws UnplayableFileException when it is one but holds more than one command line
     */
    private static Optional<CliCommand> commandOrEmpty(Path path, String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (lines.isEmpty() || !lines.getFirst().startsWith(CLI_PREFIX)) {
            return Optional.empty();
        }
        if (lines.size() > 1) {
            throw new UnplayableFileException(path, "holds " + lines.size() + " lines that are not comments; an "
                    + "eks-access file holds one command line");
        }
        String words = lines.getFirst().substring(CLI_PREFIX.length()).strip();
        return Optional.of(new CliCommand(path, text, words.isEmpty() ? List.of() : List.of(words.split("\\s+"))));
    }

    private static JsonNode parseOrNull(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
