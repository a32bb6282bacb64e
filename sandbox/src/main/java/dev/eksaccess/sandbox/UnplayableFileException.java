package dev.eksaccess.sandbox;

import java.nio.file.Path;

/** A file given to the sandbox cannot be played; the message names the file and says why. */
public final class UnplayableFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnplayableFileException(Path path, String why) {
        super(path + " " + why);
    }
}
