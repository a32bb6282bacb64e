package dev.eksaccess.cli;

import static dev.eksaccess.request.AccessRequest.DURATION;
import static dev.eksaccess.request.AccessRequest.EXPIRES_AT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** {@code --duration} and {@code --expires-at}: when a grant or a recover is revoked automatically. */
final class ExpiryOptions {

    @Option(names = "--duration", paramLabel = "ISO-8601",
            description = "Revoke automatically after this long, e.g. PT8H or P1D (recover: this or --expires-at "
                    + "is required).")
    String duration;

    @Option(names = "--expires-at", paramLabel = "INSTANT",
            description = "Revoke automatically at this time, e.g. 2026-12-01T18:00:00Z.")
    String expiresAt;

    /** Adds the fields given, as the contract names them; the parser checks them. */
    void putInto(ObjectNode message) {
        RequestCommand.putIfGiven(message, DURATION, duration);
        RequestCommand.putIfGiven(message, EXPIRES_AT, expiresAt);
    }
}
