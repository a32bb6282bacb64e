package dev.eksaccess.testsupport;

/**
 * An emulated AWS backend cannot start because something it needs is missing on this machine (Node.js, the
 * dynalite package, a Docker engine) or because it did not come up in time. The message names what is missing and
 * the command that fixes it, so a failing build explains itself without a stack trace dive.
 */
public final class EmulatorUnavailableException extends RuntimeException {

    public EmulatorUnavailableException(String message) {
        super(message);
    }

    public EmulatorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
