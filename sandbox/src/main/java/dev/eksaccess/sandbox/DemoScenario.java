package dev.eksaccess.sandbox;

import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scenario played when no file is given: the files of {@value #FOLDER} in name order (a cluster created by an
 * assumed role, the admin bootstrap it triggers, a team's grants, a refused request, a revoke), with
 * {@link #ADMIN} bootstrapped unless {@code --admin} names others.
 */
final class DemoScenario {

    static final String FOLDER = "events/scenarios/demo";
    static final String ADMIN = "arn:aws:iam::111122223333:role/platform/eks-admin";

    private DemoScenario() {
    }

    /** The demo's files, in play order. */
    static List<Path> files() {
        Path folder = folder();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** In the repository that {@link RepositoryRoot} finds ({@code sandbox.sh} names it; else the working directory). */
    private static Path folder() {
        Path start = RepositoryRoot.searchStart();
        Path folder = RepositoryRoot.find(start).map(root -> root.resolve(FOLDER)).filter(Files::isDirectory)
                .orElseThrow(() -> new UnplayableFileException(Path.of(FOLDER), "was not found in " + start
                        + " or any folder above it; run the sandbox from inside the repository, or give the files to"
                        + " play"));
        return relativeToWorkingDir(folder);
    }

    /** Short paths in the report when the demo is below the working directory. */
    private static Path relativeToWorkingDir(Path path) {
        Path workingDir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        return path.startsWith(workingDir) ? workingDir.relativize(path) : path;
    }
}
