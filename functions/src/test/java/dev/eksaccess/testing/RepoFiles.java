package dev.eksaccess.testing;

import java.nio.charset.StandardCharsets;

/** The grant-queue message bodies in the repository's {@code events/requests/} folder. */
public final class RepoFiles {

    private RepoFiles() {
    }

    /** The body of {@code events/requests/NAME}. */
    public static String request(String name) {
        return new String(EventFiles.bytes("requests/" + name), StandardCharsets.UTF_8);
    }
}
