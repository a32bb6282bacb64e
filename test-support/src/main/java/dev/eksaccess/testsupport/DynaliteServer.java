package dev.eksaccess.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * dynalite (emulated DynamoDB, in memory) as a child Node.js process on a free loopback port. The process and
 * anything it spawned are killed on {@link #close()} and, should the JVM exit without closing it, by a shutdown hook,
 * so no orphaned Node process outlives a test run.
 */
final class DynaliteServer implements RunningEmulator {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;
    /** Lines of dynalite output kept to explain a failed start. */
    private static final int OUTPUT_LINES_KEPT = 40;
    /**
     * Tables stay CREATING/DELETING/UPDATING this long. Real DynamoDB takes seconds; a short non-zero delay keeps
     * code that waits for ACTIVE honest without slowing the tests.
     */
    private static final String TABLE_STATE_DELAY_MS = "50";

    private final Process process;
    private final URI endpoint;
    private final Duration startupTime;
    private final Thread shutdownHook;

    private DynaliteServer(Process process, URI endpoint, Duration startupTime) {
        this.process = process;
        this.endpoint = endpoint;
        this.startupTime = startupTime;
        this.shutdownHook = new Thread(() -> kill(process), "dynalite-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts dynalite and waits until it accepts connections. A port picked free can be taken by someone else before
     * dynalite binds it, so a start that fails with EADDRINUSE is retried on another port; any other failure is
     * reported at once.
     */
    static DynaliteServer start(NodeTooling tooling) {
        for (int attempt = 1; attempt < START_ATTEMPTS; attempt++) {
            Optional<DynaliteServer> started = startOnce(tooling, freeLoopbackPort(), true);
            if (started.isPresent()) {
                return started.get();
            }
        }
        return startOnce(tooling, freeLoopbackPort(), false).orElseThrow();
    }

    @Override
    public String displayName() {
        return "dynalite";
    }

    /** The Node process, so tests can check it is gone after {@link #close()}. */
    ProcessHandle processHandle() {
        return process.toHandle();
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        kill(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is already exiting; the hook will find the process gone.
        }
    }

    /**
     * @param mayRetry whether a taken port should answer empty (so the caller tries another) rather than fail
     * @return the server, or empty when the port was taken and {@code mayRetry}
     */
    private static Optional<DynaliteServer> startOnce(NodeTooling tooling, int port, boolean mayRetry) {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(tooling.node().toString(), tooling.dynaliteCli().toString(),
                "--host", loopback().getHostAddress(), "--port", Integer.toString(port),
                "--createTableMs", TABLE_STATE_DELAY_MS, "--deleteTableMs", TABLE_STATE_DELAY_MS,
                "--updateTableMs", TABLE_STATE_DELAY_MS)
                .directory(tooling.repositoryRoot().toFile())
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new EmulatorUnavailableException("Cannot run " + tooling.node() + ": " + e.getMessage(), e);
        }
        OutputDrain output = new OutputDrain(process);
        try {
            output.listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitAcceptingConnections(port);
        } catch (TimeoutException | ExecutionException | InterruptedException | IOException e) {
            kill(process);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (mayRetry && output.recentLines().contains("EADDRINUSE")) {
                return Optional.empty();
            }
            throw new EmulatorUnavailableException("dynalite did not start on port " + port + " ("
                    + describe(e) + "); command: " + String.join(" ", builder.command()) + "\nIts output:\n"
                    + output.recentLines(), e);
        }
        Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
        return Optional.of(new DynaliteServer(process,
                URI.create("http://" + loopback().getHostAddress() + ":" + port), startupTime));
    }

    private static String describe(Exception failure) {
        return switch (failure) {
            case TimeoutException timeout -> "no listening banner within " + START_TIMEOUT.toSeconds() + " s";
            case ExecutionException exited -> exited.getCause().getMessage();
            default -> failure.toString();
        };
    }

    /** dynalite prints its banner from the listen callback; this connect confirms the port is really ours. */
    private static void awaitAcceptingConnections(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback(), port), (int) START_TIMEOUT.toMillis());
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** IPv4 loopback by literal, so the endpoint URI needs no IPv6 brackets whatever the JVM prefers. */
    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Ends the process tree: politely first, then forcibly. Node may spawn helpers, so descendants go too. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads dynalite's output for as long as it runs, so the pipe never fills and blocks it, keeping the last lines
     * to explain a failure, and signalling when the listening banner appears.
     */
    private static final class OutputDrain implements Runnable {

        private final Process process;
        private final Deque<String> recent = new ArrayDeque<>();
        final CompletableFuture<Void> listening = new CompletableFuture<>();

        OutputDrain(Process process) {
            this.process = process;
            Thread thread = new Thread(this, "dynalite-output");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    remember(line);
                    if (line.startsWith("Dynalite listening at")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                remember("(output closed: " + e.getMessage() + ")");
            }
            listening.completeExceptionally(new IllegalStateException("dynalite closed its output" + exitStatus()));
        }

        private String exitStatus() {
            try {
                return process.waitFor(1, TimeUnit.SECONDS) ? " and exited with status " + process.exitValue() : "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }

        private synchronized void remember(String line) {
            if (recent.size() == OUTPUT_LINES_KEPT) {
                recent.removeFirst();
            }
            recent.addLast(line);
        }

        synchronized String recentLines() {
            return recent.isEmpty() ? "(none)" : String.join("\n", recent);
        }
    }
}
