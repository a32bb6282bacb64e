package dev.eksaccess.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads fixture files from the repository's {@code events/} folder, wherever the tests run from. */
public final class RepoFiles {

    private RepoFiles() {
    }

    /** The repository root: system property {@code eksaccess.repoRoot}, else the nearest folder with {@code events/}. */
    public static Path root() {
        String configured = System.getProperty("eksaccess.repoRoot");
        if (configured != null && Files.isDirectory(Path.of(configured, "events"))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("events"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no events/ folder above " + Path.of("").toAbsolutePath());
    }

    /** The body of {@code events/requests/NAME}. */
    public static String request(String name) {
        try {
            return Files.readString(root().resolve("events/requests").resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
