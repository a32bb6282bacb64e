package dev.eksaccess.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the repository is, for code that reads its files outside a jar: the samples in {@code events/} (every test
 * tier), the sandbox's demo scenario, the Node tools {@code npm ci} installs. The search starts at the
 * {@value #PROPERTY} system property (Failsafe, the CDK tests and {@code sandbox.sh} set it to the root), else at the
 * working directory, and goes up to the nearest folder holding {@code events/}, so it works from the root, from a
 * module's folder (Surefire, an IDE) and from anywhere below.
 */
public final class RepositoryRoot {

    /** System property naming the repository root (or a folder below it). */
    public static final String PROPERTY = "eksaccess.repoRoot";

    /** The folder that marks the root: the event samples that every tier shares. */
    static final String MARKER = "events";

    private RepositoryRoot() {
    }

    /** The repository root of this JVM, from its {@value #PROPERTY} property or working directory. */
    public static Path locate() {
        Path start = searchStart();
        return find(start).orElseThrow(() -> new IllegalStateException("Cannot find the repository root: no "
                + MARKER + "/ folder in " + start + " or any folder above it. Run from inside the repository, or pass -D"
                + PROPERTY + "=<repository root>."));
    }

    /** {@code relative} under the repository root, e.g. {@code events/requests/revoke-all.json}. */
    public static Path resolve(String relative) {
        return locate().resolve(relative);
    }

    /** Where this JVM's search starts: the {@value #PROPERTY} property when set, else the working directory. */
    public static Path searchStart() {
        return searchStart(System.getProperty(PROPERTY), Path.of(System.getProperty("user.dir")));
    }

    /**
     * Where a search starts, from explicit inputs: {@code property} unless it is null or blank, else
     * {@code workingDirectory}; absolute and normalized.
     */
    public static Path searchStart(String property, Path workingDirectory) {
        Path start = property == null || property.isBlank() ? workingDirectory : Path.of(property);
        return start.toAbsolutePath().normalize();
    }

    /** The nearest folder from {@code start} upwards that holds {@code events/}; empty when there is none. */
    public static Optional<Path> find(Path start) {
        for (Path folder = start.toAbsolutePath().normalize(); folder != null; folder = folder.getParent()) {
            if (Files.isDirectory(folder.resolve(MARKER))) {
                return Optional.of(folder);
            }
        }
        return Optional.empty();
    }
}
