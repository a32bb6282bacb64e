package dev.eksaccess.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the Node.js executable and the repository's dynalite install are. The search starts where
 * {@link RepositoryRoot#searchStart()} says (the {@value RepositoryRoot#PROPERTY} system property, else the working
 * directory) and goes up to the nearest folder that holds a {@code package.json} and, after {@code npm ci},
 * {@code node_modules/dynalite}: that is the Node project, which need not be the folder holding {@code events/}.
 */
record NodeTooling(Path node, Path dynaliteCli, Path repositoryRoot) {

    private static final Path DYNALITE_CLI = Path.of("node_modules", "dynalite", "cli.js");

    /** Locates the tooling for this JVM: its system properties, working directory and {@code PATH}. */
    static NodeTooling locate() {
        return locate(System.getProperty(RepositoryRoot.PROPERTY), Path.of(System.getProperty("user.dir")),
                System.getenv("PATH"));
    }

    /**
     * Locates the tooling from explicit inputs.
     *
     * @param repoRootProperty value of {@value RepositoryRoot#PROPERTY}, or {@code null}
     * @param workingDirectory where to search from when the property is absent
     * @param path the {@code PATH} to search for {@code node}
     * @throws EmulatorUnavailableException naming what is missing and the command that installs it
     */
    static NodeTooling locate(String repoRootProperty, Path workingDirectory, String path) {
        Path from = RepositoryRoot.searchStart(repoRootProperty, workingDirectory);
        Path root = findPackageJsonFolder(from)
                .orElseThrow(() -> new EmulatorUnavailableException("Cannot find the repository root: no package.json in "
                        + from + " or any folder above it. Run the tests from inside the repository, or pass -D"
                        + RepositoryRoot.PROPERTY + "=<repository root>."));
        Path node = findOnPath("node", path)
                .orElseThrow(() -> new EmulatorUnavailableException("Node.js is not installed: no `node` executable on "
                        + "PATH. dynalite (emulated DynamoDB) runs on Node.js 20 or newer; install it (e.g. "
                        + "`apt-get install nodejs npm`), then run `npm ci` in " + root
                        + ". Or use -D" + BackendChoice.PROPERTY + "=localstack where Docker is available."));
        Path cli = root.resolve(DYNALITE_CLI);
        if (!Files.isRegularFile(cli)) {
            throw new EmulatorUnavailableException("dynalite (emulated DynamoDB) is not installed: " + cli
                    + " does not exist. Run `npm ci` in " + root + " to install the Node tools package-lock.json pins.");
        }
        return new NodeTooling(node, cli, root);
    }

    /**
     * The nearest folder with a {@code package.json} whose dynalite is installed, or else the nearest one with a
     * {@code package.json} at all (so the error can say where {@code npm ci} is missing).
     */
    private static Optional<Path> findPackageJsonFolder(Path start) {
        Path nearest = null;
        for (Path folder = start; folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("package.json"))) {
                if (Files.isRegularFile(folder.resolve(DYNALITE_CLI))) {
                    return Optional.of(folder);
                }
                if (nearest == null) {
                    nearest = folder;
                }
            }
        }
        return Optional.ofNullable(nearest);
    }

    private static Optional<Path> findOnPath(String executable, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path candidate = Path.of(entry, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
