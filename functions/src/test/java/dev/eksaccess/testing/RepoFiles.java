package dev.eksaccess.testing;

import dev.eksaccess.testsupport.RepositoryRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Files of the repository for the functions' tests: the root, and the message bodies in {@code events/requests/}. */
public final class RepoFiles {

    private RepoFiles() {
    }

    /** The repository root, as test-support's {@link RepositoryRoot} finds it. */
    public static Path root() {
        return RepositoryRoot.locate();
    }

    /** The body of {@code events/requests/NAME}. */
    public static String request(String name) {
        return new String(EventFiles.bytes("requests/" + name), StandardCharsets.UTF_8);
    }
}
