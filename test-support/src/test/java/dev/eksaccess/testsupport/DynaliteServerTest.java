package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How dynalite start failures are reported; uses a stand-in cli.js, so it needs Node.js but not dynalite. */
class DynaliteServerTest {

    @TempDir
    Path repo;

    @Test
    void start_whenDynaliteCrashes_reportsItsOutputAndExitStatus() throws IOException {
        NodeTooling tooling = toolingWithCli("console.error('Cannot find module leveldown'); process.exit(3)");

        assertThatThrownBy(() -> DynaliteServer.start(tooling))
                .isInstanceOf(EmulatorUnavailableException.class)
                .hasMessageContaining("dynalite did not start on port")
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("Cannot find module leveldown");
    }

    @Test
    void start_retriesOnAnotherPortWhenThePortIsTaken() throws IOException {
        // GIVEN a dynalite that finds its first port taken, then starts (a marker file tells the attempts apart)
        Path marker = repo.resolve("first-attempt-done");
        NodeTooling tooling = toolingWithCli("""
                const fs = require('fs'); const http = require('http');
                const marker = %s;
                if (!fs.existsSync(marker)) { fs.writeFileSync(marker, ''); console.error('Error: listen EADDRINUSE'); process.exit(1); }
                const port = process.argv[process.argv.indexOf('--port') + 1];
                http.createServer((q, r) => r.end()).listen(port, '127.0.0.1',
                    () => console.log('Dynalite listening at: http://127.0.0.1:' + port));
                """.formatted(jsString(marker.toString())));

        // WHEN it is started
        try (DynaliteServer server = DynaliteServer.start(tooling)) {
            // THEN the second attempt serves
            assertThat(marker).exists();
            assertThat(server.endpoint().toString()).startsWith("http://127.0.0.1:");
        }
    }

    private NodeTooling toolingWithCli(String script) throws IOException {
        Files.writeString(repo.resolve("package.json"), "{}");
        Path cli = repo.resolve("node_modules/dynalite/cli.js");
        Files.createDirectories(cli.getParent());
        Files.writeString(cli, script);
        return NodeTooling.locate(repo.toString(), repo, System.getenv("PATH"));
    }

    private static String jsString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
