package dev.eksaccess.sandbox;

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
    /** Failsafe and {@code sandbox.sh} set it; otherwise the working directory and its parents are searched. */
    static final String REPO_ROOT_PROPERTY = "eksaccess.repoRoot";

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

    private static Path folder() {
        String root = System.getProperty(REPO_ROOT_PROPERTY);
        Path start = (root == null || root.isBlank() ? Path.of(System.getProperty("user.dir")) : Path.of(root))
                .toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FOLDER);
            if (Files.isDirectory(candidate)) {
                return relativeToWorkingDir(candidate);
            }
        }
        throw new UnplayableFileException(Path.of(FOLDER), "was not found in " + start + " or any folder above it; "
                + "run the sandbox from inside the repository, or give the files to play");
    }

    /** Short paths in the report when the demo is below the working directory. */
    private static Path relativeToWorkingDir(Path path) {
        Path workingDir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        return path.startsWith(workingDir) ? workingDir.relativize(path) : path;
    }
}
