package dev.eksaccess.sandbox;

import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.contract.eligibility.EligibilityDocumentException;
import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The scenario played when no file is given: the files of {@value #FOLDER} in the order {@value #MANIFEST} lists them,
 * each sent by the sender named above it (a cluster created by an assumed role, the admin bootstrap it triggers, a
 * team's grants, a refused request, a revoke, an admin grant held for approval, refused when its requester approves
 * it and applied when the approver does, then revoked when it expires, and a sender no rule names), with
 * {@link #ADMIN} bootstrapped unless {@code --admin} names others. Also where the built-in eligibility document is.
 */
final class DemoScenario {

    static final String FOLDER = "events/scenarios/demo";
    /** In {@link #FOLDER}: one argument a line, as on the command line ({@code --sender ARN} or a file name). */
    static final String MANIFEST = "play.args";
    static final String ADMIN = "arn:aws:iam::111122223333:role/platform/eks-admin";
    /** The document the grant processor decides with when {@code --eligibility} names none. */
    static final String BUILT_IN_ELIGIBILITY = "events/eligibility/sandbox.json";

    /** An eligibility document, and where it was read from. */
    record Eligibility(EligibilityDocument document, String source) {
    }

    private DemoScenario() {
    }

    /**
     * The demo's files, in play order, each with its sender: the team sender until the manifest names another.
     *
     * @throws UnplayableFileException when the manifest is missing, names a file that is not in the folder, or leaves
     *                                 out a JSON file of the folder
     */
    static List<SandboxCommand.Play> plays() {
        Path folder = folder();
        Path manifest = folder.resolve(MANIFEST);
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnplayableFileException(manifest, "cannot be read: " + e.getMessage());
        }
        List<SandboxCommand.Play> plays = new ArrayList<>();
        String sender = Sandbox.TEAM_SENDER;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("--sender ")) {
                sender = line.substring("--sender ".length()).strip();
            } else {
                plays.add(new SandboxCommand.Play(folder.resolve(line), sender));
            }
        }
        List<Path> listed = plays.stream().map(SandboxCommand.Play::file).toList();
        for (Path json : jsonFiles(folder)) {
            if (!listed.contains(json)) {
                throw new UnplayableFileException(json, "is not listed in " + manifest + ", which says when it is "
                        + "played and by whom");
            }
        }
        return plays;
    }

    /**
     * The document {@code --eligibility} names, else the built-in one; empty when it cannot be read or has problems,
     * which are printed to {@code err}.
     */
    static Optional<Eligibility> eligibility(Optional<Path> given, PrintStream err) {
        Path file = given.orElseGet(() -> relativeToWorkingDir(RepositoryRoot.find(RepositoryRoot.searchStart())
                .map(root -> root.resolve(BUILT_IN_ELIGIBILITY)).filter(Files::isRegularFile)
                .orElseThrow(() -> new UnplayableFileException(Path.of(BUILT_IN_ELIGIBILITY), "(the built-in "
                        + "eligibility document) was not found in " + RepositoryRoot.searchStart() + " or any folder "
                        + "above it; run the sandbox from inside the repository, or give --eligibility FILE"))));
        String option = given.isPresent() ? "--eligibility " : "the built-in eligibility document ";
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("sandbox: " + option + file + " cannot be read: " + e);
            return Optional.empty();
        }
        try {
            return Optional.of(new Eligibility(EligibilityDocument.parse(text), file.toString()));
        } catch (EligibilityDocumentException e) {
            err.println("sandbox: " + option + file + " is not a valid eligibility document ("
                    + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems") + "):");
            e.problems().forEach(problem -> err.println("  " + problem));
            return Optional.empty();
        }
    }

    private static List<Path> jsonFiles(Path folder) {
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

    /** Short paths in the report when the file is below the working directory. */
    private static Path relativeToWorkingDir(Path path) {
        Path workingDir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        return path.startsWith(workingDir) ? workingDir.relativize(path) : path;
    }
}
