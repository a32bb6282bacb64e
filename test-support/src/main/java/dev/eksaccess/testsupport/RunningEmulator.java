package dev.eksaccess.testsupport;

import java.net.URI;
import java.time.Duration;

/** An emulator process or server that has started and serves AWS APIs at one endpoint until closed. */
interface RunningEmulator extends AutoCloseable {

    /** What it is, for test output, e.g. {@code ElasticMQ}. */
    String displayName();

    URI endpoint();

    /** How long the start took; reported because slow starts are what make integration tests slow. */
    Duration startupTime();

    @Override
    void close();
}
