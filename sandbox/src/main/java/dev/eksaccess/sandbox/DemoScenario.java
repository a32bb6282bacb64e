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
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The scenarios: the files of {@value #SCENARIOS}{@code /NAME} in the order its {@value #MANIFEST} lists them, each sent
 * by the sender named above it, with {@link #ADMIN} bootstrapped unless {@code --admin} names others. The one played
 * when no file is given is {@value #DEFAULT} (a cluster created by an assumed role, the admin bootstrap it triggers, a
 * team's grants, a refused request, a revoke, an admin grant held for approval, refused when its requester approves
 * it and applied when the approver does, then revoked when it expires, and a sender no rule names); {@code legacy}
 * ({@code --scenario legacy}) adopts a CONFIG_MAP cluster older than the system and migrates its aws-auth. Also where
 * the built-in eligibility document is.
 */
final class DemoScenario {

    static final String SCENARIOS = "events/scenarios";
    /** The scenario played when neither files nor {@code --scenario} are given. */
    static final String DEFAULT = "demo";
    static final String FOLDER = SCENARIOS + "/" + DEFAULT;
    /**
     * In each scenario's folder: one argument a line, as on the command line ({@code --sender ARN},
     * {@code --existing FILE}, {@code --allow-auth-mode-switch} or a file name).
     */
    static final String MANIFEST = "play.args";
    /** A scenario name: a folder of {@value #SCENARIOS}. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    static final String ADMIN = "arn:aws:iam::111122223333:role/platform/eks-admin";
    /** The document the grant processor decides with when {@code --eligibility} names none. */
    static final String BUILT_IN_ELIGIBILITY = "events/eligibility/sandbox.json";

    /** An eligibility document, and where it was read from. */
    record Eligibility(EligibilityDocument document, String source) {
    }

    /**
     * A scenario's files in play order, each with its sender, and the settings its manifest turns on.
     *
     * @param allowAuthModeSwitch the manifest says {@code --allow-auth-mode-switch}
     */
    record Scenario(List<SandboxCommand.Play> plays, boolean allowAuthModeSwitch) {
    }

    private DemoScenario() {
    }

    /** The demo's files, in play order, each with its sender. */
    static List<SandboxCommand.Play> plays() {
        return load(DEFAULT).plays();
    }

    /**
     * Scenario {@code name}: its files, in play order, each with its sender (the team sender until the manifest names
     * another), and its settings.
     *
     * @throws UnplayableFileException when there is no such scenario, the manifest is missing, or it leaves out a file
     *                                 of the folder
     */
    static Scenario load(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new UnplayableFileException(Path.of(SCENARIOS, name), "is no scenario name (lower-case letters, "
                    + "digits and '-'; a folder of " + SCENARIOS + ")");
        }
        Path folder = folder(SCENARIOS + "/" + name);
        Path manifest = folder.resolve(MANIFEST);
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnplayableFileException(manifest, "cannot be read: " + e.getMessage());
        }
        List<SandboxCommand.Play> plays = new ArrayList<>();
        String sender = Sandbox.TEAM_SENDER;
        boolean allowAuthModeSwitch = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("--sender ")) {
                sender = line.substring("--sender ".length()).strip();
            } else if (line.startsWith("--existing ")) {
                plays.add(new SandboxCommand.Play(folder.resolve(line.substring("--existing ".length()).strip())
                        .normalize(), sender, true));
            } else if (line.equals("--allow-auth-mode-switch")) {
                allowAuthModeSwitch = true;
            } else if (line.startsWith("-")) {
                throw new UnplayableFileException(manifest, "says '" + line + "'; a manifest line is --sender ARN, "
                        + "--existing FILE, --allow-auth-mode-switch or a file");
            } else {
                plays.add(new SandboxCommand.Play(folder.resolve(line).normalize(), sender, false));
            }
        }
        List<Path> listed = plays.stream().map(SandboxCommand.Play::file).toList();
        for (Path file : playableFiles(folder)) {
            if (!listed.contains(file)) {
                throw new UnplayableFileException(file, "is not listed in " + manifest + ", which says when it is "
                        + "played and by whom");
            }
        }
        return new Scenario(plays, allowAuthModeSwitch);
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

    /** The folder's files but its manifest (JSON and YAML files, eks-access command files). */
    private static List<Path> playableFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(MANIFEST))
                    .map(Path::normalize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** In the repository that {@link RepositoryRoot} finds ({@code sandbox.sh} names it; else the working directory). */
    private static Path folder(String path) {
        Path start = RepositoryRoot.searchStart();
        Path folder = RepositoryRoot.find(start).map(root -> root.resolve(path)).filter(Files::isDirectory)
                .orElseThrow(() -> new UnplayableFileException(Path.of(path), "was not found in " + start
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
