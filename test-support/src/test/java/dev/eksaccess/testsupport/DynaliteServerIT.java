package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The real dynalite process: reachable while running, gone (with any children) once closed. */
class DynaliteServerIT {

    @Test
    void close_endsTheNodeProcessAndItsChildren() {
        // GIVEN a running dynalite
        DynaliteServer server = DynaliteServer.start(NodeTooling.locate());
        ProcessHandle node = server.processHandle();
        assertThat(node.isAlive()).isTrue();
        var children = node.descendants().toList();

        // WHEN it is closed
        server.close();

        // THEN neither it nor anything it spawned is left running
        assertThat(node.onExit()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(children).noneMatch(ProcessHandle::isAlive);
    }
}
