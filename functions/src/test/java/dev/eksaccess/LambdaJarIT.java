package dev.eksaccess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar that Lambda runs ({@code functions/target/functions-*-lambda.jar}, built in {@code package}, before
 * Failsafe) leaves out what would only slow its cold start: Jackson databind and its modules (the functions read and
 * write JSON with Jackson's streaming API, {@code dev.eksaccess.json}) and every HTTP client but the URL connection
 * one.
 */
class LambdaJarIT {

    private static final List<String> ABSENT = List.of(
            "com/fasterxml/jackson/databind/", "com/fasterxml/jackson/datatype/", "com/fasterxml/jackson/annotation/",
            "org/apache/http/", "org/apache/hc/", "io/netty/", "com/networknt/");

    @Test
    void jar_holdsNeitherDatabindNorHeavyHttpClients_butTheStreamingParser() throws IOException {
        try (ZipFile jar = new ZipFile(lambdaJar().toFile());
             Stream<? extends ZipEntry> entries = jar.stream()) {
            List<String> names = entries.map(ZipEntry::getName).toList();

            assertThat(names).filteredOn(name -> ABSENT.stream().anyMatch(name::startsWith)).isEmpty();
            assertThat(names).contains("com/fasterxml/jackson/core/JsonParser.class",
                    "dev/eksaccess/json/Json.class", "dev/eksaccess/handler/ClusterCreatedHandler.class");
        }
    }

    private static Path lambdaJar() throws IOException {
        Path target = RepositoryRoot.resolve("functions/target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().matches("functions-.*-lambda\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no functions-*-lambda.jar in " + target
                            + "; it is built by ./mvnw package"));
        }
    }
}
